/**
 * Reading the PDFs the tools write as a person and a phone would: their text (poppler's
 * pdftotext), their pages rendered to PNG (pdftoppm, which must finish without a complaint), and
 * the QR code on a rendered page decoded (jsQR).
 */
import { spawnSync } from "node:child_process";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";

import jsQRModule from "jsqr";
import { PNG } from "pngjs";

import { tempDir } from "./cli.js";

// jsqr is CommonJS exporting `{ default: jsQR }`: under Node's ESM the function is one level down.
const jsQR = jsQRModule.default;

function run(command: string, args: string[]): string {
  const result = spawnSync(command, args, { encoding: "utf8", maxBuffer: 64 * 1024 * 1024 });
  if (result.error) throw new Error(`${command} did not run (apt-get install poppler-utils): ${result.error.message}`);
  if (result.status !== 0 || result.stderr.trim() !== "")
    throw new Error(`${command} ${args.join(" ")} failed (${result.status}): ${result.stderr}`);
  return result.stdout;
}

/** The text of each page, in layout mode (a table row stays one line). */
export function pdfPages(file: string): string[] {
  const pages = run("pdftotext", ["-layout", "-enc", "UTF-8", file, "-"]).split("\f");
  // pdftotext ends the last page with a form feed too.
  if (pages.at(-1)?.trim() === "") pages.pop();
  return pages;
}

export function pdfPageCount(file: string): number {
  const match = /^Pages:\s+(\d+)$/m.exec(run("pdfinfo", [file]));
  if (!match) throw new Error(`pdfinfo gave no page count for ${file}`);
  return Number(match[1]);
}

/** Renders pages `first`…`last` (1-based) to PNG at `dpi`; returns the files in page order. */
export async function renderPages(file: string, first: number, last: number, dpi = 100): Promise<string[]> {
  const dir = await tempDir();
  run("pdftoppm", ["-png", "-r", String(dpi), "-f", String(first), "-l", String(last), file, path.join(dir, "page")]);
  return (await readdir(dir))
    .filter((f) => f.endsWith(".png"))
    .sort()
    .map((f) => path.join(dir, f));
}

/** The text of the QR code on a rendered page, or undefined if none is found. */
export async function qrOf(png: string): Promise<string | undefined> {
  const image = PNG.sync.read(await readFile(png));
  return jsQR(new Uint8ClampedArray(image.data), image.width, image.height)?.data;
}
