/**
 * The residents' texts in two languages, Chinese and English, shared by the residents' page (web/)
 * and `resident check`, so that both say the same of each outcome. Browser-safe.
 */
import { formatChinaTime } from "../format.js";
import type { LineRecord, RosterRecord } from "../records.js";
import { en, type MessageKey } from "./en.js";
import { zh } from "./zh.js";

export type Lang = "zh" | "en";
export type { MessageKey };

const messages: Record<Lang, Record<MessageKey, string>> = { zh, en };

export function browserLang(languages: readonly string[]): Lang {
  for (const l of languages) {
    if (/^zh\b/i.test(l)) return "zh";
    if (/^en\b/i.test(l)) return "en";
  }
  return "zh";
}

export function translate(lang: Lang, key: MessageKey, params: Record<string, string | number | bigint> = {}): string {
  return messages[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) =>
    name in params ? String(params[name]) : whole,
  );
}

const REASONS: Record<string, MessageKey> = {
  Deceased: "reason.Deceased",
  MovedAway: "reason.MovedAway",
  Ineligible: "reason.Ineligible",
  Other: "reason.Other",
};

/** A suspension reason by name (`Deceased`, …) in `lang`. */
export const reasonText = (lang: Lang, reason: string | undefined): string =>
  translate(lang, REASONS[reason ?? "Other"] ?? "reason.Other");

/**
 * What a line's outcome means and what to do next, in `lang`: times in Beijing time, the line by its
 * 序号, `contact` the office a resident turns to (the page's configured one, or the default).
 */
export function outcomeText(
  lang: Lang,
  line: LineRecord,
  roster: RosterRecord,
  contact = translate(lang, "contact.default"),
): string {
  const time = (t: number | undefined) => (t === undefined ? "—" : formatChinaTime(t));
  return translate(lang, `outcomeText.${line.outcome}`, {
    roster: line.rosterId,
    line: line.lineIndex + 1,
    contact,
    end: time(roster.publicityEnd),
    deadline: time(roster.payoutDeadline),
    reason: line.skippedFor ? reasonText(lang, line.skippedFor.reason) : "—",
    since: line.skippedFor ? time(line.skippedFor.at.time) : "—",
  });
}
