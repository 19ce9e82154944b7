import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type CommonArgs, openRosterContext, runTask } from "../../src/cli/context.js";
import { formatFen } from "../../src/money.js";
import { signOffOf, signOffText } from "../../src/workflow/signoff.js";

interface Args extends CommonArgs {
  roster: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const { rosterId, suite, out } = await openRosterContext(args, hre);
    const status = await signOffOf(suite, rosterId);
    const r = status.view.roster;
    const remaining = r.total - r.paid - r.excluded - r.released;
    const iso = (t: bigint) => (t === 0n ? null : new Date(Number(t) * 1000).toISOString());
    const value = {
      rosterId,
      state: status.state,
      programmeId: r.programmeId,
      region: r.region,
      lineCount: Number(r.lineCount),
      root: r.root,
      documentHash: r.documentHash,
      submitter: r.submitter,
      submittedAt: iso(r.submittedAt),
      approvedAt: iso(r.approvedAt),
      endedAt: iso(r.endedAt),
      publicityDays: Number(r.publicityPeriod) / 86400,
      publicityEndsAt: status.publicityEndsAt?.toISOString() ?? null,
      ordered: status.ordered,
      stages: status.stages,
      missing: status.missing,
      openObjections: Number(r.openObjections),
      totals: { total: r.total, paid: r.paid, excluded: r.excluded, released: r.released, remaining },
    };
    out.result(
      value,
      [
        `roster ${rosterId}: ${status.state} — programme ${r.programmeId}, region ${r.region}, ${r.lineCount} lines`,
        `  root ${r.root}  document ${r.documentHash}`,
        `  submitted by ${r.submitter} at ${value.submittedAt}`,
        signOffText(status),
        `  open objections ${r.openObjections}`,
        `  total ${formatFen(r.total)}  paid ${formatFen(r.paid)}  excluded ${formatFen(r.excluded)}  released ${formatFen(r.released)}  still reserved ${formatFen(remaining)} (yuan)`,
      ].join("\n"),
    );
  });
