/** What every portal view shares: the language, element building, money and state words, tables. */
import { h, link } from "../../src/dom.js";
import { type Explorer, explorer } from "../../../src/resident/explorer.js";
import { type Lang, text, type TextKey } from "./texts.js";

export { h };

export const ui = {
  lang: (localStorage.getItem("portal.lang") === "en" ? "en" : "zh") as Lang,
  contact: { zh: undefined as string | undefined, en: undefined as string | undefined },
  /** The explorer of the settings, if any: every transaction becomes a link to its logs. */
  explorer: undefined as Explorer | undefined,
};

/** Takes the explorer from the service's settings (GET /api/config); a bad one is left out. */
export function useExplorer(settings: { kind: string; baseUrl: string } | null | undefined): void {
  try {
    ui.explorer = settings ? explorer(settings.kind, settings.baseUrl) : undefined;
  } catch {
    ui.explorer = undefined;
  }
}

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

/**
 * A transaction hash as a short code (with the whole hash for copying and screen readers), linked to
 * its logs on the explorer when the settings name one; `logIndex` names which log is meant.
 */
export function txCode(hash: string, logIndex?: number): HTMLElement {
  const code = h("code", { title: hash, "aria-label": hash }, shortHash(hash));
  if (!ui.explorer) return code;
  const label = logIndex === undefined ? hash : `${hash}, log ${logIndex}`;
  const a = link(ui.explorer.txLogs(hash), "", label);
  a.replaceChildren(code);
  return a;
}
