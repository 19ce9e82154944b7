/** Reading a names file (src/names.ts), and any JSON settings file, from disk: for the command line and the read service. */
import { readFileSync } from "node:fs";

import { type NameBook, NO_NAMES, parseNameBook } from "./names.js";

/** The JSON object in `file`, given as --`option`; one line naming the file and what is wrong otherwise. */
export function readJsonObject(
  file: string,
  option: string,
  what: string,
  shape = "a JSON object",
): Record<string, unknown> {
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new Error(`--${option} ${file}: cannot read it (${why}); give ${what}`, { cause: error });
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error(`--${option} ${file}: must be ${shape}`);
  return parsed as Record<string, unknown>;
}

/** The names in `file` (a JSON object with "departments" / "regions" / "programmes"); none for "". */
export function readNameBook(file: string): NameBook {
  if (!file) return NO_NAMES;
  const what = `the residents' page config.json or a JSON file with "departments", "regions", "programmes"`;
  const shape = `a JSON object with "departments", "regions" and/or "programmes"`;
  return parseNameBook(readJsonObject(file, "names", what, shape), file);
}
