/**
 * The publicity list (公示名单) of a roster: the document whose hash goes on chain as
 * `documentHash`. Same rows in, same bytes out, so anyone holding the published file can check it
 * against the chain.
 */
import { keccak256 } from "ethers";

import { formatYuanPlain } from "./amount.js";
import { checkRowBasics, csvBytes } from "./csv.js";
import { maskName } from "./mask.js";

export interface PublicityRow {
  /** The roster line index; the list shows index + 1. */
  index: number;
  name: string;
  /** 12-digit division code of the household's village. */
  village: bigint;
  /** Fen. */
  amount: bigint;
}

export const PUBLICITY_HEADER = ["序号", "姓名", "村(行政区划代码)", "金额(元)"] as const;

/** The list as CSV bytes (UTF-8 BOM, CRLF, masked names) and keccak256 of exactly those bytes. */
export function publishedListCsv(rows: readonly PublicityRow[]): { bytes: Uint8Array; hash: string } {
  checkRowBasics(rows, "publicity list");
  const records = [
    [...PUBLICITY_HEADER],
    ...rows.map((row) => [
      String(row.index + 1),
      maskName(row.name),
      row.village.toString(),
      formatYuanPlain(row.amount),
    ]),
  ];
  const bytes = csvBytes(records);
  return { bytes, hash: keccak256(bytes) };
}
