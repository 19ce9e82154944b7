/**
 * Household notices: one row per household with its full name, the last four characters of its ID
 * number, its amount and its query code — printed and handed to that household only. The file
 * holds every household's query code, so it never leaves the bureau's machine (see docs/privacy.md).
 */
import { assertNormalisedIdNumber } from "../privacy/commitment.js";
import { formatQueryCode } from "../privacy/queryCodeFormat.js";
import { formatYuanPlain } from "./amount.js";
import { checkRowBasics, csvBytes } from "./csv.js";

export interface NoticeRow {
  index: number;
  name: string;
  /** Normalised 18-character ID number. */
  idNumber: string;
  village: bigint;
  amount: bigint;
  queryCode: string;
}

export const NOTICES_HEADER = ["序号", "姓名", "身份证号(后四位)", "村(行政区划代码)", "金额(元)", "查询码"] as const;

/** "**************1234": enough for the household to see the notice is theirs. */
export function maskIdNumber(idNumber: string): string {
  assertNormalisedIdNumber(idNumber);
  return "*".repeat(14) + idNumber.slice(14);
}

export function noticesCsv(rows: readonly NoticeRow[]): Uint8Array {
  checkRowBasics(rows, "notices");
  rows.forEach((row, i) => {
    if (row.name.trim() === "") throw new Error(`notices: row ${i} has an empty name`);
  });
  return csvBytes([
    [...NOTICES_HEADER],
    ...rows.map((row, i) => {
      let masked: string, code: string;
      try {
        masked = maskIdNumber(row.idNumber);
        code = formatQueryCode(row.queryCode);
      } catch (error) {
        throw new Error(`notices: row ${i}: ${(error as Error).message}`, { cause: error });
      }
      return [
        String(row.index + 1),
        row.name.trim(),
        masked,
        row.village.toString(),
        formatYuanPlain(row.amount),
        code,
      ];
    }),
  ]);
}
