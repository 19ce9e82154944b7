/**
 * The audit report of a programme or a region (src/audit/report.ts gathers its figures) as an A4
 * landscape PDF in Chinese: the block every figure is true at (chain id, number, hash, time), the
 * conclusion, the totals, the budget tree node by node, the rosters, and every problem found.
 */
import type { AuditReportData } from "../audit/report.js";
import { formatFen } from "../money.js";
import type { FontChoice } from "./font.js";
import { contentWidth, fields, footers, heading, MARGIN, newPdf, pdfBytes, sectionTitle, table } from "./pdf.js";

const STATE_NAMES: Record<string, string> = {
  AwaitingLines: "待上链",
  AwaitingSignOff: "待会签",
  Rejected: "已驳回",
  Withdrawn: "已撤回",
  InPublicity: "公示中",
  Payable: "可发放",
  Closed: "已关闭",
};

export async function auditReportPdf(r: AuditReportData, font: FontChoice): Promise<Uint8Array> {
  const whole = r.region === r.programme.rootRegion;
  const scope = whole ? `项目全部（根区域 ${r.region}）` : `区域 ${r.region} 及其下级`;
  const subtitle = `项目 ${r.programme.id}（${r.programme.earmark}，期别 ${r.programme.fiscalPeriod}） · 范围：${scope}`;
  const doc = newPdf(font, { title: `资金审计报告 · 项目 ${r.programme.id}`, subject: subtitle, landscape: true });
  const width = contentWidth(doc);
  heading(doc, "资金审计报告", subtitle);

  sectionTitle(doc, "一、依据的区块");
  fields(
    doc,
    [
      ["链 ID", r.chainId.toString()],
      ["区块高度", String(r.block.number)],
      ["区块哈希", r.block.hash],
      ["区块时间", `${r.block.time ?? "—"}（北京时间）`],
      ...(r.addresses
        ? ([
            ["预算账本合约", r.addresses.ledger],
            ["名单合约", r.addresses.rosterBook],
            ["发放合约", r.addresses.disbursement],
          ] as const)
        : []),
    ],
    { labelWidth: 100 },
  );
  doc
    .moveDown(0.3)
    .fontSize(9.5)
    .text(
      `本报告的每个数字都由截至区块 ${r.block.number} 的链上事件重新计算，` +
        (r.compared.done
          ? `并与预算账本合约（BudgetLedger）在该区块的 balanceOf、totalsOf 逐项核对。`
          : `未能与链上视图核对（${r.compared.error ?? "无节点"}），只由事件得出。`) +
        `任何人可用“npx hardhat audit report --programme ${r.programme.id}${whole ? "" : ` --region ${r.region}`}”从同一区块重新得出本报告。金额单位：元。`,
      MARGIN,
      doc.y,
      { width, lineGap: 2 },
    );

  sectionTitle(doc, "二、结论");
  doc
    .font("bold")
    .fontSize(11)
    .fillColor(r.balanced ? "black" : "#b00000")
    .text(
      r.balanced
        ? "收支平衡：每个节点都满足 收到 = 下拨 + 预留 + 已发放 + 可用；上级下拨等于下级收到；账本事件与名单、付款事件一致" +
            (r.compared.done ? "；与链上视图一致。" : "。")
        : `发现 ${r.problems.length} 处问题，见第五部分。`,
      { width },
    )
    .fillColor("black")
    .font("body");

  sectionTitle(doc, "三、金额汇总（元）");
  const t = r.totals;
  const totalColumns = ["收到", "预留", "已发放", "银行已确认", "退回", "冲销", "可用"].map((header) => ({
    header,
    width: width / 7,
    align: "right" as const,
  }));
  table(doc, totalColumns, [
    [t.received, t.reserved, t.paid, t.confirmed, t.returned, t.reversed, t.available].map(formatFen),
  ]);

  sectionTitle(doc, "四、预算树（元）");
  const money = ["收到", "下拨", "预留", "已发放", "已确认", "退回", "冲销", "可用"];
  const moneyWidth = (width - 150 - 50) / money.length;
  table(
    doc,
    [
      { header: "区域", width: 150 },
      ...money.map((header) => ({ header, width: moneyWidth, align: "right" as const })),
      { header: "平衡", width: 50, align: "center" },
    ],
    r.nodes.map((n) => [
      `${"  ".repeat(Math.max(0, n.depth - (r.nodes[0]?.depth ?? 0)))}${n.region}`,
      ...[n.received, n.passedDown, n.reserved, n.paid, n.confirmed, n.returned, n.reversed, n.available].map(
        formatFen,
      ),
      n.problems.length === 0 ? "是" : "否",
    ]),
    8.5,
  );

  sectionTitle(doc, `五、名单（${r.rosters.length} 份）`);
  if (r.rosters.length === 0) doc.fontSize(9.5).text("本范围内没有名单。").moveDown(0.5);
  else
    table(
      doc,
      [
        { header: "名单编号", width: 70, align: "right" },
        { header: "区域", width: 120 },
        { header: "状态", width: 130 },
        { header: "行数", width: 70, align: "right" },
        { header: "已付行数", width: 80, align: "right" },
        { header: "名单金额", width: (width - 470) / 2, align: "right" },
        { header: "已发放金额", width: (width - 470) / 2, align: "right" },
      ],
      r.rosters.map((x) => [
        x.rosterId.toString(),
        x.region.toString(),
        `${STATE_NAMES[x.state] ?? x.state}（${x.state}）`,
        String(x.lines),
        String(x.paidLines),
        formatFen(x.total),
        formatFen(x.paid),
      ]),
      8.5,
    );

  sectionTitle(doc, "六、问题");
  doc.fontSize(9.5);
  if (r.problems.length === 0) doc.text("无。");
  for (const problem of r.problems) doc.text(`• ${problem}`, { width });
  footers(doc, `资金审计报告 · 项目 ${r.programme.id} · 链 ${r.chainId} · 区块 ${r.block.number} ${r.block.hash}`);
  return pdfBytes(doc);
}
