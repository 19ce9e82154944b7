/**
 * Offices and review stages, as the contracts hold them (contracts/interfaces/IDirectory.sol,
 * contracts/libraries/ReviewStages.sol): what an office is, how a programme's review stages are
 * packed into one word, and which stage an office reviews for a roster. Tasks, the indexer, the
 * resident page and the tests read and write both through this one module.
 */
import { ENUM_NAMES } from "./chain/states.js";
import { regionAt, regionLevel } from "./roster/village.js";

/** IDirectory.OfficeKind, in declaration order (the one table of enum names, src/chain/states.ts). */
export const OFFICE_KINDS = ENUM_NAMES.OfficeKind;
export type OfficeKindName = (typeof OFFICE_KINDS)[number];
export const OfficeKind = Object.fromEntries(OFFICE_KINDS.map((name, i) => [name, i])) as Record<
  OfficeKindName,
  number
>;

/** What a clerk types for an office kind, and what each is called in messages. */
const KIND_WORDS: Record<string, OfficeKindName> = {
  bureau: "Bureau",
  "civil-affairs": "CivilAffairs",
  reviewer: "Reviewer",
  treasury: "Treasury",
  bank: "Bank",
};
const KIND_LABELS: Record<OfficeKindName, string> = {
  None: "no office",
  Bureau: "finance bureau",
  CivilAffairs: "civil-affairs office",
  Reviewer: "reviewing office",
  Treasury: "treasury (disbursing office)",
  Bank: "agent bank",
};

/** An office kind as people call it: "finance bureau", "agent bank", … */
export const officeKindLabel = (kind: bigint | number): string =>
  KIND_LABELS[OFFICE_KINDS[Number(kind)] ?? "None"] ?? `office kind ${kind}`;

/** Administrative levels (RegionCode): 1 province … 5 village. */
export const LEVELS = ["", "province", "city", "county", "township", "village"] as const;

export interface Office {
  kind: number;
  department: number;
  region: bigint;
}

/** An office as the chain returns it (numbers as bigints) or as written here. */
export interface OfficeLike {
  kind: bigint | number;
  department: bigint | number;
  region: bigint;
}

/** `--kind bureau|civil-affairs|reviewer|treasury|bank` → the kind's number. */
export function officeKindArg(value: string): number {
  const name = KIND_WORDS[value.trim().toLowerCase()];
  if (!name) throw new Error(`--kind must be one of ${Object.keys(KIND_WORDS).join(", ")}, got "${value}"`);
  return OfficeKind[name];
}

/** "the reviewing office of department 2 at 110101000000 (county)", "no office". */
export function describeOffice(office: OfficeLike): string {
  const name = OFFICE_KINDS[Number(office.kind)] ?? "None";
  if (name === "None") return "no office";
  const where = `${office.region} (${LEVELS[regionLevel(office.region)]})`;
  if (name === "Reviewer") return `the reviewing office of department ${office.department} at ${where}`;
  return `the ${KIND_LABELS[name]} of ${where}`;
}

/** One review stage: the department whose office reviews, and that office's level. */
export interface ReviewStage {
  department: number;
  level: number;
}

export interface ReviewStages {
  stages: ReviewStage[];
  ordered: boolean;
}

const ORDERED = 1n << 255n;
export const MAX_STAGES = 8;

/** Packs stages as ReviewStages.sol reads them; refuses what the contract would refuse. */
export function packStages({ stages, ordered }: ReviewStages): bigint {
  if (stages.length === 0 || stages.length > MAX_STAGES)
    throw new Error(`a programme has 1 to ${MAX_STAGES} review stages, not ${stages.length}`);
  let word = ordered ? ORDERED : 0n;
  const seen = new Set<string>();
  stages.forEach(({ department, level }, i) => {
    if (!Number.isInteger(department) || department < 0 || department > 255)
      throw new Error(`stage ${i + 1}: department ${department} is not 0-255`);
    if (!Number.isInteger(level) || level < 1 || level > 5)
      throw new Error(`stage ${i + 1}: level ${level} is not 1 (province) to 5 (village)`);
    const key = `${department}@${level}`;
    if (seen.has(key))
      throw new Error(
        `stage ${i + 1} repeats department ${department} at ${LEVELS[level]} level: each stage is a different office`,
      );
    seen.add(key);
    word |= ((BigInt(level) << 8n) | BigInt(department)) << BigInt(16 * i);
  });
  return word;
}

