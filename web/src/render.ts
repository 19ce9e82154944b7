/** The lookup result as HTML, in the page's language. */
import {
  type ChainRef,
  type Explorer,
  formatChinaTime,
  formatFen,
  type LineRecord,
  type ResidentLookup,
  type ResidentPageConfig,
  type Lang,
  type MessageKey,
  outcomeText,
  reasonText,
  type RosterRecord,
  shortHex,
  translate,
} from "../../src/resident/index.js";
import { h, link } from "./dom.js";

export interface RenderContext {
  lang: Lang;
  config: ResidentPageConfig;
  explorer?: Explorer;
}

export function renderResult(result: ResidentLookup, ctx: RenderContext): HTMLElement {
  const t = (key: MessageKey, params?: Record<string, string | number | bigint>) => translate(ctx.lang, key, params);
  const money = (fen: bigint) => t("money", { amount: formatFen(fen) });
  const named = (names: ResidentPageConfig["regions"], key: string) => names[key]?.[ctx.lang];
  const department = (d: number) => named(ctx.config.departments, String(d)) ?? t("department", { n: d });
  const region = (r: bigint) => {
    const n = named(ctx.config.regions, String(r));
    return n ? `${n} (${r})` : String(r);
  };
  // The log's number beside the link: a payout transaction holds hundreds of lines' events, and
  // neither explorer has a page for one log, so this says which of them is the household's.
  const txRef = (ref: ChainRef) => {
    const log = t("link.log", { n: ref.logIndex, block: ref.block });
    return ctx.explorer
      ? link(
          ctx.explorer.txLogs(ref.tx),
          `${t("link.explorer")} (${log})`,
          `${t("link.explorer")}: ${t("link.tx")} ${ref.tx}, ${log}`,
        )
      : h("code", { title: ref.tx }, `${t("link.tx")} ${shortHex(ref.tx)}, ${log}`);
  };
  const step = (label: string, ref?: ChainRef, extra?: Node | string) =>
    h(
      "li",
      {},
      h("span", { class: "step-label" }, label),
      ref ? h("time", { datetime: new Date(ref.time * 1000).toISOString() }, formatChinaTime(ref.time)) : null,
      extra ?? null,
      ref ? txRef(ref) : null,
    );

  if (!result.found) {
    return h(
      "div",
      { class: "card none", "data-testid": "no-record" },
      h("h2", {}, t("none.title")),
      h("p", {}, t("none.body")),
    );
  }

  const household = result.household;
  const root = h("div", { class: "found", "data-testid": "found", "data-household": String(household.id) });
  root.append(
    h(
      "div",
      {
        class: `card household ${household.status.toLowerCase()}`,
        "data-testid": "household",
        "data-status": household.status,
      },
      h("h2", {}, t("found.title")),
      h(
        "p",
        { class: "badge-row" },
        h(
          "span",
          { class: `badge ${household.status === "Active" ? "ok" : "warn"}` },
          t(`household.${household.status}`),
        ),
        " ",
        h("span", { class: "muted" }, t("found.id", { id: household.id })),
      ),
      h(
        "ol",
        { class: "steps" },
        ...household.events.map((e) =>
          step(
            e.kind === "suspended"
              ? t("event.suspended", { reason: reasonText(ctx.lang, e.reason) })
              : t(`event.${e.kind}`),
            e.at,
          ),
        ),
      ),
    ),
  );

  root.append(h("h2", { class: "section" }, t("lines.title")));
  if (result.lines.length === 0)
    root.append(h("p", { class: "card muted", "data-testid": "no-lines" }, t("lines.none")));
  for (const line of result.lines) {
    const roster = result.rosters.find((r) => r.rosterId === line.rosterId)!;
    const programme = result.programmes.find((p) => p.programmeId === line.programmeId)!;
    root.append(renderLine(line, roster, programme.earmark, programme.fiscalPeriod));
  }

  for (const p of result.programmes) {
    root.append(
      totals(t("totals.programme", { earmark: p.earmark }), "programme-totals", String(p.programmeId), [
        ["totals.funded", p.totals.funded],
        ["totals.paid", p.totals.paid],
        ["totals.reserved", p.totals.reserved],
        ["totals.returned", p.totals.returned],
        ["totals.reversed", p.totals.reversed],
        ["totals.cap", p.householdCap],
      ]),
    );
  }
  for (const r of result.regions) {
    root.append(
      totals(t("totals.region", { region: region(r.region) }), "region-balance", `${r.programmeId}:${r.region}`, [
        ["totals.received", r.received],
        ["totals.allocatedOut", r.allocatedOut],
        ["totals.reserved", r.reserved],
        ["totals.paid", r.paid],
        ["totals.available", r.available],
        ["totals.returned", r.returned],
        ["totals.reversed", r.reversed],
      ]),
    );
  }
  return root;

  function totals(title: string, testid: string, key: string, rows: Array<[MessageKey, bigint]>): HTMLElement {
    return h(
      "section",
      { class: "card totals", "data-testid": testid, "data-key": key },
      h("h3", {}, title),
      h(
        "dl",
        {},
        ...rows.flatMap(([label, fen]) => [h("dt", {}, t(label)), h("dd", { "data-fen": String(fen) }, money(fen))]),
      ),
    );
  }

  function renderLine(line: LineRecord, roster: RosterRecord, earmark: string, period: number): HTMLElement {
    const good = line.outcome === "Confirmed";
    const bad = [
      "Returned",
      "Reversed",
      "ReversalPendingRecovery",
      "Excluded",
      "Overdue",
      "Skipped",
      "Withdrawn",
      "Rejected",
      "NotPaid",
    ].includes(line.outcome);
    const contact = ctx.config.contact[ctx.lang] ?? t("contact.default");
    const steps = h("ol", { class: "steps" });
    if (roster.submitted) steps.append(step(t("step.submitted"), roster.submitted));
    if (line.listed) steps.append(step(t("step.listed"), line.listed));
    if (roster.sealed) steps.append(step(t("step.allListed"), roster.sealed));
    for (const a of roster.approvals)
      steps.append(step(t(a.signed ? "step.sealed" : "step.approved", { department: department(a.department) }), a.at));
    for (const [i, s] of roster.stages.entries()) {
      if (!roster.approvals.some((a) => a.stage === i))
        steps.append(step(t("step.awaiting", { department: department(s.department) })));
    }
    if (roster.publicityStart !== undefined && roster.publicityEnd !== undefined) {
      steps.append(
        step(
          t("step.publicity"),
          undefined,
          h(
            "span",
            { class: "range" },
            t("step.publicityRange", {
              start: formatChinaTime(roster.publicityStart),
              end: formatChinaTime(roster.publicityEnd),
            }),
          ),
        ),
      );
    }
    for (const o of line.objections)
      steps.append(
        step(
          t(o.upheld ? "step.objectionUpheld" : "step.objectionDismissed", { department: department(o.department) }),
          o.at,
        ),
      );
    if (line.payout) steps.append(step(t("step.paid"), line.payout));
    if (line.confirmed) steps.append(step(t("step.confirmed"), line.confirmed));
    if (line.returned)
      steps.append(
        step(t("step.returned"), line.returned, h("span", { class: "amount-small" }, money(line.returned.amount))),
      );
    for (const r of line.reversals) {
      steps.append(
        step(t("step.reversalRequested"), r.requested, h("span", { class: "amount-small" }, money(r.amount))),
      );
      if (r.decided)
        steps.append(
          step(
            t(r.decided.approved ? "step.reversalApproved" : "step.reversalRejected", {
              department: department(r.decided.department),
            }),
            r.decided,
          ),
        );
      else if (r.status === "Pending") steps.append(step(t("step.reversalPending")));
    }
    const list = roster.submitted?.documentURI;
    return h(
      "article",
      {
        class: `card line ${good ? "good" : bad ? "bad" : "pending"}`,
        "data-testid": "line",
        "data-roster": String(line.rosterId),
        "data-line": String(line.lineIndex),
        "data-status": line.outcome,
        ...(line.amount !== undefined ? { "data-amount-fen": String(line.amount) } : {}),
      },
      h("h3", {}, t("line.heading", { earmark, period })),
      h(
        "p",
        { class: "muted" },
        t("line.where", { roster: line.rosterId, line: line.lineIndex + 1, region: region(line.region) }),
      ),
      h(
        "div",
        { class: "line-head" },
        h(
          "p",
          { class: "amount" },
          h("span", { class: "label" }, t("line.amount")),
          h(
            "strong",
            { "data-testid": "amount" },
            line.amount === undefined ? t("line.amountUnknown") : money(line.amount),
          ),
        ),
        h(
          "span",
          { class: `badge ${good ? "ok" : bad ? "warn" : "info"}`, "data-testid": "status" },
          t(`outcome.${line.outcome}`),
        ),
      ),
      h("p", { class: "outcome", "data-testid": "outcome-text" }, outcomeText(ctx.lang, line, roster, contact)),
      steps,
      list ? h("p", { class: "muted small" }, `${t("step.list")}: `, link(list, list)) : null,
    );
  }
}
