/**
 * The public portal (阳光公示): a page over the read service's API (src/portal/server.ts), in
 * Chinese and English, for phones and desktops. Routes live in the URL's hash so that a link or a
 * QR code opens a view directly: #/programmes, #/programmes/<id>, #/regions/<programme>/<region>,
 * #/rosters/<id>, #/warnings, #/check?roster=<id>, #/household?code=<query code>.
 */
import { ApiError, TIMEOUT_MS, whenFresh } from "./api.js";
import { checkView, householdView } from "./tools.js";
import { h, t, ui, useExplorer } from "./ui.js";
import { programmesView, programmeView, regionView, rosterView, warningsView } from "./views.js";
import "../../src/styles.css";
import "./portal.css";

const $ = (id: string) => document.getElementById(id)!;
const view = $("view");
const freshness = $("freshness");

whenFresh((f) => {
  const parts = [t("fresh.at", { block: f.at.block, time: f.at.time ?? "?" })];
  if (!f.chain.reachable && f.chain.error) parts.push(t("fresh.down", { error: f.chain.error }));
  else if (f.chain.behind) parts.push(t("fresh.behind", { n: f.chain.behind }));
  else if (f.chain.behind === 0) parts.push(t("fresh.current"));
  freshness.textContent = parts.join(" · ");
  freshness.className = `freshness${!f.chain.reachable && f.chain.error ? " stale" : ""}`;
});

function chrome(): void {
  document.documentElement.lang = ui.lang === "zh" ? "zh-CN" : "en";
  document.title = t("title");
  $("title").textContent = t("title");
  $("skip").textContent = t("skip");
  $("lang").textContent = t("switchLang");
  const here = location.hash.split("?")[0] || "#/programmes";
  $("nav").replaceChildren(
    ...(
      [
        ["#/programmes", "nav.programmes"],
        ["#/warnings", "nav.warnings"],
        ["#/check", "nav.check"],
        ["#/household", "nav.household"],
      ] as const
    ).map(([href, key]) => h("a", { href, ...(here.startsWith(href) ? { "aria-current": "page" } : {}) }, t(key))),
  );
}

async function render(): Promise<void> {
  chrome();
  const [path = "", queryText = ""] = location.hash.replace(/^#/, "").split("?");
  const parts = path.split("/").filter(Boolean);
  const query = new URLSearchParams(queryText);
  view.replaceChildren(h("p", { class: "muted" }, t("loading")));
  try {
    let nodes: Node[];
    if (parts[0] === "programmes" && parts[1]) nodes = await programmeView(parts[1]);
    else if (parts[0] === "regions" && parts[1] && parts[2]) nodes = await regionView(parts[1], parts[2]);
    else if (parts[0] === "rosters" && parts[1]) nodes = await rosterView(parts[1]);
    else if (parts[0] === "warnings") nodes = await warningsView();
    else if (parts[0] === "check") nodes = checkView(query);
    else if (parts[0] === "household") nodes = householdView(query);
    else nodes = await programmesView();
    view.replaceChildren(...nodes);
  } catch (error) {
    const message =
      error instanceof ApiError
        ? error.kind === "timeout"
          ? t("error.timeout", { s: TIMEOUT_MS / 1000 })
          : error.kind === "network"
            ? t("error.network", { message: error.message })
            : t("error.status", { message: error.message })
        : (error as Error).message;
    view.replaceChildren(h("div", { class: "error", role: "alert" }, message));
  }
}

$("lang").addEventListener("click", () => {
  ui.lang = ui.lang === "zh" ? "en" : "zh";
  localStorage.setItem("portal.lang", ui.lang);
  void render();
});
window.addEventListener("hashchange", () => void render());
void fetch(new URL("../api/config", location.href))
  .then((r) => r.json())
  .then(
    (c: { data?: { contact?: { zh?: string; en?: string }; explorer?: { kind: string; baseUrl: string } | null } }) => {
      ui.contact = { zh: c.data?.contact?.zh, en: c.data?.contact?.en };
      useExplorer(c.data?.explorer);
    },
  )
  .catch(() => undefined)
  .finally(() => void render());
