/**
 * The Chinese font the printed documents are set in. PDF viewers carry no Chinese glyphs of their
 * own that a document may count on, so the font is embedded — only the characters used (pdfkit
 * subsets it), which keeps a notice at tens of kilobytes although the font file is about 20 MB.
 *
 * Default: Debian's fonts-noto-cjk (Noto Sans CJK SC, a TrueType collection, picked by its
 * PostScript name). Another font: --font or the CJK_FONT environment variable, as `file` (.ttf,
 * .otf) or `file#PostScriptName` (a collection, .ttc).
 */
import { existsSync } from "node:fs";

export interface FontChoice {
  file: string;
  /** The face inside a collection (.ttc), by PostScript name. */
  postscriptName?: string;
  /** A bold face for headings, when the default font's bold file is installed too. */
  bold?: { file: string; postscriptName?: string };
}

export const DEFAULT_CJK_FONT = "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc#NotoSansCJKsc-Regular";
const DEFAULT_CJK_BOLD = "/usr/share/fonts/opentype/noto/NotoSansCJK-Bold.ttc#NotoSansCJKsc-Bold";

function parse(spec: string): { file: string; postscriptName?: string } {
  const at = spec.lastIndexOf("#");
  if (at <= 0) return { file: spec };
  return { file: spec.slice(0, at), postscriptName: spec.slice(at + 1) || undefined };
}

/** The font to use: `option` (--font), else CJK_FONT, else `fallback`; throws one line saying how to get one. */
export function chooseCjkFont(
  option?: string,
  env: NodeJS.ProcessEnv = process.env,
  fallback = DEFAULT_CJK_FONT,
): FontChoice {
  const given = option?.trim() || env.CJK_FONT?.trim() || "";
  const spec = parse(given || fallback);
  if (!existsSync(spec.file)) {
    const how = given
      ? `check the path given by ${option?.trim() ? "--font" : "CJK_FONT"}`
      : "install it with `apt-get install fonts-noto-cjk`";
    throw new Error(
      `the Chinese (CJK) font ${spec.file} is missing: ${how}, or give another CJK font with --font <file> or the CJK_FONT environment variable (a .ttc as <file>#<PostScriptName>)`,
    );
  }
  const bold = parse(DEFAULT_CJK_BOLD);
  return given || fallback !== DEFAULT_CJK_FONT || !existsSync(bold.file) ? spec : { ...spec, bold };
}
