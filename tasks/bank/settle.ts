import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { paidBatchesOf } from "../../src/chain/batches.js";
import { readingSuite, type RetryNotice, waitForNoPending, withRetries } from "../../src/chain/signers.js";
import { bigintArg, idArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";
import {
  BankResultsRejectedError,
  planSettlement,
  readBankResults,
  sendSettlement,
} from "../../src/workflow/settlement.js";

const lines = (n: number) => `${n} line${n === 1 ? "" : "s"}`;

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
    let retries = 0;
    let say = (text: string) => console.log(text);
    const onRetry = (n: RetryNotice) => {
      retries++;
      if (!args.json)
        say(`  retry ${n.attempt}/${n.attempts - 1} in ${(n.delayMs / 1000).toFixed(2)} s: ${n.what}: ${n.reason}`);
    };
    const retry = { onRetry };
    const { suite, signer, out } = await withRetries("connecting to the network", () => openContext(args, hre), retry);
    say = (text) => out.say(text);
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
      onRecheck: (r) => {
        const found = [
          r.landedWithoutReceipt > 0 ? `${lines(r.landedWithoutReceipt)} settled by a send whose answer was lost` : "",
          r.lostAfterReceipt > 0
            ? `${lines(r.lostAfterReceipt)} no longer settled (the node lost blocks), to be sent again`
            : "",
        ].filter(Boolean);
        if (r.final && found.length === 0 && r.toConfirm + r.toReturn === 0)
          out.say("  checked against the chain: every line this run sent is settled");
        else
          out.say(
            `  read the chain again (${r.reason}): ${found.length > 0 ? `${found.join(", ")}; ` : ""}${r.toConfirm} to confirm, ${r.toReturn} to return`,
          );
      },
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
    const notes = [
      retries > 0 ? `${retries} transient failure(s) retried` : "",
      report.landedWithoutReceipt > 0
        ? `${lines(report.landedWithoutReceipt)} found settled after their send's answer was lost`
        : "",
      report.settledAgain > 0 ? `${lines(report.settledAgain)} settled again after the node lost them` : "",
    ].filter(Boolean);
    out.result({ rosterId, ...report, retries }, notes.length > 0 ? `${summary}; ${notes.join(", ")}` : summary);
  });
