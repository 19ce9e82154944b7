/** The portal's reading views: programmes, one programme, a region, a roster, the warnings. */
import type { Finding } from "../../../src/audit/anomalies/findings.js";
import type {
  programmeDetail,
  programmeList,
  regionDetail,
  rosterDetail,
  rosterLines,
} from "../../../src/portal/views.js";
import { api } from "./api.js";
import { h, named, route, t, table, txCode, word, yuan } from "./ui.js";

type Programmes = ReturnType<typeof programmeList>;

/** "1. 民政（县级）→ 2. 财政（县级）（依次）": each stage's department by name, at its office's level. */
function stagesText(r: NonNullable<Programme["terms"]>["reviewStages"]): string {
  const each = r.stages.map(
    (s, i) =>
      `${i + 1}. ${t("stage.one", { department: named(s.name, t("stage.department", { n: s.department })), level: t(`level.${s.level}` as "level.county") })}`,
  );
  return `${each.join(r.ordered ? " → " : "; ")} ${t(r.ordered ? "stage.ordered" : "stage.anyOrder")}`;
}
type Programme = ReturnType<typeof programmeDetail>;
type Region = ReturnType<typeof regionDetail>;
type Roster = ReturnType<typeof rosterDetail>;
type Lines = ReturnType<typeof rosterLines>;

const yes = (b: boolean) => (b ? t("yes") : t("no"));

export async function programmesView(): Promise<Node[]> {
  const { data } = await api<Programmes>("/programmes");
  if (data.length === 0) return [h("h2", {}, t("programmes.title")), h("p", {}, t("programmes.empty"))];
  return [
    h("h2", {}, t("programmes.title")),
    table(
      t("programmes.title"),
      [
        t("col.programme"),
        t("col.earmark"),
        t("col.period"),
        t("col.funded"),
        t("col.reserved"),
        t("col.paid"),
        t("col.confirmed"),
        t("col.returned"),
        t("col.rosters"),
        t("col.balanced"),
      ],
      data.map((p) => [
        route(`#/programmes/${p.id}`, named(p.name, `#${p.id}`)),
        p.earmark,
        String(p.fiscalPeriod),
        yuan(p.totals.funded),
        yuan(p.totals.reserved),
        yuan(p.totals.paid),
        yuan(p.totals.confirmed),
        yuan(p.totals.returned),
        String(p.rosters),
        yes(p.balanced),
      ]),
    ),
  ];
}

const fenToYuan = (fen: string) => Number(BigInt(fen)) / 100;

