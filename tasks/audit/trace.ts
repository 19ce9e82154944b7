/** audit trace: the history of a household, roster or programme, with transactions and block times. */
import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type AuditArgs, openAudit, trace, type TraceSubject, writeCsv } from "../../src/audit/index.js";
import { checkTrace, describeCheck } from "../../src/audit/trace-check.js";
import { hashArg, idArg } from "../../src/cli/args.js";
import { runTask } from "../../src/cli/context.js";

interface Args extends AuditArgs {
  household: string;
  commitment: string;
  roster: string;
  programme: string;
  csv: string;
}

function subjectOf(args: Args): TraceSubject {
  const given = (["household", "commitment", "roster", "programme"] as const).filter((k) => args[k] !== "");
  if (given.length !== 1)
    throw new Error("name exactly one of --household <id>, --commitment <0x…>, --roster <id>, --programme <id>");
  if (args.household) return { household: idArg("household", args.household) };
  if (args.commitment) return { commitment: hashArg("commitment", args.commitment) };
  if (args.roster) return { roster: idArg("roster", args.roster) };
  return { programme: idArg("programme", args.programme) };
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const subject = subjectOf(args);
    const session = await openAudit(args, hre);
    try {
      const t = trace(session.db, subject);
      const chain =
        session.suite && session.provider ? { suite: session.suite, provider: session.provider } : undefined;
      const check = await checkTrace(session.db, chain, subject, t, session.offline);
      if (args.csv)
        await writeCsv(
          args.csv,
          ["block", "logIndex", "time", "tx", "event", "detail"],
          t.entries.map((e) => ({ ...e })),
        );
      session.out.result(
        { ...t, check },
        [
          `${t.subject}: ${t.entries.length} event(s) up to block ${t.block}`,
          ...t.entries.map((e) => `${e.time ?? "?"}  block ${e.block}  ${e.tx}\n    ${e.event}: ${e.detail}`),
          describeCheck(check),
        ].join("\n"),
      );
      if (check.disagreements.length > 0) process.exitCode = 1;
    } finally {
      session.close();
    }
  });
