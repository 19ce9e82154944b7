/**
 * Submits a roster from the bureau's spreadsheet: reads and validates every line (all problems at
 * once; a bad roster never reaches the chain), derives the households' commitments, checks they are
 * registered, prints a summary, and asks the chain whether it would accept the submission. A dry
 * run stops there and writes nothing; so does a submission the chain would refuse. Otherwise it
 * writes the roster bundle, the published list (its hash goes on chain) and the private household
 * notices (owner-only), submits the roster, reserving its total from the region's budget, and puts
 * every line on chain (RosterLines), which seals it. With --pdf it then prints the notices as PDFs,
 * which need the roster's id: the village notice (public) and the household notices (private).
 * Resumable: run again with the same files after a kill, it continues where the chain stands (and
 * writes the PDFs then).
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg, regionArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask, toJson } from "../../src/cli/context.js";
import { readRosterOrFail } from "../../src/cli/roster-input.js";
import { bureauSecret } from "../../src/cli/secret.js";
import { existingRoster, LINES_PER_TRANSACTION, submitRosterWithLines } from "../../src/chain/listing.js";
import { lines, SendNarration } from "../../src/cli/narration.js";
import { progress } from "../../src/cli/progress.js";
import { formatFen } from "../../src/money.js";
import { chooseCjkFont } from "../../src/documents/font.js";
import { portalBase } from "../../src/documents/links.js";
import { bundleTree, submissionOf } from "../../src/outputs/index.js";
import { prepareHouseholds, registrationRegion } from "../../src/workflow/households.js";
import { checkBureauSecret } from "../../src/workflow/secret-check.js";
import { preflightSubmission, prepareRoster, rosterFiles, writeRosterFiles } from "../../src/workflow/roster.js";
import { noticeFiles, writeNoticePdfs } from "../../src/workflow/roster-notices.js";

interface Args extends CommonArgs {
  programme: string;
  region: string;
  roster: string;
  out: string;
  documentUri: string;
  chunkSize: string;
  pdf: boolean;
  portalUrl: string;
  font: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const programmeId = bigintArg("programme", args.programme);
    const region = regionArg("region", args.region);
    if (!args.out)
      throw new Error("give --out <folder> for the roster bundle, the published list and the household notices");
    if (!args.documentUri) throw new Error("give --document-uri: where the published list (公示名单) will be posted");
    const linesPerTransaction = Number(bigintArg("chunk-size", args.chunkSize));
    if (linesPerTransaction < 1 || linesPerTransaction > LINES_PER_TRANSACTION) {
      throw new Error(`--chunk-size must be 1 … ${LINES_PER_TRANSACTION} lines per transaction, got ${args.chunkSize}`);
    }
    // The font and the portal's address are checked before anything is sent.
    const font = args.pdf ? chooseCjkFont(args.font) : undefined;
    const portalUrl = portalBase(args.portalUrl);
    const { suite, out, chainId, signer } = await openContext(args, hre);
    // The cheap facts first, in the order a clerk can act on them: role, office, programme and
    // stages (a stand-in of one line), then the file, then the households; the budget for the
    // roster's total is asked with the real submission, once a resumed roster can be told apart.
    await preflightSubmission(suite, { programmeId, region, documentURI: args.documentUri });
    const cap = await suite.programmes.householdCap(programmeId);
    const entries = await readRosterOrFail(args.roster, { householdCap: cap, region }, out);
    const secret = await bureauSecret(hre);
    const secretPlan = await checkBureauSecret(
      suite,
      secret,
      entries.map((e) => registrationRegion(e.village)),
    );
    if (secretPlan.unset.length > 0)
      out.say(
        `  region ${secretPlan.unset.join(", ")} holds no check of its bureau secret (registered before the register kept one): BUREAU_SECRET could not be checked there`,
      );
    const households = prepareHouseholds(entries, secret);
    const prepared = await prepareRoster(suite, { programmeId, region, documentURI: args.documentUri, households });
    const { bundle } = prepared;
    const files = { ...rosterFiles(args.out), ...(font ? { pdfs: noticeFiles(args.out) } : {}) };
    const available = (await suite.ledger.balanceOf(programmeId, region)).available;
    out.say(
      [
        `roster for programme ${programmeId}, region ${region}: ${bundle.lineCount} lines, total ${formatFen(bundle.total)} yuan`,
        `  region ${region} has ${formatFen(available)} yuan available${bundle.total > available ? " — NOT ENOUGH" : ""}`,
        `  root ${bundle.root}, published list hash ${bundle.documentHash}`,
      ].join("\n"),
    );
    const submission = submissionOf(bundle);
    // The chain is asked first: a roster it would refuse leaves no file behind (the notices hold
    // names and query codes). A roster of this list on chain already is resumed.
    const onChain = await existingRoster(suite, submission);
    if (onChain === undefined || args.dryRun) await suite.rosterBook.submitRoster.staticCall(submission);
    if (args.dryRun) {
      out.result(
        { dryRun: true, ...submission, files },
        `dry run: the chain would accept this roster; nothing was sent and no file was written (a real run writes ${files.bundle}, ${files.publishedList} and ${files.notices}${files.pdfs ? `, then ${files.pdfs.village} and ${files.pdfs.households}` : ""})`,
      );
      return;
    }
    await writeRosterFiles(args.out, prepared);
    out.say(
      `  wrote ${files.bundle}, ${files.publishedList} (post it at ${args.documentUri}), ${files.notices} (private: names and query codes, readable by you only)`,
    );
    const tree = bundleTree(bundle);
    const bar = progress(out, bundle.lineCount, "listing lines on chain");
    const narration = new SendNarration("listed", args.json);
    narration.sayWith((text) => out.say(text));
    const report = await submitRosterWithLines(suite, signer, submission, tree, {
      ...narration.retry,
      linesPerTransaction,
      onProgress: (p) => bar.update(p.listed, `transaction ${p.transactions}`),
      onRecheck: (r) => narration.recheck(r, `${lines(r.toSend)} still to list`),
    });
    bar.stop();
    const rosterId = report.rosterId;
    if (font) {
      await writeNoticePdfs(suite, args.out, { rosterId, chainId, bundle, households, portalUrl, font });
      out.say(
        `  wrote ${files.pdfs!.village} (the village notice: print and post it) and ${files.pdfs!.households} (private: one page per household, readable by you only)`,
      );
    }
    const record = { chainId, rosterId, ...submission, listedLines: bundle.lineCount, state: report.state, files };
    await writeFile(path.join(args.out, "submission.json"), toJson(record));
    const how = report.submitted
      ? `submitted roster ${rosterId}`
      : `roster ${rosterId} was on chain already (same list)${report.listedBefore > 0 ? `, with ${report.listedBefore} of its lines` : ""}`;
    const listed =
      report.listedNow > 0 ? `; listed ${report.listedNow} line(s) in ${report.transactions} transaction(s)` : "";
    out.result(
      {
        ...record,
        submitted: report.submitted,
        listedNow: report.listedNow,
        listedBefore: report.listedBefore,
        transactions: report.transactions,
      },
      `${how}${listed}; every line is on chain and the roster is sealed: ${report.state === "AwaitingSignOff" ? "it now awaits joint sign-off" : `it is ${report.state}`}`,
    );
  });
