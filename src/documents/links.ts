/**
 * The portal's addresses printed as QR codes: a roster's list check and a household's self-check.
 * Browser-safe. The household's link carries its query code and nothing else: the ID number is
 * typed on the resident's own device, where the commitment is computed (docs/privacy.md).
 */
import { normaliseQueryCode } from "../privacy/queryCodeFormat.js";

export const DEFAULT_PORTAL_URL = "http://127.0.0.1:8780/portal/";

/** The portal's page address, checked: http(s), no fragment of its own (the routes are fragments). */
export function portalBase(url: string | undefined): string {
  const text = url?.trim() || DEFAULT_PORTAL_URL;
  let parsed: URL;
  try {
    parsed = new URL(text);
  } catch {
    throw new Error(`--portal-url must be the portal's page address, like ${DEFAULT_PORTAL_URL}; got "${text}"`);
  }
  if (parsed.protocol !== "http:" && parsed.protocol !== "https:")
    throw new Error(`--portal-url must start with https:// or http://, got "${text}"`);
  if (parsed.hash !== "")
    throw new Error(
      `--portal-url is the page without a #… route (the documents add #/check or #/household), got "${text}"`,
    );
  return parsed.href;
}

/** The portal's check of roster `rosterId` (a published list against the chain). */
export const rosterCheckUrl = (base: string, rosterId: bigint): string =>
  `${portalBase(base)}#/check?roster=${rosterId}`;

/** The portal's self-check, opened with this query code (canonical, 16 characters) filled in. */
export const householdCheckUrl = (base: string, queryCode: string): string =>
  `${portalBase(base)}#/household?code=${normaliseQueryCode(queryCode)}`;