/** The stages packed in `word` (a programme's or a roster's `reviewStages`). */
export function unpackStages(word: bigint): ReviewStages {
  const stages: ReviewStage[] = [];
  for (let i = 0; i < MAX_STAGES; i++) {
    const raw = (word >> BigInt(16 * i)) & 0xffffn;
    const level = Number(raw >> 8n);
    if (level === 0) break;
    stages.push({ department: Number(raw & 0xffn), level });
  }
  return { stages, ordered: (word & ORDERED) !== 0n };
}

/**
 * `--stages "0@township,0@county,2@county"` (department@level, in order) → stages. Levels are
 * province, city, county, township, village.
 */
export function stagesArg(value: string, ordered: boolean): ReviewStages {
  const parts = value
    .split(",")
    .map((s) => s.trim())
    .filter(Boolean);
  if (parts.length === 0) throw new Error(`--stages must list department@level, e.g. 0@township,0@county,2@county`);
  const stages = parts.map((part) => {
    const m = /^(\d{1,3})@([a-z]+)$/.exec(part.toLowerCase());
    const level = m ? LEVELS.indexOf(m[2] as (typeof LEVELS)[number]) : -1;
    if (!m || level < 1 || Number(m[1]) > 255) {
      throw new Error(
        `--stages: "${part}" is not department@level (department 0-255, level province|city|county|township|village), e.g. 2@county`,
      );
    }
    return { department: Number(m[1]), level };
  });
  const result = { stages, ordered };
  packStages(result);
  return result;
}

/** "department 0 at township level, then department 0 at county level" (ordered) or "… and …". */
export function describeStages({ stages, ordered }: ReviewStages): string {
  const each = stages.map((s, i) => `stage ${i + 1}: department ${s.department} at ${LEVELS[s.level]} level`);
  return `${each.join("; ")}${ordered ? " (in this order)" : " (in any order)"}`;
}

/** The office that reviews stage `stage` of a roster of `rosterRegion`, or null (region above the level). */
export function stageOffice(stage: ReviewStage, rosterRegion: bigint): Office | null {
  const region = regionAt(rosterRegion, stage.level);
  return region === null ? null : { kind: OfficeKind.Reviewer, department: stage.department, region };
}

/** Index of the stage `office` reviews for a roster of `rosterRegion` (ReviewStages.stageOf), or -1. */
export function stageOfOffice(stages: ReviewStages, office: OfficeLike, rosterRegion: bigint): number {
  if (Number(office.kind) !== OfficeKind.Reviewer) return -1;
  const level = regionLevel(office.region);
  if (regionAt(rosterRegion, level) !== office.region) return -1;
  return stages.stages.findIndex((s) => s.department === Number(office.department) && s.level === level);
}

/**
 * The offices of one county as the benchmarks, fault tests and index benchmark wire them: the
 * county's bureau and each township's, the county's civil affairs, one reviewing office per
 * department (department i is `reviewers[i]`), treasury and agent bank. `T` is however the caller
 * names an account (an address, an index, a signer).
 */
export function countyOffices<T>(
  county: bigint,
  who: {
    bureau: T;
    townships: ReadonlyArray<readonly [T, bigint]>;
    civilAffairs: T;
    reviewers: readonly T[];
    treasury: T;
    bank: T;
  },
): Array<{ account: T; office: Office }> {
  const at = (account: T, kind: number, region: bigint, department = 0) => ({
    account,
    office: { kind, department, region },
  });
  return [
    at(who.bureau, OfficeKind.Bureau, county),
    ...who.townships.map(([account, township]) => at(account, OfficeKind.Bureau, township)),
    at(who.civilAffairs, OfficeKind.CivilAffairs, county),
    ...who.reviewers.map((account, department) => at(account, OfficeKind.Reviewer, county, department)),
    at(who.treasury, OfficeKind.Treasury, county),
    at(who.bank, OfficeKind.Bank, county),
  ];
}

/** Review stages of one county: each of `departments` at county level, in any order. */
export function countyStages(...departments: number[]): bigint {
  return packStages({ stages: departments.map((department) => ({ department, level: 3 })), ordered: false });
}
