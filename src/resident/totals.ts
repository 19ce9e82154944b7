/**
 * The public totals a lookup shows beside a household's lines: of each programme that listed it
 * (its terms, what was funded, reserved, paid, returned and reversed, and whether this household
 * holds a payout in it now) and of each region that paid it, from the lens at the lookup's block.
 * Browser-safe (ethers only).
 */
import { decodeBytes32String, Interface } from "ethers";

import { LENS_ABI } from "./abi.js";
import { mapLimit } from "../async.js";
import { big, type PinnedReader, uniq } from "./reader.js";
import type { LineRecord, ProgrammeRecord, RegionRecord } from "./records.js";

const lens = new Interface(LENS_ABI);

/** The totals of the programmes and regions of `lines`, for the household with `commitment`. */
export async function publicTotals(
  chain: PinnedReader,
  lensAddress: string,
  commitment: string,
  lines: readonly LineRecord[],
  concurrency: number,
): Promise<{ programmes: ProgrammeRecord[]; regions: RegionRecord[] }> {
  const programmeIds = uniq(lines.map((l) => l.programmeId));
  const regionKeys = uniq(lines.map((l) => `${l.programmeId}:${l.region}`)).map(
    (k) => k.split(":").map(BigInt) as [bigint, bigint],
  );
  const [programmeViews, paidViews, regionViews] = await Promise.all([
    mapLimit(programmeIds, concurrency, async (p) => chain.record(lens, lensAddress, "programmeView", [p])),
    mapLimit(programmeIds, concurrency, async (p) => chain.record(lens, lensAddress, "householdView", [commitment, p])),
    mapLimit(regionKeys, concurrency, async ([p, r]) => chain.record(lens, lensAddress, "regionBalance", [p, r])),
  ]);
  const programmes: ProgrammeRecord[] = programmeIds.map((programmeId, i) => {
    const p = programmeViews[i]!.programme as Record<string, unknown>;
    const terms = p.terms as Record<string, unknown>;
    const t = programmeViews[i]!.totals as Record<string, unknown>;
    let earmark: string;
    try {
      earmark = decodeBytes32String(p.earmarkCode as string);
    } catch {
      earmark = p.earmarkCode as string;
    }
    return {
      programmeId,
      earmark,
      fiscalPeriod: Number(p.fiscalPeriod),
      rootRegion: big(p.rootRegion),
      householdCap: big(terms.householdCap),
      publicityDays: Number(terms.publicityPeriod) / 86_400,
      policyURI: terms.policyURI as string,
      policyDocHash: terms.policyDocHash as string,
      totals: {
        funded: big(t.funded),
        reserved: big(t.reserved),
        paid: big(t.paid),
        returned: big(t.returned),
        reversed: big(t.reversed),
      },
      householdPaid: Boolean(paidViews[i]!.paidInProgramme),
    };
  });
  const regions: RegionRecord[] = regionKeys.map(([programmeId, region], i) => {
    const b = regionViews[i]!;
    return {
      programmeId,
      region,
      received: big(b.received),
      allocatedOut: big(b.allocatedOut),
      reserved: big(b.reserved),
      paid: big(b.paid),
      available: big(b.available),
      returned: big(b.returned),
      reversed: big(b.reversed),
    };
  });
  return { programmes, regions };
}
