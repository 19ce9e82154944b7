/**
 * What a resident types, checked and turned into the household commitment — locally. Browser-safe:
 * only the ID-number rules, the query-code format and the commitment (ethers' keccak256). The ID
 * number and the code are used here and nowhere else; everything after this works on the
 * commitment alone (docs/privacy.md, section 8).
 */
import { householdCommitment } from "../privacy/commitment.js";
import { normaliseQueryCode, QUERY_CODE_ALPHABET, QUERY_CODE_LENGTH } from "../privacy/queryCodeFormat.js";
import { idCheckCharacter, idNumberProblem, normaliseIdNumber } from "../roster/idNumber.js";

/** Why the input cannot be a resident ID number or a query code; `kind` is for translated messages. */
export type InputProblem =
  | {
      field: "idNumber";
      kind: "empty" | "length" | "characters" | "checkDigit" | "invalid";
      length: number;
      detail: string;
    }
  | { field: "queryCode"; kind: "empty" | "length" | "characters"; length: number; detail: string };

export type ResidentInput = { ok: true; commitment: string } | { ok: false; problems: InputProblem[] };

function idProblem(raw: string): InputProblem | undefined {
  const id = normaliseIdNumber(raw);
  const detail = idNumberProblem(id);
  if (detail === undefined) return undefined;
  const length = Array.from(id).length;
  const base = { field: "idNumber" as const, length, detail };
  if (id === "") return { ...base, kind: "empty" };
  if (length !== 18) return { ...base, kind: /^[\dX]*$/.test(id) ? "length" : "characters" };
  if (!/^\d{17}[\dX]$/.test(id)) return { ...base, kind: "characters" };
  if (idCheckCharacter(id.slice(0, 17)) !== id[17]) return { ...base, kind: "checkDigit" };
  return { ...base, kind: "invalid" };
}

function codeProblem(raw: string): InputProblem | undefined {
  try {
    normaliseQueryCode(raw);
    return undefined;
  } catch (error) {
    const detail = (error as Error).message;
    const compact = raw.normalize("NFKC").replace(/[\s\-\u2010-\u2015\u2212]/gu, "");
    const length = Array.from(compact).length;
    const base = { field: "queryCode" as const, length, detail };
    if (length === 0) return { ...base, kind: "empty" };
    const upper = compact
      .replace(/[a-z]/g, (c) => c.toUpperCase())
      .replace(/[IL]/g, "1")
      .replace(/O/g, "0");
    if (Array.from(upper).some((c) => !QUERY_CODE_ALPHABET.includes(c))) return { ...base, kind: "characters" };
    return { ...base, kind: length === QUERY_CODE_LENGTH ? "characters" : "length" };
  }
}

/**
 * Checks both inputs (all problems at once) and, if they are well-formed, returns the commitment.
 * A well-formed but wrong code is not a problem here: it gives a commitment that no household has,
 * and the lookup then finds no record.
 */
export function residentInput(idNumber: string, queryCode: string): ResidentInput {
  const problems = [idProblem(idNumber), codeProblem(queryCode)].filter((p): p is InputProblem => p !== undefined);
  if (problems.length > 0) return { ok: false, problems };
  return { ok: true, commitment: householdCommitment(normaliseIdNumber(idNumber), queryCode) };
}
