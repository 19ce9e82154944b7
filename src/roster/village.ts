/**
 * 12-digit administrative division codes (行政区划代码) `PP CC DD TTT VVV`, with the same level and
 * ancestry rules as contracts/libraries/RegionCode.sol, so a roster the reader accepts is one the
 * contracts accept for its region.
 */

export type VillageParse = { code: bigint } | { problem: string; fix: string };

const EXAMPLE = "110101001001";
const FIX_CODE = `write the village's 12-digit administrative division code, e.g. ${EXAMPLE}`;

/** 1 province, 2 city, 3 county, 4 township, 5 village: by the trailing zero groups (10/8/6/3 digits). */
export function regionLevel(code: bigint): number {
  if (code % 10n ** 10n === 0n) return 1;
  if (code % 10n ** 8n === 0n) return 2;
  if (code % 10n ** 6n === 0n) return 3;
  if (code % 10n ** 3n === 0n) return 4;
  return 5;
}

const UNIT_BY_LEVEL = [0n, 10n ** 10n, 10n ** 8n, 10n ** 6n, 10n ** 3n, 1n] as const;

export function isValidRegionCode(code: bigint): boolean {
  return code >= 100_000_000_000n && code <= 999_999_999_999n;
}

/** Whether `code` is `region` itself or lies inside it (RegionCode.isAncestor, or equal). */
export function isWithinRegion(code: bigint, region: bigint): boolean {
  if (code === region) return true;
  const level = regionLevel(region);
  if (level >= regionLevel(code)) return false;
  const unit = UNIT_BY_LEVEL[level] ?? 1n;
  return (code / unit) * unit === region;
}

/** The codes of `region` and everything inside it, as one inclusive range (for SQL `BETWEEN`). */
export function regionRange(region: bigint): { low: bigint; high: bigint } {
  const unit = UNIT_BY_LEVEL[regionLevel(region)] ?? 1n;
  return { low: region, high: region + unit - 1n };
}

/** The region at `level` containing `code` (`code` itself at its own level); null when `level` is
 * deeper than `code`'s. RegionCode.at. */
export function regionAt(code: bigint, level: number): bigint | null {
  if (level < 1 || level > regionLevel(code)) return null;
  const unit = UNIT_BY_LEVEL[level] ?? 1n;
  return (code / unit) * unit;
}

export function parseVillage(text: string): VillageParse {
  const s = text.normalize("NFKC").trim();
  if (s === "") return { problem: "empty", fix: FIX_CODE };
  if (/^\d+(\.\d+)?[eE][+-]?\d+$/.test(s)) {
    return {
      problem: "written in scientific notation (the spreadsheet shows the code as a number)",
      fix: "format the column as Text (or as a number with no decimals) and type the 12-digit code again",
    };
  }
  if (!/^\d+$/.test(s)) return { problem: "not a division code: only digits are allowed", fix: FIX_CODE };
  if (s.length !== 12) return { problem: `${s.length} digits instead of 12`, fix: FIX_CODE };
  if (s.startsWith("0")) return { problem: "starts with 0, which no division code does", fix: FIX_CODE };
  return { code: BigInt(s) };
}

export function regionProblem(code: bigint, region: bigint | undefined): { problem: string; fix: string } | undefined {
  if (region === undefined || isWithinRegion(code, region)) return undefined;
  return {
    problem: `not in the roster's region ${region}`,
    fix: `correct the code, or move the household to the roster of its own region (this roster covers ${region} and the places under it)`,
  };
}
