/**
 * The province's offices as the chain's events record them: every office ever bound, its current
 * holder (or vacant), since when, and how many accounts held it before. The Directory itself cannot
 * list its offices (it is a map), so the auditor and the inspector read them from OfficeBound and
 * OfficeVacated, and check each against the Directory's own view (`holderOf`).
 */
import type { IndexDatabase } from "../indexer/index.js";
import { describeOffice, OFFICE_KINDS } from "../offices.js";
import { isWithinRegion } from "../roster/village.js";
import type { Suite } from "../suite.js";
import { big, isoTime, num, str } from "./rows.js";

const ZERO = "0x0000000000000000000000000000000000000000";

export interface OfficeRecord {
  kind: string;
  department: number;
  region: bigint;
  /** "the treasury (disbursing office) of 110101000000 (county)". */
  office: string;
  /** The account holding it now (zero address: vacant). */
  holder: string;
  /** When its current holder took it, or when it was vacated. */
  since: { block: number; tx: string; time: string | null };
  /** Accounts that held it before (all retired). */
  previousHolders: string[];
  /** What the Directory says now, when checked against the chain. */
  chainHolder?: string;
}

/** Every office bound in the index, in region and kind order; `within` keeps those of a subtree. */
export function officesFromIndex(db: IndexDatabase, within?: bigint): OfficeRecord[] {
  const rows = db.all(
    `SELECT o.*, b.time FROM offices o LEFT JOIN blocks b ON b.number = o.block ORDER BY o.block, o.log_index`,
  );
  const offices = new Map<string, OfficeRecord>();
  for (const row of rows) {
    const kind = num(row, "kind");
    const department = num(row, "department");
    const region = big(row, "region");
    const key = `${kind}/${department}/${region}`;
    const record =
      offices.get(key) ??
      ({
        kind: OFFICE_KINDS[kind] ?? `kind ${kind}`,
        department,
        region,
        office: describeOffice({ kind, department, region }),
        holder: ZERO,
        since: { block: 0, tx: "", time: null },
        previousHolders: [],
      } satisfies OfficeRecord);
    const account = str(row, "account");
    if (str(row, "event") === "bound") {
      record.holder = account;
    } else {
      record.previousHolders.push(account);
      record.holder = ZERO;
    }
    record.since = { block: num(row, "block"), tx: str(row, "tx"), time: isoTime(big(row, "time")) };
    offices.set(key, record);
  }
  return [...offices.values()]
    .filter((o) => within === undefined || isWithinRegion(o.region, within))
    .sort((a, b) =>
      a.region === b.region
        ? OFFICE_KINDS.indexOf(a.kind as never) - OFFICE_KINDS.indexOf(b.kind as never) || a.department - b.department
        : a.region < b.region
          ? -1
          : 1,
    );
}

/** Adds the Directory's current holder to each record; returns the records where the two differ. */
export async function checkOffices(suite: Suite | undefined, offices: OfficeRecord[]): Promise<OfficeRecord[]> {
  if (!suite) return []; // offline: the index alone (the task says so)
  const holders = await Promise.all(
    offices.map((o) =>
      suite.directory.holderOf({
        kind: OFFICE_KINDS.indexOf(o.kind as never),
        department: o.department,
        region: o.region,
      }),
    ),
  );
  offices.forEach((o, i) => (o.chainHolder = holders[i]!));
  return offices.filter((o) => o.chainHolder!.toLowerCase() !== o.holder.toLowerCase());
}
