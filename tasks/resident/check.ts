/**
 * `resident check`: a household's self-check from the command line, with exactly the lookup the
 * residents' page runs (src/resident). The ID number and query code are turned into the commitment
 * here, on this machine; only the commitment goes to the node. Read-only: no signing account is used
 * (it takes no --from: a resident signs nothing).
 */
import { readFile } from "node:fs/promises";
import { createInterface } from "node:readline/promises";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { bigintArg } from "../../src/cli/args.js";
import { type CommonArgs, openReader, Output, runTask } from "../../src/cli/context.js";
import {
  type ChainRef,
  type Explorer,
  explorer as makeExplorer,
  formatChinaTime,
  formatFen,
  type Lang,
  lookupHousehold,
  outcomeText,
  parsePageConfig,
  type ResidentDeployment,
  type ResidentLookup,
  residentInput,
} from "../../src/resident/index.js";
import { assertSuiteOnChain, defaultDeploymentFile, readDeployment } from "../../src/suite.js";

interface Args extends Omit<CommonArgs, "from"> {
  idNumber: string;
  queryCode: string;
  explorer: string;
  explorerKind: string;
  rpcUrl: string;
  fromBlock: string;
  logWindow: string;
  lang: string;
}

async function ask(question: string): Promise<string> {
  if (!process.stdin.isTTY) throw new Error(`give ${question}`);
  const rl = createInterface({ input: process.stdin, output: process.stderr });
  try {
    return await rl.question(`${question}: `);
  } finally {
    rl.close();
  }
}

/** A deployment record: Ignition's deployed_addresses.json, or the residents' page config.json. */
async function deploymentFrom(
  file: string,
): Promise<{ deployment: ResidentDeployment; page?: ReturnType<typeof parsePageConfig> }> {
  let json: unknown;
  try {
    json = JSON.parse(await readFile(file, "utf8"));
  } catch {
    return { deployment: await readDeployment(file) }; // its error says how to deploy or what to pass
  }
  if (typeof json === "object" && json !== null && "contracts" in json && "rpcUrl" in json) {
    const page = parsePageConfig(json);
    return { deployment: page.contracts, page };
  }
  return { deployment: await readDeployment(file) };
}

function render(
  result: ResidentLookup & { found: true },
  x: Explorer | undefined,
  lang: Lang,
  contact: string | undefined,
): string {
  const at = (ref: ChainRef) =>
    `${formatChinaTime(ref.time)} (UTC+8), block ${ref.block}, tx ${ref.tx}, log ${ref.logIndex}${x ? `\n${" ".repeat(16)}${x.txLogs(ref.tx)} (log ${ref.logIndex})` : ""}`;
  const row = (label: string, text: string) => `  ${label.padEnd(14)}${text}`;
  const out: string[] = [];
  const h = result.household;
  out.push(
    `Household found: registry id ${h.id}, ${h.status === "Active" ? "active" : h.status === "Suspended" ? "SUSPENDED (it is not paid while suspended)" : h.status}`,
  );
  for (const e of h.events) out.push(row(e.kind, `${e.reason ? `${e.reason}, ` : ""}${at(e.at)}`));
  if (result.lines.length === 0) out.push("\nNo roster lists this household yet.");
  for (const line of result.lines) {
    const roster = result.rosters.find((r) => r.rosterId === line.rosterId)!;
    const programme = result.programmes.find((p) => p.programmeId === line.programmeId)!;
    out.push(
      "",
      `Roster ${line.rosterId}, 序号 ${line.lineIndex + 1}: programme ${line.programmeId} (${programme.earmark}, period ${programme.fiscalPeriod}), region ${line.region}`,
    );
    out.push(row("amount", line.amount === undefined ? "(not known)" : `${formatFen(line.amount)} yuan`));
    out.push(row("status", `${line.outcome}: ${outcomeText(lang, line, roster, contact)}`));
    if (roster.submitted) out.push(row("submitted", `by ${roster.submitted.submitter}, ${at(roster.submitted)}`));
    if (line.listed) out.push(row("listed", at(line.listed)));
    if (roster.sealed)
      out.push(row("all listed", `every line on chain, adding up to the roster's total, ${at(roster.sealed)}`));
    for (const a of roster.approvals)
      out.push(
        row(
          "approved",
          `department ${a.department}${a.signed ? " (electronic seal, relayed)" : ""} ${a.approver}, ${at(a.at)}`,
        ),
      );
    const missing = roster.stages.flatMap((s, i) =>
      roster.approvals.some((a) => a.stage === i) ? [] : [s.department],
    );
    if (missing.length > 0)
      out.push(row("awaiting", `department${missing.length > 1 ? "s" : ""} ${missing.join(", ")}`));
    if (roster.publicityStart !== undefined && roster.publicityEnd !== undefined) {
      out.push(
        row("publicity", `${formatChinaTime(roster.publicityStart)} – ${formatChinaTime(roster.publicityEnd)} (UTC+8)`),
      );
    }
    if (roster.submitted)
      out.push(row("public list", `${roster.submitted.documentURI} (keccak256 ${roster.submitted.documentHash})`));
    for (const o of line.objections) {
      out.push(
        row(
          "objection",
          `${o.upheld ? `upheld by department ${o.department}: line excluded` : `dismissed by department ${o.department}`}, ${at(o.at)}`,
        ),
      );
    }
    if (line.payout) out.push(row("paid", at(line.payout)));
    if (line.confirmed)
      out.push(row("confirmed", `bank reference hash ${line.confirmed.bankRefHash}, ${at(line.confirmed)}`));
    if (line.returned)
      out.push(
        row(
          "returned",
          `${formatFen(line.returned.amount)} yuan, bank reference hash ${line.returned.bankRefHash}, ${at(line.returned)}`,
        ),
      );
    for (const r of line.reversals) {
      out.push(row("reversal", `#${r.reversalId} of ${formatFen(r.amount)} yuan requested ${at(r.requested)}`));
      if (r.decided)
        out.push(
          row(
            "",
            `${r.decided.approved ? "approved" : "rejected"} by department ${r.decided.department}, ${at(r.decided)}`,
          ),
        );
      else out.push(row("", `status ${r.status}`));
    }
  }
  for (const p of result.programmes) {
    const t = p.totals;
    out.push(
      "",
      `Programme ${p.programmeId} (${p.earmark}, period ${p.fiscalPeriod}), public totals in yuan:`,
      `  funded ${formatFen(t.funded)}  paid ${formatFen(t.paid)}  reserved ${formatFen(t.reserved)}  returned ${formatFen(t.returned)}  reversed ${formatFen(t.reversed)}`,
      `  per-household cap ${formatFen(p.householdCap)}; this household ${p.householdPaid ? "holds a payout" : "holds no payout"} in it now`,
    );
  }
  for (const r of result.regions) {
    out.push(
      `Region ${r.region} in programme ${r.programmeId}, in yuan:`,
      `  received ${formatFen(r.received)}  paid ${formatFen(r.paid)}  reserved ${formatFen(r.reserved)}  available ${formatFen(r.available)}  returned ${formatFen(r.returned)}  reversed ${formatFen(r.reversed)}`,
    );
  }
  return out.join("\n");
}

