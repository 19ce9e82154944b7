/**
 * Submits a roster from the bureau's spreadsheet: reads and validates every line (all problems at
 * once; a bad roster never reaches the chain), derives the households' commitments, checks they are
 * registered, writes the roster bundle, the published list (its hash goes on chain) and the private
 * household notices, prints a summary, and — unless --dry-run — submits the roster, reserving its
 * total from the region's budget.
 */
import { writeFile } from "node:fs/promises";
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg, regionArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask, toJson } from "../../src/cli/context.js";
import { readRosterOrFail } from "../../src/cli/roster-input.js";
import { bureauSecret } from "../../src/cli/secret.js";
import { formatFen } from "../../src/money.js";
import { prepareHouseholds } from "../../src/workflow/households.js";
import { prepareRoster, writeRosterFiles } from "../../src/workflow/roster.js";

interface Args extends CommonArgs {
  programme: string;
  region: string;
  roster: string;
  out: string;
  documentUri: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const programmeId = bigintArg("programme", args.programme);
    const region = regionArg("region", args.region);
    if (!args.out) throw new Error("give --out <folder> for the roster bundle, the published list and the household notices");
    if (!args.documentUri) throw new Error("give --document-uri: where the published list (公示名单) will be posted");
    const { suite, out, chainId } = await openContext(args, hre);
    const cap = await suite.programmes.householdCap(programmeId);
    const entries = await readRosterOrFail(args.roster, { householdCap: cap, region }, out);
    const households = prepareHouseholds(entries, await bureauSecret(hre));
    const prepared = await prepareRoster(suite, { programmeId, region, documentURI: args.documentUri, households });
    const files = await writeRosterFiles(args.out, prepared);
    const { bundle } = prepared;
    const available = (await suite.ledger.balanceOf(programmeId, region)).available;
    out.say(
      [
        `roster for programme ${programmeId}, region ${region}: ${bundle.lineCount} lines, total ${formatFen(bundle.total)} yuan`,
        `  region ${region} has ${formatFen(available)} yuan available${bundle.total > available ? " — NOT ENOUGH" : ""}`,
        `  root ${bundle.root}, published list hash ${bundle.documentHash}`,
        `  wrote ${files.bundle}, ${files.publishedList} (post it at ${args.documentUri}), ${files.notices} (private: names and query codes)`,
      ].join("\n"),
    );
    const submission = {
      programmeId,
      region,
      root: bundle.root,
      lineCount: bundle.lineCount,
      total: bundle.total,
      documentHash: bundle.documentHash,
      documentURI: bundle.documentURI,
    };
    if (args.dryRun) {
      await suite.rosterBook.submitRoster.staticCall(submission);
      out.result({ dryRun: true, ...submission, files }, "dry run: the chain would accept this roster; nothing was sent");
      return;
    }
    const tx = await suite.rosterBook.submitRoster(submission);
    await tx.wait();
    const rosterId = await suite.rosterBook.rosterCount();
    const record = { chainId, rosterId, txHash: tx.hash, ...submission, files };
    await writeFile(path.join(args.out, "submission.json"), toJson(record));
    out.result(record, `submitted roster ${rosterId} (tx ${tx.hash}); it now awaits joint sign-off`);
  });
