/** What every portal view shares: the language, element building, money and state words, tables. */
import { h } from "../../src/dom.js";
import { type Lang, text, type TextKey } from "./texts.js";

export { h };

export const ui = {
  lang: (localStorage.getItem("portal.lang") === "en" ? "en" : "zh") as Lang,
  contact: { zh: undefined as string | undefined, en: undefined as string | undefined },
};

export const t = (key: TextKey, params: Record<string, string | number> = {}) =>
  text(ui.lang, key, { contact: ui.contact[ui.lang] ?? text(ui.lang, "contact"), ...params });

/** A state word from the contracts' enums, in the page's language (the name itself if unknown). */
export function word(prefix: "state" | "status" | "hold", name: string): string {
  const key = `${prefix}.${name}` as TextKey;
  try {
    return t(key);
  } catch {
    return name;
  }
}

export interface Money {
  fen: string;
  yuan: string;
}
export const yuan = (m: Money) => (ui.lang === "zh" ? `${m.yuan} 元` : `${m.yuan} yuan`);

/** A name from the configuration in the page's language, else the fallback (an id or a code). */
export const named = (n: { zh: string | null; en: string | null } | null | undefined, fallback: string) =>
  (ui.lang === "zh" ? (n?.zh ?? n?.en) : (n?.en ?? n?.zh)) ?? fallback;

export const shortHash = (hex: string) => `${hex.slice(0, 10)}…${hex.slice(-6)}`;

/** A table with a caption; `rows` are cells (text or elements). Scrolls sideways on a phone. */
export function table(caption: string, head: string[], rows: Array<Array<Node | string>>): HTMLElement {
  return h(
    "div",
    { class: "table-wrap", role: "region", "aria-label": caption, tabindex: "0" },
    h(
      "table",
      {},
      h("caption", {}, caption),
      h("thead", {}, h("tr", {}, ...head.map((c) => h("th", { scope: "col" }, c)))),
      h("tbody", {}, ...rows.map((r) => h("tr", {}, ...r.map((c) => h("td", {}, c))))),
    ),
  );
}

export const route = (href: string, label: string) => h("a", { href }, label);

/** A transaction hash as a short code (with the whole hash for copying and screen readers). */
export const txCode = (hash: string) => h("code", { title: hash, "aria-label": hash }, shortHash(hash));