/** Adds explorer links next to every on-chain reference (JSON output). */
function withLinks(value: unknown, x: Explorer): unknown {
  if (Array.isArray(value)) return value.map((v) => withLinks(v, x));
  if (typeof value !== "object" || value === null) return value;
  const out: Record<string, unknown> = {};
  for (const [k, v] of Object.entries(value)) out[k] = withLinks(v, x);
  const r = value as Partial<ChainRef>;
  if (typeof r.tx === "string" && typeof r.block === "number") {
    out.txUrl = x.tx(r.tx);
    out.logsUrl = x.txLogs(r.tx);
    out.blockUrl = x.block(r.block);
  }
  return out;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const out = new Output(args.json);
    if (args.lang !== "en" && args.lang !== "zh") throw new Error(`--lang must be en or zh, got "${args.lang}"`);
    const lang: Lang = args.lang;
    const idNumber = args.idNumber || (await ask("--id-number (your resident ID number)"));
    const queryCode = args.queryCode || (await ask("--query-code (the query code on your notice)"));
    const input = residentInput(idNumber, queryCode);
    if (!input.ok) {
      throw new Error(
        input.problems.map((p) => `--${p.field === "idNumber" ? "id-number" : "query-code"}: ${p.detail}`).join("; "),
      );
    }
    const logWindow = Number(bigintArg("log-window", args.logWindow));
    let fromBlock = Number(bigintArg("from-block", args.fromBlock));

    let deployment: ResidentDeployment;
    let x: Explorer | undefined = args.explorer ? makeExplorer(args.explorerKind, args.explorer) : undefined;
    const fromFile = args.deployment ? await deploymentFrom(args.deployment) : undefined;
    const { provider: reader, chainId, close } = await openReader(args.rpcUrl || fromFile?.page?.rpcUrl, hre);
    if (fromFile) {
      deployment = fromFile.deployment;
      if (fromFile.page) {
        if (args.fromBlock === "0") fromBlock = fromFile.page.fromBlock;
        if (!x && fromFile.page.explorer) x = makeExplorer(fromFile.page.explorer.kind, fromFile.page.explorer.baseUrl);
      }
    } else {
      deployment = await readDeployment(defaultDeploymentFile(chainId));
    }

    await assertSuiteOnChain(reader, deployment, {
      chainId,
      file: args.deployment || defaultDeploymentFile(chainId),
    }).catch((error: unknown) => {
      close();
      throw error;
    });
    const result = await lookupHousehold(reader, deployment, input.commitment, { fromBlock, logWindow }).finally(close);
    if (!result.found) {
      out.result(
        result,
        "No record: no household is registered under this ID number and query code. Check both against your notice; if they match, ask your township office.",
      );
      return;
    }
    out.result(
      x ? { explorer: { kind: x.kind, baseUrl: x.baseUrl }, ...(withLinks(result, x) as object) } : result,
      render(result, x, lang, fromFile?.page?.contact[lang]),
    );
  });
