/** audit index: brings the event index up to date and says what it read. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type AuditArgs, openAudit } from "../../src/audit/index.js";
import { runTask } from "../../src/cli/context.js";
import { integrityFindings } from "../../src/indexer/index.js";

export default (args: AuditArgs, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const session = await openAudit(args, hre, { forceUpdate: true, verbose: true });
    try {
      const { db, out } = session;
      const u = session.update!;
      const findings = integrityFindings(db);
      const totals = Object.fromEntries(
        ["payouts", "batches", "confirmations", "returns", "reversals", "rosters", "households", "events"].map((t) => [
          t,
          Number(db.get(`SELECT COUNT(*) AS n FROM ${t}`)!.n),
        ]),
      );
      const head = db.head();
      const read =
        u.fromBlock === null
          ? `nothing new to read: indexed up to block ${u.toBlock} (latest − ${u.confirmations} confirmations)`
          : `read blocks ${u.fromBlock}…${u.toBlock} (${u.blocks} blocks, ${u.ranges} eth_getLogs ranges${u.rangeShrinks ? `, range halved ${u.rangeShrinks} time(s)` : ""}${u.retries ? `, ${u.retries} retried call(s)` : ""}): ${u.events} events in ${u.seconds.toFixed(1)} s`;
      const byName = Object.entries(u.eventsByName).sort(([, a], [, b]) => b - a);
      out.result(
        {
          ...u,
          headTime: head.time === undefined ? null : new Date(head.time * 1000).toISOString(),
          database: db.file,
          totals,
          findings,
        },
        [
          read,
          ...byName.slice(0, 12).map(([name, n]) => `  ${String(n).padStart(8)}  ${name}`),
          `${db.file}: ${totals.events} events in all; ${totals.payouts} payouts in ${totals.batches} batches, ${totals.confirmations} confirmations, ${totals.returns} returns, ${totals.reversals} reversal request(s), ${totals.rosters} rosters, ${totals.households} households`,
          findings.length === 0
            ? "the events are consistent: every payout batch hashes to its lines and every roster's lines add up to its RosterPaid events"
            : [
                `${findings.length} inconsistenc${findings.length === 1 ? "y" : "ies"} in the events:`,
                ...findings.map((f) => `  ${f.kind}: ${f.detail}${f.tx ? ` (tx ${f.tx})` : ""}`),
              ].join("\n"),
        ].join("\n"),
      );
      if (findings.length > 0) process.exitCode = 1;
    } finally {
      session.close();
    }
  });
