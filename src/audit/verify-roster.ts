/**
 * Checking a roster's published documents against the chain: the publicity list's keccak256
 * against the roster's documentHash (a list whose bytes differ only in encoding — re-saved without
 * its byte-order mark, in GB18030, with other line endings — is said to be so, not called
 * altered); its rows against the lines on chain, 序号 by 序号 (RosterLines.LineListed, from the
 * index: no bundle needed); and, given the roster bundle, its Merkle root (rebuilt from its lines),
 * line count, total, programme and region against the chain, the list's rows against the bundle's
 * lines, and every line paid on chain against the bundle's line of that index.
 * Every check is reported, matching or not; one mismatch makes the whole verdict a mismatch.
 */
import { keccak256 } from "ethers";

import type { IndexDatabase } from "../indexer/index.js";
import { seqText } from "../lines.js";
import { formatFen } from "../money.js";
import { bundleFromJson, type RosterBundle } from "../outputs/index.js";
import { type PublicityListRow, readPublicityList } from "../outputs/publicity-read.js";
import { decodeCsv } from "../roster/csv.js";
import type { Suite } from "../suite.js";
import { big, lineSeq, num } from "./rows.js";

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

/**
 * How `bytes` differs from the list as published (UTF-8 with a byte-order mark, CRLF) when its text
 * is the same and the published bytes hash to `documentHash`; undefined when the text differs too.
 */