export async function programmeView(id: string): Promise<Node[]> {
  const { data: p } = await api<Programme>(`/programmes/${id}`);
  const chart = h("div", { class: "chart", role: "img", "aria-label": t("programme.progress") });
  const terms = p.terms;
  const out: Node[] = [
    h("h2", {}, `${named(p.name, `#${p.id}`)} · ${p.earmark}`),
    h(
      "dl",
      { class: "facts" },
      h("dt", {}, t("col.period")),
      h("dd", {}, String(p.fiscalPeriod)),
      ...(terms
        ? [
            h("dt", {}, t("col.budget")),
            h("dd", {}, yuan(terms.budgetCeiling)),
            h("dt", {}, t("programme.cap")),
            h("dd", {}, yuan(terms.householdCap)),
            h("dt", {}, t("programme.publicity")),
            h("dd", {}, t("programme.days", { n: terms.publicityDays })),
            h("dt", {}, t("programme.payout")),
            h("dd", {}, t("programme.days", { n: terms.payoutDays })),
            h("dt", {}, t("programme.stages")),
            h("dd", {}, stagesText(terms.reviewStages)),
            h("dt", {}, t("programme.policy")),
            h(
              "dd",
              {},
              /^https?:\/\//.test(terms.policy.uri)
                ? h("a", { href: terms.policy.uri, rel: "noopener noreferrer" }, terms.policy.uri)
                : terms.policy.uri,
              " ",
              h("code", {}, terms.policy.hash),
            ),
          ]
        : []),
    ),
    h("h3", {}, t("programme.progress")),
    chart,
    h("h3", {}, t("programme.tree")),
    table(
      t("programme.tree"),
      [
        t("col.region"),
        t("col.received"),
        t("col.passedDown"),
        t("col.reserved"),
        t("col.paid"),
        t("col.confirmed"),
        t("col.returned"),
        t("col.available"),
        t("col.balanced"),
      ],
      p.regions.map((n) => [
        h(
          "span",
          { style: undefined, class: `depth-${Math.min(n.depth, 4)}` },
          route(`#/regions/${p.id}/${n.region}`, named(n.name, n.region)),
        ),
        yuan(n.received),
        yuan(n.passedDown),
        yuan(n.reserved),
        yuan(n.paid),
        yuan(n.confirmed),
        yuan(n.returned),
        yuan(n.available),
        yes(n.balanced),
      ]),
    ),
  ];
  // The chart library is loaded only by the pages that draw one.
  void import("./chart.js").then(({ drawChart }) =>
    drawChart(
      chart,
      "line",
      [
        { name: t("col.paid"), points: p.progress.paid.map((d) => ({ x: d.day, y: fenToYuan(d.total.fen) })) },
        {
          name: t("col.confirmed"),
          points: p.progress.confirmed.map((d) => ({ x: d.day, y: fenToYuan(d.total.fen) })),
        },
        { name: t("col.returned"), points: p.progress.returned.map((d) => ({ x: d.day, y: fenToYuan(d.total.fen) })) },
      ],
      t("programme.progress"),
    ),
  );
  return out;
}

export async function regionView(programme: string, region: string): Promise<Node[]> {
  const { data: r } = await api<Region>(`/programmes/${programme}/regions/${region}`);
  const n = r.node;
  return [
    h("h2", {}, t("region.title", { region: named(n.name, n.region) })),
    h(
      "p",
      {},
      route(
        `#/programmes/${r.programme.id}`,
        `${named(r.programme.name, `#${r.programme.id}`)} · ${r.programme.earmark}`,
      ),
    ),
    h(
      "dl",
      { class: "facts" },
      ...(
        ["received", "passedDown", "reserved", "paid", "confirmed", "returned", "reversed", "available"] as const
      ).flatMap((k) => [h("dt", {}, t(`col.${k}`)), h("dd", {}, yuan(n[k]))]),
      h("dt", {}, t("col.balanced")),
      h("dd", {}, yes(n.balanced)),
    ),
    ...(r.children.length
      ? [
          table(
            t("region.children"),
            [t("col.region"), t("col.received"), t("col.reserved"), t("col.paid"), t("col.available")],
            r.children.map((c) => [
              route(`#/regions/${programme}/${c.region}`, named(c.name, c.region)),
              yuan(c.received),
              yuan(c.reserved),
              yuan(c.paid),
              yuan(c.available),
            ]),
          ),
        ]
      : []),
    table(
      t("region.rosters"),
      [t("col.roster"), t("col.region"), t("col.state"), t("col.lines"), t("col.paid"), t("col.total"), t("col.stuck")],
      r.rosters.map((x) => [
        route(`#/rosters/${x.id}`, x.id),
        named(x.regionName, x.region),
        word("state", x.state),
        String(x.lines),
        String(x.paidLines),
        yuan(x.total),
        x.stuck ? h("strong", { class: "bad" }, t("yes")) : t("no"),
      ]),
    ),
  ];
}

function countdown(seconds: number): string {
  const d = Math.floor(seconds / 86_400);
  const hours = Math.floor((seconds % 86_400) / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  return `${d}d ${hours}h ${m}m`;
}

function lineRows(lines: Lines) {
  return lines.map((l) => [
    String(l.seq),
    l.household,
    yuan(l.amount),
    word("status", l.status),
    word("hold", l.hold),
    l.paidTx ? txCode(l.paidTx) : "",
  ]);
}

export async function rosterView(id: string): Promise<Node[]> {
  const { data: r } = await api<Roster>(`/rosters/${id}`);
  const lines = await api<Lines>(`/rosters/${id}/lines?limit=100`);
  const head = [t("col.seq"), t("col.household"), t("col.amount"), t("col.status"), t("col.hold"), t("col.tx")];
  const lineTable = table(t("roster.lines"), head, lineRows(lines.data));
  const more = h("button", { type: "button", class: "more" }, t("roster.more"));
  let offset = lines.data.length;
  more.addEventListener("click", () => {
    void api<Lines>(`/rosters/${id}/lines?limit=500&offset=${offset}`).then(({ data }) => {
      offset += data.length;
      const body = lineTable.querySelector("tbody")!;
      for (const row of lineRows(data)) body.append(h("tr", {}, ...row.map((c) => h("td", {}, c))));
      if (offset >= r.lines) more.remove();
    });
  });
  const p = r.publicity;
  return [
    h("h2", {}, `${t("roster.title", { id: r.id })} · ${word("state", r.state)}`),
    h(
      "p",
      {},
      route(`#/programmes/${r.programme.id}`, named(r.programme.name, `#${r.programme.id}`)),
      " · ",
      named(r.regionName, r.region),
      " · ",
      `${r.lines} · ${yuan(r.total)}`,
    ),
    ...(p.endsAt
      ? [
          h(
            "p",
            { class: r.state === "InPublicity" ? "notice" : "" },
            r.state === "InPublicity" && p.secondsLeft !== null
              ? t("roster.publicity", { time: p.endsAt, left: countdown(p.secondsLeft) })
              : t("roster.publicityOver", { time: p.endsAt }),
          ),
        ]
      : []),
    ...(r.state === "InPublicity" ? [h("p", {}, t("roster.object"))] : []),
    ...(p.payoutDeadline ? [h("p", {}, t("roster.deadline", { time: p.payoutDeadline }))] : []),
    h("p", {}, t("roster.objections", r.objections)),
    h(
      "p",
      {},
      `${t("roster.list")}: `,
      h("code", {}, r.publishedList.hash),
      " ",
      route(`#/check?roster=${r.id}`, t("roster.check")),
    ),
    table(
      t("roster.lines"),
      [t("col.status"), t("col.hold"), t("col.lines"), t("col.amount")],
      r.lineCounts.map((c) => [
        word("status", c.status) + (c.overdue ? " ⚠" : ""),
        word("hold", c.hold),
        String(c.lines),
        yuan(c.amount),
      ]),
    ),
    h("h3", {}, t("roster.timeline")),
    table(
      t("roster.timeline"),
      [t("col.time"), t("col.event"), t("col.detail"), t("col.tx")],
      r.timeline.map((e) => [e.time ?? "", e.event, e.detail, txCode(e.tx)]),
    ),
    h("h3", {}, t("roster.lines")),
    lineTable,
    ...(offset < r.lines ? [more] : []),
  ];
}

export async function warningsView(): Promise<Node[]> {
  const { data } = await api<Finding[]>("/warnings");
  return [
    h("h2", {}, t("warnings.title")),
    h("p", {}, t("warnings.lead"), " ", h("a", { href: "../api/warnings.atom" }, t("warnings.feed"))),
    ...(data.length === 0
      ? [h("p", {}, t("warnings.none"))]
      : data.map((f) =>
          h(
            "article",
            { class: "warning" },
            h("h3", {}, `${f.kind} · ${f.subject}`),
            h("p", {}, f.detail),
            h("p", { class: "muted" }, `${f.time ?? ""} · block ${f.block}`),
            h("ul", { class: "txs" }, ...f.txs.map((tx) => h("li", {}, txCode(tx)))),
          ),
        )),
  ];
}
