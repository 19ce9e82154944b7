/**
 * The portal's two checks a person runs on their own device: a published list hashed in the browser
 * and compared with the chain (naming the first differing row), and the household self-check, whose
 * ID number and query code never leave the page — only the commitment computed from them is asked
 * about, and the service's answer is then checked against the chain's nodes.
 */
import { keccak256 } from "ethers";

import type { householdLines, rosterDetail, rosterLines } from "../../../src/portal/views.js";
import { formatFen } from "../../../src/money.js";
import { firstListDifference, readPublicityList } from "../../../src/outputs/publicity-read.js";
import { residentInput } from "../../../src/resident/input.js";
import { checkPayoutLog } from "../../../src/resident/verify-log.js";
import { api } from "./api.js";
import { h, named, route, t, txCode, word } from "./ui.js";

type Roster = ReturnType<typeof rosterDetail>;
type Lines = ReturnType<typeof rosterLines>;
type Household = ReturnType<typeof householdLines>;
interface PortalConfig {
  rpcUrls: string[];
  disbursement: string;
}

const field = (id: string, label: string, input: HTMLElement) =>
  h("div", { class: "field" }, h("label", { for: id }, label), input);

export function checkView(query: URLSearchParams): Node[] {
  const rosterInput = h("input", {
    id: "check-roster",
    type: "text",
    inputmode: "numeric",
    value: query.get("roster") ?? "",
  }) as HTMLInputElement;
  const fileInput = h("input", { id: "check-file", type: "file", accept: ".csv,text/csv" }) as HTMLInputElement;
  const result = h("div", { id: "check-result", role: "status", "aria-live": "polite" });
  const form = h(
    "form",
    { novalidate: "" },
    field("check-roster", t("check.roster"), rosterInput),
    field("check-file", t("check.file"), fileInput),
    h("button", { type: "submit" }, t("check.submit")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    void (async () => {
      result.replaceChildren(t("loading"));
      const file = fileInput.files?.[0];
      const id = rosterInput.value.trim();
      if (!file || !/^\d+$/.test(id))
        return result.replaceChildren(h("p", { class: "bad" }, `${t("check.roster")} / ${t("check.file")}?`));
      const bytes = new Uint8Array(await file.arrayBuffer());
      const { data: roster } = await api<Roster>(`/rosters/${id}`);
      const hash = keccak256(bytes);
      if (hash === roster.publishedList.hash)
        return result.replaceChildren(h("p", { class: "good" }, t("check.same", { id })));
      const out: Node[] = [
        h("p", { class: "bad" }, t("check.differs", { id })),
        h("p", {}, h("code", {}, hash), " ≠ ", h("code", {}, roster.publishedList.hash)),
      ];
      const parsed = readPublicityList(bytes, file.name);
      if ("problem" in parsed) out.push(h("p", {}, t("check.unreadable", { problem: parsed.problem })));
      else {
        const chain: Array<{ index: number; amount: bigint }> = [];
        while (chain.length < roster.lines) {
          const { data } = await api<Lines>(`/rosters/${id}/lines?limit=1000&offset=${chain.length}`);
          if (data.length === 0) break;
          for (const l of data) chain.push({ index: l.seq - 1, amount: BigInt(l.amount.fen) });
        }
        const d = firstListDifference(parsed.rows, chain);
        if (!d) out.push(h("p", {}, t("check.rowsSame")));
        else if (d.kind === "amount")
          out.push(
            h(
              "p",
              { class: "bad" },
              t("check.firstRow", { seq: d.seq, line: d.line, list: formatFen(d.list), chain: formatFen(d.chain) }),
            ),
          );
        else if (d.kind === "missing")
          out.push(h("p", { class: "bad" }, t("check.missing", { seq: d.seq, chain: formatFen(d.chain) })));
        else if (d.kind === "extra")
          out.push(h("p", { class: "bad" }, t("check.extra", { seq: d.seq, line: d.line, list: formatFen(d.list) })));
        else out.push(h("p", { class: "bad" }, t("check.order", { seq: d.seq, line: d.line })));
      }
      result.replaceChildren(...out);
    })().catch((error: Error) => result.replaceChildren(h("p", { class: "bad" }, error.message)));
  });
  return [h("h2", {}, t("check.title")), h("p", {}, t("check.lead")), form, result];
}

