/**
 * What every printed document shares: an A4 page set in the embedded Chinese font, labelled
 * fields, a table that repeats its head on each page, a QR code drawn as vector squares (sharp at
 * any printer's resolution), and a footer with the page count written once every page exists.
 */
import PDFDocument from "pdfkit";
import QRCode from "qrcode";

import type { FontChoice } from "./font.js";

export type Pdf = PDFKit.PDFDocument;

export const MARGIN = 50;
const GREY = "#555555";
const RULE = "#999999";

/** A new A4 document in the CJK font ("body"; "bold" for headings). Throws one line if the font cannot be read. */
export function newPdf(font: FontChoice, info: { title: string; subject: string; landscape?: boolean }): Pdf {
  const doc = new PDFDocument({
    size: "A4",
    layout: info.landscape ? "landscape" : "portrait",
    margins: { top: MARGIN, bottom: MARGIN + 14, left: MARGIN, right: MARGIN },
    bufferPages: true,
    lang: "zh-CN",
    displayTitle: true,
    info: { Title: info.title, Subject: info.subject, Creator: "fund-disbursement-transparency" },
  });
  const bold = font.bold ?? font;
  try {
    doc.registerFont("body", font.file, font.postscriptName);
    doc.registerFont("bold", bold.file, bold.postscriptName);
    // The font is read at first use: fail here, with the file named, rather than mid-document.
    doc.font("bold").font("body");
  } catch (error) {
    throw new Error(
      `cannot use the font ${font.file}${font.postscriptName ? `#${font.postscriptName}` : ""} (${(error as Error).message}): give a CJK font with --font <file> or CJK_FONT (a .ttc as <file>#<PostScriptName>)`,
      { cause: error },
    );
  }
  return doc;
}

/** Ends the document and returns its bytes. */
export function pdfBytes(doc: Pdf): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    doc.on("data", (chunk: Buffer) => chunks.push(chunk));
    doc.on("end", () => resolve(new Uint8Array(Buffer.concat(chunks))));
    doc.on("error", reject);
    doc.end();
  });
}

export const contentWidth = (doc: Pdf) => doc.page.width - doc.page.margins.left - doc.page.margins.right;

/** A centred heading and an optional line under it. */
export function heading(doc: Pdf, title: string, subtitle?: string): void {
  doc
    .font("bold")
    .fontSize(20)
    .fillColor("black")
    .text(title, MARGIN, doc.y, { width: contentWidth(doc), align: "center" });
  if (subtitle)
    doc
      .font("body")
      .fontSize(10.5)
      .fillColor(GREY)
      .text(subtitle, { width: contentWidth(doc), align: "center" });
  doc.fillColor("black").moveDown(0.8);
}

export function sectionTitle(doc: Pdf, title: string): void {
  if (doc.y + 60 > doc.page.maxY()) doc.addPage();
  doc.moveDown(0.4).font("bold").fontSize(12).fillColor("black").text(title, MARGIN, doc.y).moveDown(0.2);
  doc.font("body");
}

/** Label–value pairs, the value wrapping in its column. */
export function fields(
  doc: Pdf,
  pairs: ReadonlyArray<readonly [string, string]>,
  opts: { x?: number; width?: number; labelWidth?: number; size?: number } = {},
): void {
  const x = opts.x ?? MARGIN;
  const labelWidth = opts.labelWidth ?? 90;
  const width = (opts.width ?? contentWidth(doc)) - labelWidth;
  doc.fontSize(opts.size ?? 10);
  for (const [label, value] of pairs) {
    const y = doc.y;
    const h = Math.max(doc.heightOfString(value, { width }), doc.heightOfString(label, { width: labelWidth }));
    if (y + h > doc.page.maxY()) doc.addPage();
    const top = doc.y;
    doc
      .font("body")
      .fillColor(GREY)
      .text(label, x, top, { width: labelWidth - 6 });
    doc.fillColor("black").text(value, x + labelWidth, top, { width });
    doc.y = top + h + 3;
  }
  doc.x = MARGIN;
}

export interface Column {
  header: string;
  width: number;
  align?: "left" | "right" | "center";
}

/** A table of one-line cells; a page break repeats the head. */
export function table(doc: Pdf, columns: readonly Column[], rows: readonly (readonly string[])[], size = 9.5): void {
  const rowHeight = size * 1.75;
  const width = columns.reduce((s, c) => s + c.width, 0);
  const cell = (text: string, x: number, y: number, c: Column) =>
    doc.text(text, x + 4, y + (rowHeight - size * 1.2) / 2, {
      width: c.width - 8,
      align: c.align ?? "left",
      lineBreak: false,
      ellipsis: true,
    });
  const head = () => {
    const y = doc.y;
    doc.rect(MARGIN, y, width, rowHeight).fill("#e8e8e8");
    doc.font("bold").fontSize(size).fillColor("black");
    let x = MARGIN;
    for (const c of columns) {
      cell(c.header, x, y, c);
      x += c.width;
    }
    doc.y = y + rowHeight;
    doc.font("body");
  };
  head();
  for (const row of rows) {
    if (doc.y + rowHeight > doc.page.maxY()) {
      doc.addPage();
      head();
    }
    const y = doc.y;
    let x = MARGIN;
    doc.fontSize(size).fillColor("black");
    columns.forEach((c, i) => {
      cell(row[i] ?? "", x, y, c);
      x += c.width;
    });
    doc
      .moveTo(MARGIN, y + rowHeight)
      .lineTo(MARGIN + width, y + rowHeight)
      .lineWidth(0.4)
      .strokeColor(RULE)
      .stroke();
    doc.y = y + rowHeight;
  }
  doc.x = MARGIN;
  doc.moveDown(0.5);
}

/**
 * A QR code of `text` (error correction M), `size` points square including its quiet zone of four
 * modules, its top left corner at (x, y). Each row's runs of dark modules are one rectangle, so no
 * hairline shows between neighbouring modules.
 */
export function qrCode(doc: Pdf, text: string, x: number, y: number, size: number): void {
  const qr = QRCode.create(text, { errorCorrectionLevel: "M" });
  const n = qr.modules.size;
  const m = size / (n + 8);
  for (let row = 0; row < n; row++) {
    let col = 0;
    while (col < n) {
      if (!qr.modules.get(row, col)) {
        col++;
        continue;
      }
      const start = col;
      while (col < n && qr.modules.get(row, col)) col++;
      doc.rect(x + (4 + start) * m, y + (4 + row) * m, (col - start) * m, m);
    }
  }
  doc.fillColor("black").fill();
}

/** Writes "第 i 页 / 共 n 页" and `text` at the foot of every page (call last). */
export function footers(doc: Pdf, text: string): void {
  const range = doc.bufferedPageRange();
  for (let i = range.start; i < range.start + range.count; i++) {
    doc.switchToPage(i);
    const bottom = doc.page.margins.bottom;
    // Writing below maxY would otherwise start a new page.
    doc.page.margins.bottom = 0;
    const y = doc.page.height - MARGIN;
    doc
      .font("body")
      .fontSize(8)
      .fillColor(GREY)
      .text(`${text}    第 ${i + 1 - range.start} 页 / 共 ${range.count} 页`, MARGIN, y, {
        width: contentWidth(doc),
        align: "center",
        lineBreak: false,
      });
    doc.page.margins.bottom = bottom;
  }
  doc.fillColor("black");
}
