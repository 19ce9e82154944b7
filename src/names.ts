/**
 * What people call the numbers the chain keeps: departments, regions and programmes, in Chinese and
 * English, from a bureau's configuration (the residents' page config.json, or any JSON file with
 * the same "departments" / "regions" / "programmes" objects). One parser for the page, the audit
 * exports and the portal. Browser-safe.
 *
 *   "departments": { "2": { "zh": "财政局", "en": "Finance" } },
 *   "regions": { "110101001000": { "zh": "示例一镇", "en": "Sample township 1" } },
 *   "programmes": { "1": { "zh": "最低生活保障金", "en": "Minimum living allowance" } }
 */

export type Names = Record<string, { zh?: string; en?: string }>;

export interface NameBook {
  departments: Names;
  regions: Names;
  programmes: Names;
}

export const NO_NAMES: NameBook = { departments: {}, regions: {}, programmes: {} };

/** One names object (`"departments"`, …) of `file`, checked strictly: a typo fails loudly. */
export function parseNames(value: unknown, where: string, file = "config.json"): Names {
  if (value === undefined) return {};
  if (typeof value !== "object" || value === null || Array.isArray(value))
    throw new Error(`${file}: "${where}" must be an object`);
  const out: Names = {};
  for (const [key, entry] of Object.entries(value)) {
    const e = entry as Record<string, unknown>;
    if (
      typeof e !== "object" ||
      e === null ||
      (e.zh !== undefined && typeof e.zh !== "string") ||
      (e.en !== undefined && typeof e.en !== "string")
    ) {
      throw new Error(`${file}: "${where}.${key}" must be { "zh": "…", "en": "…" }`);
    }
    out[key] = { ...(typeof e.zh === "string" ? { zh: e.zh } : {}), ...(typeof e.en === "string" ? { en: e.en } : {}) };
  }
  return out;
}

/** The three names objects of a parsed configuration file. */
export function parseNameBook(config: Record<string, unknown>, file: string): NameBook {
  return {
    departments: parseNames(config.departments, "departments", file),
    regions: parseNames(config.regions, "regions", file),
    programmes: parseNames(config.programmes, "programmes", file),
  };
}

/** `key`'s name in `lang` (the other language if only that one is given), or undefined. */
export function nameIn(names: Names, key: string | number | bigint, lang: "zh" | "en"): string | undefined {
  const entry = names[String(key)];
  return lang === "zh" ? (entry?.zh ?? entry?.en) : (entry?.en ?? entry?.zh);
}
