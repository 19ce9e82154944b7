/**
 * The residents' page. The ID number and query code are read from the form, turned into the
 * household commitment right here (src/resident/input.ts), and then dropped: only the commitment
 * is used to read the chain, straight from the browser over JSON-RPC. Nothing is stored, nothing
 * else is contacted; the deployment comes from config.json next to index.html.
 */
import { JsonRpcProvider, Network } from "ethers";

import {
  browserLang,
  type Explorer,
  explorer,
  type InputProblem,
  type Lang,
  logWindow,
  lookupHousehold,
  type MessageKey,
  parsePageConfig,
  type ResidentLookup,
  type ResidentPageConfig,
  residentInput,
  shortHex,
  translate,
} from "../../src/resident/index.js";
import { h, link } from "./dom.js";

import { renderResult } from "./render.js";
import "./styles.css";

const $ = <T extends HTMLElement>(id: string) => document.getElementById(id) as T;
const form = $<HTMLFormElement>("check");
const idInput = $<HTMLInputElement>("id-number");
const codeInput = $<HTMLInputElement>("query-code");
const submit = $<HTMLButtonElement>("submit");
const statusLine = $<HTMLParagraphElement>("status");
const errorBox = $<HTMLDivElement>("error");
const resultBox = $<HTMLElement>("result");
const footer = $<HTMLElement>("footer");
const langButton = $<HTMLButtonElement>("lang");

let lang: Lang = browserLang(navigator.languages ?? [navigator.language]);
const t = (key: MessageKey, params?: Record<string, string | number | bigint>) => translate(lang, key, params);

let config: ResidentPageConfig | undefined;
let configProblem: string | undefined;
let provider: JsonRpcProvider | undefined;
let chainChecked = false;
let links: Explorer | undefined;
// What is on screen, so that a language switch can redraw it. Never the ID number or the code.
let shown: {
  result?: ResidentLookup;
  problems?: InputProblem[];
  error?: { key: MessageKey; params: Record<string, string> };
  block?: number;
} = {};
let busy = false;

function applyLanguage(): void {
  document.documentElement.lang = lang === "zh" ? "zh-CN" : "en";
  document.title = t("page.title");
  for (const el of document.querySelectorAll<HTMLElement>("[data-i18n]"))
    el.textContent = t(el.dataset.i18n as MessageKey);
  langButton.textContent = t("lang.switch");
  langButton.setAttribute("aria-label", t("lang.switchLabel"));
  langButton.setAttribute("lang", lang === "zh" ? "en" : "zh-CN");
  redraw();
}

function showProblems(problems: InputProblem[] = []): void {
  for (const [input, field] of [
    [idInput, "idNumber"],
    [codeInput, "queryCode"],
  ] as const) {
    const p = problems.find((x) => x.field === field);
    const box = $(`${input.id}-problem`);
    box.textContent = p ? t(`problem.${p.field}.${p.kind}` as MessageKey, { n: p.length }) : "";
    if (p) input.setAttribute("aria-invalid", "true");
    else input.removeAttribute("aria-invalid");
  }
}

function redraw(): void {
  showProblems(shown.problems);
  // A short, polite-live summary for screen readers; the result itself takes focus.
  statusLine.textContent = busy
    ? t("form.busy")
    : shown.result
      ? t(shown.result.found ? "found.title" : "none.title")
      : "";
  statusLine.classList.toggle("sr-only", !busy);
  errorBox.hidden = !shown.error;
  errorBox.textContent = shown.error ? t(shown.error.key, shown.error.params) : "";
  resultBox.replaceChildren(
    shown.result && config ? renderResult(shown.result, { lang, config, ...(links ? { explorer: links } : {}) }) : "",
  );
  footer.replaceChildren();
  if (config) {
    const contracts = Object.entries(config.contracts).map(([name, address]) =>
      h(
        "li",
        {},
        `${name}: `,
        links
          ? link(links.address(address), shortHex(address, 4))
          : h("code", { title: address }, shortHex(address, 4)),
      ),
    );
    footer.append(
      h("p", {}, t("footer.chain", { chainId: config.chainId, block: shown.block ?? "—" })),
      h("p", {}, t("footer.time")),
      h("details", {}, h("summary", {}, t("footer.contracts")), h("ul", {}, ...contracts)),
    );
  }
}

async function loadConfig(): Promise<void> {
  try {
    const response = await fetch(new URL("config.json", document.baseURI), { cache: "no-store", credentials: "omit" });
    if (!response.ok) throw new Error(`config.json: HTTP ${response.status}`);
    config = parsePageConfig(await response.json());
    links = config.explorer ? explorer(config.explorer.kind, config.explorer.baseUrl) : undefined;
    provider = new JsonRpcProvider(config.rpcUrl, Network.from(config.chainId), {
      staticNetwork: true,
      batchMaxCount: 20,
    });
  } catch (error) {
    configProblem = (error as Error).message;
    shown = { error: { key: "error.config", params: { detail: configProblem } } };
  }
  redraw();
}

async function check(): Promise<void> {
  // Read, use, forget: the two values live only in this function's locals.
  const input = residentInput(idInput.value, codeInput.value);
  if (!input.ok) {
    shown = { problems: input.problems };
    redraw();
    (input.problems[0]?.field === "queryCode" ? codeInput : idInput).focus();
    return;
  }
  if (!config || !provider) {
    shown = { error: { key: "error.config", params: { detail: configProblem ?? "config.json" } } };
    redraw();
    return;
  }
  submit.disabled = true;
  busy = true;
  shown = {};
  redraw();
  try {
    if (!chainChecked) {
      const actual = Number(await provider.send("eth_chainId", []));
      if (actual !== config.chainId) {
        shown = {
          error: { key: "error.chainId", params: { expected: String(config.chainId), actual: String(actual) } },
        };
        return;
      }
      chainChecked = true;
    }
    const block = await provider.getBlockNumber();
    const result = await lookupHousehold(provider, config.contracts, input.commitment, {
      fromBlock: config.fromBlock,
      toBlock: block,
      logWindow: logWindow(config.logWindow),
    });
    shown = { result, block };
  } catch (error) {
    const e = error as { shortMessage?: string; message?: string };
    shown = { error: { key: "error.chain", params: { detail: e.shortMessage ?? e.message ?? String(error) } } };
  } finally {
    submit.disabled = false;
    busy = false;
    redraw();
    resultBox.focus();
  }
}

form.addEventListener("submit", (event) => {
  event.preventDefault();
  void check();
});
langButton.addEventListener("click", () => {
  lang = lang === "zh" ? "en" : "zh";
  applyLanguage();
});
resultBox.tabIndex = -1;

applyLanguage();
void loadConfig();
