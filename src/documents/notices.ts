/**
 * The roster's printed notices. The village notice (公示名单) is public: the published list's rows
 * (序号, masked name, village, amount) with a QR code that opens the portal's check of this roster.
 * The household notices are private, one page per household, handed to that household only: masked
 * name, roster, 序号, amount and its query code, with a QR code that opens the portal's self-check
 * carrying the query code alone. No page carries an ID number: the resident types it on their own
 * device, and a lost notice alone finds nothing.
 */
import { maskName } from "../outputs/mask.js";
import { formatFen } from "../money.js";
import { formatQueryCode } from "../privacy/queryCodeFormat.js";
import type { FontChoice } from "./font.js";
import { householdCheckUrl, rosterCheckUrl } from "./links.js";
import { contentWidth, fields, footers, heading, MARGIN, newPdf, pdfBytes, qrCode, table } from "./pdf.js";

/** What the chain says of the roster, and where the portal is. */
export interface NoticeHeader {
  rosterId: bigint;
  programmeId: bigint;
  earmark: string;
  fiscalPeriod: number;
  /** The roster's region (12 digits). */
  region: bigint;
  /** Days of publicity after the last approval (the programme's terms). */
  publicityDays: number;
  /** keccak256 of the published list, as on chain. */
  documentHash: string;
  documentURI: string;
  chainId: bigint;
  /** The portal's page address (links.ts portalBase). */
  portalUrl: string;
}

export interface NoticeLine {
  /** Roster line index: 序号 − 1. */
  index: number;
  /** The full name: masked here, never printed whole. */
  name: string;
  village: bigint;
  /** Fen. */
  amount: bigint;
  /** Household notices only. */
  queryCode?: string;
}

const yuan = (fen: bigint) => `${formatFen(fen)} 元`;
const subtitle = (h: NoticeHeader) =>
  `项目 ${h.programmeId}（${h.earmark}，期别 ${h.fiscalPeriod}） · 区域 ${h.region} · 名单编号 ${h.rosterId}`;

/** The village notice (公示名单), A4, public. */
export async function villageNoticePdf(
  h: NoticeHeader,
  lines: readonly NoticeLine[],
  font: FontChoice,
): Promise<Uint8Array> {
  const total = lines.reduce((s, l) => s + l.amount, 0n);
  const doc = newPdf(font, { title: `公示名单 · 名单编号 ${h.rosterId}`, subject: subtitle(h) });
  heading(doc, "公示名单", subtitle(h));

  const qrSize = 118;
  const top = doc.y;
  const url = rosterCheckUrl(h.portalUrl, h.rosterId);
  qrCode(doc, url, MARGIN + contentWidth(doc) - qrSize, top - 6, qrSize);
  doc
    .fontSize(7.5)
    .fillColor("#555555")
    .text("扫码核对本名单与链上记录", MARGIN + contentWidth(doc) - qrSize, top + qrSize - 8, {
      width: qrSize,
      align: "center",
    });
  doc.y = top;
  fields(
    doc,
    [
      ["名单编号", `${h.rosterId}（区块链 ${h.chainId} 上的编号）`],
      ["户数与金额", `${lines.length} 户，合计 ${yuan(total)}`],
      ["公示期", `全部审核通过后公示 ${h.publicityDays} 日`],
      ["名单哈希", h.documentHash],
      ["名单发布地址", h.documentURI],
    ],
    { width: contentWidth(doc) - qrSize - 12, labelWidth: 72, size: 9.5 },
  );
  doc.y = Math.max(doc.y, top + qrSize + 6);
  doc
    .fontSize(9.5)
    .fillColor("black")
    .text(
      `本名单的哈希（keccak256）已记录在区块链上，与名单一一对应：名单改动一个字，哈希就不同。任何人可扫描右上角二维码（${url}），核对本名单每一行的序号和金额与链上记录是否一致。公示期内对任一行有异议的，请注明名单编号和序号向审核部门提出；异议登记后，该行在处理完毕前暂停发放。姓名按规定部分隐去，名单不含身份证号。`,
      MARGIN,
      doc.y,
      { width: contentWidth(doc), lineGap: 2 },
    )
    .moveDown(0.6);

  table(
    doc,
    [
      { header: "序号", width: 60, align: "right" },
      { header: "姓名", width: 120 },
      { header: "村（行政区划代码）", width: 165 },
      { header: "金额（元）", width: contentWidth(doc) - 345, align: "right" },
    ],
    lines.map((l) => [String(l.index + 1), maskName(l.name), l.village.toString(), formatFen(l.amount)]),
  );
  doc
    .font("bold")
    .fontSize(10)
    .text(`合计 ${lines.length} 户，${yuan(total)}`, { align: "right" });
  footers(doc, `公示名单 · 名单编号 ${h.rosterId}`);
  return pdfBytes(doc);
}

/** The household notices, one A4 page each: private (every household's query code). */
export async function householdNoticesPdf(
  h: NoticeHeader,
  lines: readonly NoticeLine[],
  font: FontChoice,
): Promise<Uint8Array> {
  const doc = newPdf(font, { title: `补助发放告知书 · 名单编号 ${h.rosterId}`, subject: subtitle(h) });
  lines.forEach((line, i) => {
    if (line.queryCode === undefined) throw new Error(`household notices: 序号 ${line.index + 1} has no query code`);
    if (i > 0) doc.addPage();
    const code = formatQueryCode(line.queryCode);
    heading(doc, "补助发放告知书", subtitle(h));
    fields(
      doc,
      [
        ["户主", maskName(line.name)],
        ["名单编号", String(h.rosterId)],
        ["序号", String(line.index + 1)],
        ["金额", yuan(line.amount)],
        ["公示名单", h.documentURI],
      ],
      { labelWidth: 80, size: 12 },
    );
    doc.moveDown(0.6).font("body").fontSize(11).fillColor("#555555").text("本户查询码", { align: "center" });
    doc.font("bold").fontSize(24).fillColor("black").text(code, { align: "center", characterSpacing: 1 });
    const qrSize = 170;
    const y = doc.y + 8;
    const url = householdCheckUrl(h.portalUrl, line.queryCode);
    qrCode(doc, url, MARGIN + (contentWidth(doc) - qrSize) / 2, y, qrSize);
    doc.y = y + qrSize;
    doc.font("body").fontSize(10).text("扫码自助查询本户的发放记录", { align: "center" });
    doc.fontSize(7.5).fillColor("#555555").text(url, { align: "center" }).moveDown(1);
    doc
      .fontSize(10)
      .fillColor("black")
      .text(
        [
          "1. 扫码后，在手机上输入户主的身份证号即可查询：身份证号只在您的手机上使用，不会发送出去；二维码里只有查询码，没有身份证号。",
          "2. 请妥善保管本告知书，不要把查询码告诉他人：查询码和身份证号合在一起，能查到本户的发放记录。",
          `3. 对金额或发放有疑问的，请在公示期内注明名单编号 ${h.rosterId} 和序号 ${line.index + 1}，向审核部门提出。`,
        ].join("\n"),
        { width: contentWidth(doc), lineGap: 3 },
      );
  });
  footers(doc, `补助发放告知书 · 名单编号 ${h.rosterId} · 仅交本户`);
  return pdfBytes(doc);
}
