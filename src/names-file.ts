/** Reading a names file (src/names.ts) from disk, for the command line and the read service. */
import { readFileSync } from "node:fs";

import { type NameBook, NO_NAMES, parseNameBook } from "./names.js";

/** The names in `file` (a JSON object with "departments" / "regions" / "programmes"); none for "". */
export function readNameBook(file: string): NameBook {
  if (!file) return NO_NAMES;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(file, "utf8"));
  } catch (error) {
    const why = (error as NodeJS.ErrnoException).code === "ENOENT" ? "no such file" : (error as Error).message;
    throw new Error(
      `--names ${file}: cannot read it (${why}); give the residents' page config.json or a JSON file with "departments", "regions", "programmes"`,
      { cause: error },
    );
  }
  if (typeof parsed !== "object" || parsed === null || Array.isArray(parsed))
    throw new Error(`--names ${file}: must be a JSON object with "departments", "regions" and/or "programmes"`);
  return parseNameBook(parsed as Record<string, unknown>, file);
}
