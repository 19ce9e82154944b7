/**
 * A roster's printed notices (src/documents/notices.ts), written once the roster is on chain, since
 * the village notice's QR code names its roster id: the village notice (public) and the household
 * notices (private: every household's query code; owner-only, also when the file was there before).
 */
import { chmod, mkdir, writeFile } from "node:fs/promises";
import path from "node:path";

import { earmarkText } from "../audit/rows.js";
import type { FontChoice } from "../documents/font.js";
import { householdNoticesPdf, type NoticeHeader, type NoticeLine, villageNoticePdf } from "../documents/notices.js";
import type { RosterBundle } from "../outputs/index.js";
import type { Suite } from "../suite.js";
import type { PreparedHousehold } from "./households.js";

export interface NoticeFiles {
  village: string;
  households: string;
}

/** Where writeNoticePdfs puts the two PDFs in `dir` (beside the roster's other files). */
export function noticeFiles(dir: string): NoticeFiles {
  return {
    village: path.join(dir, "village-notice.pdf"),
    households: path.join(dir, "household-notices.PRIVATE.pdf"),
  };
}

export async function writeNoticePdfs(
  suite: Suite,
  dir: string,
  input: {
    rosterId: bigint;
    chainId: bigint;
    bundle: RosterBundle;
    households: readonly PreparedHousehold[];
    portalUrl: string;
    font: FontChoice;
  },
): Promise<NoticeFiles> {
  const { bundle } = input;
  const programme = await suite.programmes.programme(bundle.programmeId);
  const header: NoticeHeader = {
    rosterId: input.rosterId,
    programmeId: bundle.programmeId,
    earmark: earmarkText(programme.earmarkCode),
    fiscalPeriod: Number(programme.fiscalPeriod),
    region: bundle.region,
    publicityDays: Number(programme.terms.publicityPeriod) / 86_400,
    documentHash: bundle.documentHash,
    documentURI: bundle.documentURI,
    chainId: input.chainId,
    portalUrl: input.portalUrl,
  };
  const lines: NoticeLine[] = input.households.map((h, index) => ({
    index,
    name: h.entry.name,
    village: h.entry.village,
    amount: h.entry.amount,
    queryCode: h.queryCode,
  }));
  // Both are made before either is written: a failure leaves no half of the pair.
  const village = await villageNoticePdf(header, lines, input.font);
  const households = await householdNoticesPdf(header, lines, input.font);
  await mkdir(dir, { recursive: true });
  const files = noticeFiles(dir);
  await writeFile(files.village, village);
  await writeFile(files.households, households, { mode: 0o600 });
  await chmod(files.households, 0o600);
  return files;
}
