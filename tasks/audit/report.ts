/**
 * audit report: a programme's (or a region's) audit report as a PDF, stating the chain id, block
 * number and block hash every figure is true at. Exits 1 when the scope does not balance (the PDF
 * is written all the same, saying where).
 */
import { writeFile } from "node:fs/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type AuditArgs, openAudit } from "../../src/audit/index.js";
import { auditReportData } from "../../src/audit/report.js";
import { idArg, regionArg } from "../../src/cli/args.js";
import { runTask } from "../../src/cli/context.js";
import { auditReportPdf } from "../../src/documents/audit-report.js";
import { chooseCjkFont } from "../../src/documents/font.js";

interface Args extends AuditArgs {
  programme: string;
  region: string;
  pdf: string;
  font: string;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    if (!args.programme) throw new Error("give --programme <id>: the programme the report is of");
    const programmeId = idArg("programme", args.programme);
    const region = args.region ? regionArg("region", args.region) : undefined;
    if (!args.pdf) throw new Error("give --pdf <file>: where to write the report");
    const font = chooseCjkFont(args.font);
    const session = await openAudit(args, hre);
    try {
      const data = await auditReportData(
        session.db,
        session.suite,
        session.chainId,
        programmeId,
        region,
        session.offline,
      );
      await writeFile(args.pdf, await auditReportPdf(data, font));
      const scope = region === undefined ? `programme ${programmeId}` : `programme ${programmeId}, region ${region}`;
      session.out.result(
        {
          file: args.pdf,
          chainId: data.chainId,
          block: data.block,
          programme: data.programme.id,
          region: data.region,
          balanced: data.balanced,
          compared: data.compared,
          problems: data.problems,
        },
        [
          `wrote ${args.pdf}: the audit report of ${scope} at block ${data.block.number} (${data.block.hash}) of chain ${data.chainId}`,
          data.balanced
            ? `  it balances${data.compared.done ? ", and the chain's views agree" : `; not compared with the chain (${data.compared.error ?? "no node"})`}`
            : [`  ${data.problems.length} problem(s):`, ...data.problems.map((p) => `    ${p}`)].join("\n"),
        ].join("\n"),
      );
      if (!data.balanced) process.exitCode = 1;
    } finally {
      session.close();
    }
  });
