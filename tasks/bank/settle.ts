import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { paidBatchesOf } from "../../src/chain/batches.js";
import { readingSuite, waitForNoPending } from "../../src/transport/index.js";
import { bigintArg, idArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { lines, SendNarration } from "../../src/cli/narration.js";
import { formatFen } from "../../src/money.js";
import { planSettlement } from "../../src/chain/settlement-plan.js";
import { sendSettlement } from "../../src/chain/settlement-send.js";
import { BankResultsRejectedError, readBankResults } from "../../src/roster/bank-results.js";

interface Args extends CommonArgs {
  roster: string;
  file: string;
  chunkSize: string;
  dryRun: boolean;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = idArg("roster", args.roster);
    if (args.file.trim() === "") throw new Error("give --file <results.csv>: the bank's result file");
    const chunkSize = Number(bigintArg("chunk-size", args.chunkSize));
    if (chunkSize < 1 || chunkSize > 5000)
      throw new Error(`--chunk-size must be 1 … 5000 lines per transaction, got ${args.chunkSize}`);
    let bytes: Uint8Array;
    try {
      bytes = await readFile(args.file);
    } catch (error) {
      throw new Error(
        `--file ${args.file}: cannot read it (${(error as NodeJS.ErrnoException).code ?? (error as Error).message})`,
        { cause: error },
      );
    }
    const narration = new SendNarration("settled", args.json);
    const retry = narration.retry;
    const { suite, signer, out } = await openContext(args, hre, retry);
    narration.sayWith((text) => out.say(text));
    // Reads retry transient failures of the connection; sends never repeat blindly (sendSettlement).
    const reads = readingSuite(suite, signer.provider!, retry);
    const roster = await reads.rosterBook.roster(rosterId);
    const read = readBankResults(bytes, { lineCount: Number(roster.lineCount) });
    if (read.issues.length > 0) throw new BankResultsRejectedError(args.file, read.issues);
    out.say(
      `${args.file}: ${read.rows.length} rows (${read.encoding}, lines numbered by ${read.numbering}) for roster ${rosterId}`,
    );

    // A run that was killed may have left a transaction in flight: wait for it before reading the chain.
    if (!args.dryRun) await waitForNoPending(signer, { retry });
    const plan = await planSettlement(reads, rosterId, read.rows);
    if (plan.conflicts.length > 0)
      throw new BankResultsRejectedError(args.file, plan.conflicts, "contradicts the chain");
    const skipped = plan.skipped.confirmed + plan.skipped.returned;
    if (skipped > 0) {
      out.say(
        `skipping ${lines(skipped)} settled already (${plan.skipped.confirmed} confirmed, ${plan.skipped.returned} returned), e.g. by an earlier run`,
      );
    }
    out.say(`to do: ${plan.toConfirm.length} to confirm, ${plan.toReturn.length} to return`);
    const paid = plan.toConfirm.length + plan.toReturn.length > 0 ? await paidBatchesOf(reads, rosterId) : new Map();
    const report = await sendSettlement(suite, signer, plan, paid, {
      chunkSize,
      dryRun: args.dryRun,
      retry,
      onRecheck: (r) => narration.recheck(r, `${r.toConfirm} to confirm, ${r.toReturn} to return`),
      onProgress: (p) =>
        out.say(
          `${p.kind === "confirmed" ? "confirm" : "return"} chunk ${p.chunk}/${p.chunks}${p.batchId ? ` (payout batch ${p.batchId})` : ""}: ` +
            `${lines(p.lines)}, ${formatFen(p.amount)} yuan${p.txHash ? ` (tx ${p.txHash})` : " (checked, not sent)"}`,
        ),
    });
    const summary =
      `${args.dryRun ? "dry run, nothing was sent: would confirm" : "confirmed"} ${lines(report.confirmed.count)} (${formatFen(report.confirmed.amount)} yuan), ` +
      `${args.dryRun ? "would return" : "returned"} ${lines(report.returned.count)} (${formatFen(report.returned.amount)} yuan, back to region ${roster.region}), ` +
      `skipped ${report.skipped} settled already`;
    const notes = narration.notes(report);
    out.result(
      { rosterId, ...report, retries: narration.retries },
      notes.length > 0 ? `${summary}; ${notes.join(", ")}` : summary,
    );
  });
