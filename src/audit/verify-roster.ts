/**
 * Checking a roster's published documents against the chain: the publicity list's keccak256
 * against the roster's documentHash; and, given the roster bundle, its Merkle root (rebuilt from
 * its lines), line count, total, programme and region against the chain, the list's rows against
 * the bundle's lines, and every line paid on chain against the bundle's line of that index.
 * Every check is reported, matching or not; one mismatch makes the whole verdict a mismatch.
 */
import { keccak256 } from "ethers";

import type { IndexDatabase } from "../indexer/index.js";
import { formatFen } from "../money.js";
import { bundleFromJson, PUBLICITY_HEADER, type RosterBundle } from "../outputs/index.js";
import { parseYuan } from "../roster/index.js";
import { decodeCsv, readCsvTable } from "../roster/csv.js";
import type { Suite } from "../suite.js";
import { big, num } from "./rows.js";

export interface Check {
  check: string;
  ok: boolean;
  detail: string;
}

export interface RosterVerification {
  rosterId: bigint;
  checks: Check[];
  ok: boolean;
}

interface ListRow {
  line: number;
  index: number;
  amount: bigint;
}

/** The rows of a publicity list (src/outputs/publicity.ts), or why it cannot be read as one. */
function readList(bytes: Uint8Array, fileName: string): { rows: ListRow[] } | { problem: string } {
  const decoded = decodeCsv(bytes, fileName);
  if ("issue" in decoded) return { problem: decoded.issue.problem };
  const table = readCsvTable(decoded.text);
  const [header, ...body] = table.rows.filter((r) => r.cells.some((c) => c.text.trim() !== ""));
  if (!header) return { problem: "the file is empty" };
  const headerText = header.cells.map((c) => c.text.trim());
  if (PUBLICITY_HEADER.some((h, i) => headerText[i] !== h)) {
    return { problem: `its header is ${JSON.stringify(headerText)}, not the publicity list's ${JSON.stringify(PUBLICITY_HEADER)}` };
  }
  const rows: ListRow[] = [];
  for (const row of body) {
    const index = Number(row.cells[0]?.text.trim()) - 1;
    const amount = parseYuan(row.cells[3]?.text ?? "");
    if (!Number.isInteger(index) || index < 0 || "problem" in amount) return { problem: `line ${row.line} is not a list row (序号 and 金额)` };
    rows.push({ line: row.line, index, amount: amount.fen });
  }
  return { rows };
}

const differences = <T>(items: readonly T[], describe: (item: T) => string) =>
  `${items.slice(0, 10).map(describe).join("; ")}${items.length > 10 ? `; … (${items.length} in all)` : ""}`;

export interface VerifyInput {
  suite: Suite;
  db: IndexDatabase;
  rosterId: bigint;
  list: { bytes: Uint8Array; file: string };
  bundle?: { text: string; file: string };
}

export async function verifyRoster(input: VerifyInput): Promise<RosterVerification> {
  const { suite, db, rosterId, list } = input;
  const count = await suite.rosterBook.rosterCount();
  if (rosterId < 1n || rosterId > count) throw new Error(`there is no roster ${rosterId} on chain (${count} submitted)`);
  const chain = await suite.rosterBook.roster(rosterId);
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ check: name, ok, detail });

  // 1. The published list is the document the chain committed to.
  const listHash = keccak256(list.bytes);
  check(
    "list hash",
    listHash === chain.documentHash.toLowerCase(),
    listHash === chain.documentHash.toLowerCase()
      ? `keccak256(${list.file}) = ${listHash} = the roster's documentHash`
      : `keccak256(${list.file}) = ${listHash}, the roster's documentHash is ${chain.documentHash}: this is not the list that was submitted (or it was altered)`,
  );
  const indexed = db.get("SELECT document_hash, document_uri FROM rosters WHERE roster_id = ?", rosterId);
  if (indexed && String(indexed.document_hash) !== chain.documentHash.toLowerCase()) {
    check("index", false, `the index holds documentHash ${indexed.document_hash} for this roster, the chain ${chain.documentHash}`);
  }

  // 2. The list's rows against the roster's line count and total.
  const parsed = readList(list.bytes, list.file);
  let listRows: ListRow[] | undefined;
  if ("problem" in parsed) {
    check("list rows", false, `${list.file} cannot be read as a publicity list: ${parsed.problem}`);
  } else {
    listRows = parsed.rows;
    const total = listRows.reduce((s, r) => s + r.amount, 0n);
    const numbered = listRows.every((r, i) => r.index === i);
    check("list line count", BigInt(listRows.length) === chain.lineCount && numbered, `the list has ${listRows.length} rows${numbered ? "" : " (not numbered 1, 2, 3, … in order)"}, the roster ${chain.lineCount} lines`);
    check("list total", total === chain.total, `the list's amounts add up to ${formatFen(total)} yuan, the roster's total is ${formatFen(chain.total)} yuan`);
  }

  // 3. The bundle: its own consistency (bundleFromJson rebuilds the tree from the lines and refuses
  // a root, count, total or tree section that does not match them), then against the chain.
  if (input.bundle) {
    let bundle: RosterBundle | undefined;
    try {
      bundle = bundleFromJson(input.bundle.text);
      check("bundle", true, `${input.bundle.file}: its lines rebuild its root ${bundle.root}, line count and total`);
    } catch (error) {
      check("bundle", false, `${input.bundle.file}: ${(error as Error).message}`);
    }
    if (bundle) {
      const same = (name: string, ours: string | bigint | number, theirs: string | bigint | number, unit = "") =>
        check(`bundle ${name}`, String(ours).toLowerCase() === String(theirs).toLowerCase(), `bundle ${ours}${unit}, chain ${theirs}${unit}`);
      same("root", bundle.root, chain.root);
      same("line count", bundle.lineCount, chain.lineCount);
      same("total", bundle.total, chain.total, " fen");
      same("document hash", bundle.documentHash, chain.documentHash);
      same("programme", bundle.programmeId, chain.programmeId);
      same("region", bundle.region, chain.region);
      if (listRows) {
        const wrong = bundle.lines.filter((l, i) => listRows![i]?.amount !== l.amount);
        check(
          "list rows = bundle lines",
          listRows.length === bundle.lines.length && wrong.length === 0,
          wrong.length === 0 && listRows.length === bundle.lines.length
            ? `all ${listRows.length} rows carry the bundle's amounts`
            : `${listRows.length} rows, ${bundle.lines.length} lines; amounts differ at ${differences(wrong, (l) => `line ${l.index} (list ${listRows![l.index] ? formatFen(listRows![l.index]!.amount) : "none"}, bundle ${formatFen(l.amount)})`)}`,
        );
      }
      // Every line paid on chain is the bundle's line of that index: same household, same amount.
      const paid = db.all("SELECT line_index, household, amount, tx FROM payouts WHERE roster_id = ? ORDER BY line_index", rosterId);
      const mismatched = paid.filter((p) => {
        const line = bundle!.lines[num(p, "line_index")];
        return !line || line.household !== big(p, "household") || line.amount !== big(p, "amount");
      });
      check(
        "paid lines = bundle lines",
        mismatched.length === 0,
        mismatched.length === 0
          ? `all ${paid.length} lines paid on chain (as indexed) are the bundle's lines`
          : `${mismatched.length} paid line(s) differ from the bundle: ${differences(mismatched, (p) => `line ${p.line_index} paid household ${p.household} ${formatFen(big(p, "amount"))} yuan (tx ${p.tx})`)}`,
      );
    }
  }
  return { rosterId, checks, ok: checks.every((c) => c.ok) };
}
