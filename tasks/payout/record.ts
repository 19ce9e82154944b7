/**
 * Records the payouts of a roster from its bundle, in chunks of many lines (one multiproof each),
 * with a progress bar. The plan is read from the chain first — which lines are paid, held by an
 * objection, or belong to a suspended household or one already paid in the programme — so a run
 * that was killed, or whose node restarted, is simply run again: it pays what is left and nobody
 * twice (the contract refuses that in any case). Within a run, transient failures of the connection
 * are retried with backoff and the chain is read again before anything is resent; every retry and
 * every re-reading is printed, and counted in the result.
 */
import { readFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { payoutChunks, transactionGasLimit } from "../../src/chain/payout-gas.js";
import { planPayout } from "../../src/chain/payout-plan.js";
import { sendPayouts } from "../../src/chain/payout-send.js";
import { readingSuite, waitForNoPending } from "../../src/transport/index.js";
import { bigintArg } from "../../src/cli/args.js";
import { type CommonArgs, openContext, runTask } from "../../src/cli/context.js";
import { lines, SendNarration } from "../../src/cli/narration.js";
import { progress } from "../../src/cli/progress.js";
import { formatFen } from "../../src/money.js";
import { seqOf, seqText } from "../../src/lines.js";
import { bundleFromJson, bundleTree } from "../../src/outputs/index.js";

interface Args extends CommonArgs {
  roster: string;
  bundle: string;
  chunkSize: string;
  window: string;
  dryRun: boolean;
}

const REASONS: Record<string, string> = {
  "objection-hold": "frozen or excluded by an objection",
  "household-suspended": "household suspended",
  "household-paid-elsewhere": "household already paid in this programme",
  "unregistered-household": "household not registered",
  "household-outside-region": "household registered in a region outside the roster's",
  "above-cap": "amount above the programme's cap",
};

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const rosterId = bigintArg("roster", args.roster);
    const chunkSize = Number(bigintArg("chunk-size", args.chunkSize));
    if (chunkSize < 1 || chunkSize > 5000)
      throw new Error(
        "--chunk-size must be 1 to 5000 lines (about 4,000 consecutive lines fit the 16.7 million gas a transaction may use; chunks are cut to fit)",
      );
    const window = Number(bigintArg("window", args.window));
    if (window < 1 || window > 64) throw new Error("--window must be 1 to 64 transactions in flight");
    if (!args.bundle) throw new Error("give --bundle <roster-bundle.json> (written by `roster submit`)");
    const bundle = bundleFromJson(await readFile(args.bundle, "utf8"));
    const tree = bundleTree(bundle);
    const narration = new SendNarration("paid", args.json);
    const retry = narration.retry;
    const { suite, signer, out } = await openContext(args, hre, retry);
    narration.sayWith((text) => out.say(text));
    const reads = readingSuite(suite, signer.provider!, retry);
    await waitForNoPending(signer, { retry });
    const plan = await planPayout(reads, rosterId, { root: bundle.root, lines: bundle.lines });
    const toPay = plan.payable.reduce((s, l) => s + l.amount, 0n);
    out.say(
      `roster ${rosterId}: ${bundle.lineCount} lines; ${plan.alreadyPaid} already paid, ${plan.payable.length} to pay now (${formatFen(toPay)} yuan), ${plan.skipped.length} cannot be paid`,
    );
    for (const [reason, label] of Object.entries(REASONS)) {
      const lines = plan.skipped.filter((s) => s.reason === reason).map((s) => seqOf(s.line.index));
      if (lines.length > 0)
        out.say(`  ${label}: 序号 ${lines.slice(0, 30).join(", ")}${lines.length > 30 ? ", …" : ""}`);
    }
    if (toPay > plan.remaining) {
      out.say(
        `  warning: the roster reserves only ${formatFen(plan.remaining)} yuan; the chunk that passes it will be refused`,
      );
    }
    const skipped = plan.skipped.map((s) => ({
      line: s.line.index,
      seq: seqOf(s.line.index),
      household: s.line.household,
      reason: s.reason,
    }));
    if (args.dryRun || plan.payable.length === 0) {
      // The chunks a run would send now (cut as sendPayouts cuts them, against this chain's limit).
      const maxGas = await transactionGasLimit(signer.provider!);
      const chunks = payoutChunks(plan.payable, tree.length, { chunkSize, maxGas, anyLineHeld: plan.anyLineHeld });
      const transactions = chunks.map((c) => ({ lines: c.length, first: c[0]!.index, last: c[c.length - 1]!.index }));
      out.result(
        {
          dryRun: args.dryRun,
          rosterId,
          alreadyPaid: plan.alreadyPaid,
          toPay: plan.payable.length,
          amount: toPay,
          skipped,
          transactions,
        },
        args.dryRun
          ? `dry run: nothing was sent; ${plan.payable.length} lines would go in ${chunks.length} transaction(s) of at most ${Math.max(0, ...chunks.map((c) => c.length))} lines`
          : "nothing left to pay",
      );
      return;
    }
    const bar = progress(out, plan.payable.length, "paying");
    try {
      const report = await sendPayouts(suite, signer, plan, tree, {
        chunkSize,
        window,
        retry,
        onGasModelMiss: (what) =>
          out.say(
            `  ${what} ran out of the gas the cost model gave it; nothing of it was paid, and from now on the node estimates each chunk`,
          ),
        onProgress: (p) => bar.update(p.linesSent, `chunk ${p.chunk}/${p.chunks}`),
        onRecheck: (r) =>
          narration.recheck(r, `${lines(r.toSend)} still to pay`, [
            r.nowSkipped.length > 0
              ? `${lines(r.nowSkipped.length)} no longer payable (${r.nowSkipped
                  .map((x) => `${seqText(x.line.index)}: ${REASONS[x.reason]}`)
                  .slice(0, 5)
                  .join("; ")})`
              : "",
          ]),
      });
      bar.stop();
      const notes = [
        ...narration.notes(report),
        report.nowSkipped.length > 0 ? `${lines(report.nowSkipped.length)} became unpayable during the run` : "",
      ].filter(Boolean);
      const gasPerLine =
        report.itemsWithReceipt > 0
          ? `; ${(Number(report.gasUsed) / report.itemsWithReceipt).toFixed(0)} gas per line`
          : "";
      out.result(
        {
          rosterId,
          alreadyPaid: plan.alreadyPaid,
          ...report,
          retries: narration.retries,
          nowSkipped: report.nowSkipped.map((s) => ({
            line: s.line.index,
            seq: seqOf(s.line.index),
            household: s.line.household,
            reason: s.reason,
          })),
          skipped,
        },
        `paid ${report.paidLines} lines, ${formatFen(report.paidAmount)} yuan, in ${report.transactions.length} transaction(s)${gasPerLine}` +
          (notes.length > 0 ? `; ${notes.join(", ")}` : ""),
      );
    } finally {
      bar.stop();
    }
  });
