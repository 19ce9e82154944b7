/** Two languages, Chinese and English; the default follows the browser. */
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
  return messages[lang][key].replace(/\{(\w+)\}/g, (whole, name: string) => (name in params ? String(params[name]) : whole));
}