function sameTextAs(bytes: Uint8Array, fileName: string, documentHash: string): string | undefined {
  const decoded = decodeCsv(bytes, fileName);
  if ("issue" in decoded) return undefined;
  const lines = decoded.text.split(/\r\n|\n|\r/);
  if (lines.at(-1) === "") lines.pop();
  const canonical = `\uFEFF${lines.map((l) => `${l}\r\n`).join("")}`;
  if (keccak256(new TextEncoder().encode(canonical)) !== documentHash) return undefined;
  const how: string[] = [];
  if (decoded.encoding === "gb18030") how.push("saved in GB18030");
  else if (decoded.encoding === "utf-8") how.push("saved without its byte-order mark");
  if (!/\r\n/.test(decoded.text) || /[^\r]\n/.test(decoded.text)) how.push("other line endings");
  if (!decoded.text.endsWith("\n")) how.push("no line ending at the end");
  return how.join(", ") || "re-saved";
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
  if (rosterId < 1n || rosterId > count)
    throw new Error(`there is no roster ${rosterId} on chain (${count} submitted)`);
  const chain = await suite.rosterBook.roster(rosterId);
  const checks: Check[] = [];
  const check = (name: string, ok: boolean, detail: string) => checks.push({ check: name, ok, detail });

  // 1. The published list is the document the chain committed to, byte for byte, or differs only
  //    in its encoding (the same text, saved again by a spreadsheet or an editor).
  const listHash = keccak256(list.bytes);
  const expected = chain.documentHash.toLowerCase();
  const reencoded = listHash === expected ? undefined : sameTextAs(list.bytes, list.file, expected);
  check(
    "list hash",
    listHash === expected || reencoded !== undefined,
    listHash === expected
      ? `keccak256(${list.file}) = ${listHash} = the roster's documentHash`
      : reencoded !== undefined
        ? `${list.file} is the submitted list with the same text, differing only in encoding (${reencoded}): its bytes hash to ${listHash}, the list as published (UTF-8 with BOM, CRLF) to the roster's documentHash ${chain.documentHash}. Not altered; publish the original file.`
        : `keccak256(${list.file}) = ${listHash}, the roster's documentHash is ${chain.documentHash}, and its text differs too: this is not the list that was submitted (or it was altered)`,
  );
  const indexed = db.get("SELECT document_hash, document_uri FROM rosters WHERE roster_id = ?", rosterId);
  if (indexed && String(indexed.document_hash) !== chain.documentHash.toLowerCase()) {
    check(
      "index",
      false,
      `the index holds documentHash ${indexed.document_hash} for this roster, the chain ${chain.documentHash}`,
    );
  }

  // 2. The list's rows against the roster's line count and total.
  const parsed = readPublicityList(list.bytes, list.file);
  let listRows: PublicityListRow[] | undefined;
  if ("problem" in parsed) {
    check("list rows", false, `${list.file} cannot be read as a publicity list: ${parsed.problem}`);
  } else {
    listRows = parsed.rows;
    const total = listRows.reduce((s, r) => s + r.amount, 0n);
    const numbered = listRows.every((r, i) => r.index === i);
    check(
      "list line count",
      BigInt(listRows.length) === chain.lineCount && numbered,
      `the list has ${listRows.length} rows${numbered ? "" : " (not numbered 1, 2, 3, … in order)"}, the roster ${chain.lineCount} lines`,
    );
    check(
      "list total",
      total === chain.total,
      `the list's amounts add up to ${formatFen(total)} yuan, the roster's total is ${formatFen(chain.total)} yuan`,
    );
  }

  // 3. The list's rows against the lines on chain, 序号 by 序号: every line was listed on chain at
  //    submission (RosterLines.LineListed), and the roster is sealed only when they make its root.
  const onChain = db.all(
    "SELECT line_index, amount FROM roster_lines WHERE roster_id = ? ORDER BY line_index",
    rosterId,
  );
  const sealed = db.get("SELECT root FROM roster_seals WHERE roster_id = ?", rosterId);
  if (onChain.length === 0) {
    check(
      "chain lines",
      false,
      `the index holds no listed line of roster ${rosterId} (index the chain first with audit index; a roster listed before lines went on chain has none)`,
    );
  } else {
    check(
      "chain lines",
      BigInt(onChain.length) === chain.lineCount && sealed !== undefined,
      `${onChain.length} of the roster's ${chain.lineCount} lines are on chain${sealed ? ", and the roster is sealed: they make its root and total" : "; the roster is not sealed"}`,
    );
    if (listRows) {
      const wrong = onChain.filter((l) => listRows![num(l, "line_index")]?.amount !== big(l, "amount"));
      const extra = listRows.length - onChain.length;
      check(
        "list rows = chain lines",
        wrong.length === 0 && extra === 0,
        wrong.length === 0 && extra === 0
          ? `all ${listRows.length} rows carry the amounts listed on chain`
          : `${listRows.length} rows, ${onChain.length} lines on chain; first difference at ${seqText(wrong.length > 0 ? num(wrong[0]!, "line_index") : onChain.length)}: ${differences(wrong, (l) => `${lineSeq(l)} (list ${listRows![num(l, "line_index")] ? `${formatFen(listRows![num(l, "line_index")]!.amount)} yuan` : "none"}, chain ${formatFen(big(l, "amount"))} yuan)`)}`,
      );
    }
  }

  // 4. The bundle: its own consistency (bundleFromJson rebuilds the tree from the lines and refuses
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
        check(
          `bundle ${name}`,
          String(ours).toLowerCase() === String(theirs).toLowerCase(),
          `bundle ${ours}${unit}, chain ${theirs}${unit}`,
        );
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
            : `${listRows.length} rows, ${bundle.lines.length} lines; amounts differ at ${differences(wrong, (l) => `${seqText(l.index)} (list ${listRows![l.index] ? `${formatFen(listRows![l.index]!.amount)} yuan` : "none"}, bundle ${formatFen(l.amount)} yuan)`)}`,
        );
      }
      // Every line paid on chain is the bundle's line of that index: same household, same amount.
      const paid = db.all(
        "SELECT line_index, household, amount, tx FROM payouts WHERE roster_id = ? ORDER BY line_index",
        rosterId,
      );
      const mismatched = paid.filter((p) => {
        const line = bundle!.lines[num(p, "line_index")];
        return !line || line.household !== big(p, "household") || line.amount !== big(p, "amount");
      });
      check(
        "paid lines = bundle lines",
        mismatched.length === 0,
        mismatched.length === 0
          ? `all ${paid.length} lines paid on chain (as indexed) are the bundle's lines`
          : `${mismatched.length} paid line(s) differ from the bundle: ${differences(mismatched, (p) => `${lineSeq(p)} paid household ${p.household} ${formatFen(big(p, "amount"))} yuan (tx ${p.tx})`)}`,
      );
    }
  }
  return { rosterId, checks, ok: checks.every((c) => c.ok) };
}