export function householdView(query: URLSearchParams): Node[] {
  const idInput = h("input", {
    id: "hh-id",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "40",
  }) as HTMLInputElement;
  const codeInput = h("input", {
    id: "hh-code",
    type: "text",
    autocomplete: "off",
    spellcheck: "false",
    maxlength: "40",
    value: query.get("code") ?? "",
  }) as HTMLInputElement;
  const result = h("div", { id: "hh-result", role: "status", "aria-live": "polite" });
  // The inputs have no name: even without scripts, the form sends nothing anywhere.
  const form = h(
    "form",
    { novalidate: "", autocomplete: "off" },
    field("hh-id", t("household.id"), idInput),
    field("hh-code", t("household.code"), codeInput),
    h("button", { type: "submit" }, t("household.submit")),
  );
  form.addEventListener("submit", (event) => {
    event.preventDefault();
    const input = residentInput(idInput.value, codeInput.value);
    if (!input.ok) return result.replaceChildren(...input.problems.map((p) => h("p", { class: "bad" }, p.kind)));
    result.replaceChildren(t("loading"));
    void answer(input.commitment).then(
      (nodes) => result.replaceChildren(...nodes),
      (error: Error) => result.replaceChildren(h("p", { class: "bad" }, error.message)),
    );
  });
  return [h("h2", {}, t("household.title")), h("p", { class: "privacy" }, t("household.lead")), form, result];
}

async function answer(commitment: string): Promise<Node[]> {
  const [{ data }, { data: config }] = await Promise.all([
    api<Household>(`/households/${commitment}`),
    api<PortalConfig>("/config"),
  ]);
  if (!data.registered) return [h("p", { class: "bad" }, t("household.notFound"))];
  const out: Node[] = [];
  if (data.suspended) out.push(h("p", { class: "bad" }, t("household.suspended")));
  for (const l of data.lines) {
    const item = h(
      "article",
      { class: "line" },
      h(
        "h3",
        {},
        t("household.line", {
          programme: named(l.programme.name, `#${l.programme.id}`),
          roster: l.roster,
          seq: l.seq,
          amount: l.amount.yuan,
        }),
      ),
      h(
        "p",
        { class: "state" },
        word("status", l.status),
        l.hold !== "None" ? ` · ${word("hold", l.hold)}` : "",
        ` · ${word("state", l.rosterState)}`,
      ),
      h(
        "p",
        {},
        t(
          l.hold === "Frozen"
            ? "next.Frozen"
            : l.hold === "Excluded"
              ? "next.Excluded"
              : (`next.${l.status}` as "next.Paid"),
        ),
      ),
      route(`#/rosters/${l.roster}`, `${t("col.roster")} ${l.roster}`),
    );
    out.push(item);
    const log = l.payoutLog;
    if (!log) continue;
    item.append(
      h("p", { class: "muted" }, txCode(log.tx, log.logIndex), " · ", t("household.log", { log: log.logIndex })),
    );
    const expected = {
      roster: BigInt(l.roster),
      household: BigInt(l.household),
      lineIndex: l.seq - 1,
      amount: BigInt(l.amount.fen),
    };
    for (const url of config.rpcUrls) {
      const verdict = await checkPayoutLog(url, config.disbursement, log, expected);
      item.append(
        verdict.verdict === "agrees"
          ? h("p", { class: "good" }, t("household.verified", { tx: `${log.tx.slice(0, 10)}…`, log: log.logIndex }))
          : verdict.verdict === "disagrees"
            ? h("p", { class: "bad", role: "alert" }, t("household.mismatch"), ` (${verdict.why})`)
            : h("p", { class: "muted" }, t("household.unverified", { why: t("household.noAnswer") })),
      );
    }
  }
  return out;
}
