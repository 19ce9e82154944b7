/**
 * The portal's configuration file (`npx hardhat portal --settings <file>`): the names of departments,
 * regions and programmes (src/names.ts), whom residents contact, the explorer, and the JSON-RPC
 * nodes the residents' browsers check the service's answers against — a second consortium node
 * where there is one. The residents' page config.json has the same keys and will do.
 *
 *   { "departments": {…}, "regions": {…}, "programmes": {…},
 *     "contact": { "zh": "…", "en": "…" },
 *     "explorer": { "kind": "blockscout", "baseUrl": "https://explorer.example.gov.cn" },
 *     "rpcUrl": "https://rpc.example.gov.cn", "secondRpcUrl": "https://rpc2.example.gov.cn" }
 */
import { type NameBook, NO_NAMES, parseNameBook } from "../names.js";
import { readJsonObject } from "../names-file.js";
import { explorer as explorerOf, isExplorerKind } from "../resident/explorer.js";

export interface PortalConfig {
  names: NameBook;
  contact: { zh?: string; en?: string };
  explorer: { kind: string; baseUrl: string } | null;
  /** Nodes a browser may check answers against (CORS on), first the main one. */
  rpcUrls: string[];
}

export const NO_CONFIG: PortalConfig = { names: NO_NAMES, contact: {}, explorer: null, rpcUrls: [] };

export function readPortalConfig(file: string): PortalConfig {
  if (!file) return NO_CONFIG;
  const c = readJsonObject(file, "settings", "the portal's settings (the residents' page config.json will do)");
  const url = (key: string) => {
    const v = c[key];
    if (v === undefined) return [];
    if (typeof v !== "string" || !/^https?:\/\//.test(v))
      throw new Error(`--settings ${file}: "${key}" must be an http(s) URL, got ${JSON.stringify(v)}`);
    return [v];
  };
  let explorer: PortalConfig["explorer"] = null;
  if (c.explorer !== undefined) {
    const e = c.explorer as Record<string, unknown>;
    const kind = String(e?.kind ?? "");
    if (!isExplorerKind(kind))
      throw new Error(`--settings ${file}: "explorer.kind" must be "blockscout" or "otterscan"`);
    explorer = { kind, baseUrl: explorerOf(kind, String(e.baseUrl ?? "")).baseUrl };
  }
  const contact = (c.contact ?? {}) as Record<string, unknown>;
  return {
    names: parseNameBook(c, file),
    contact: {
      ...(typeof contact.zh === "string" ? { zh: contact.zh } : {}),
      ...(typeof contact.en === "string" ? { en: contact.en } : {}),
    },
    explorer,
    rpcUrls: [...url("rpcUrl"), ...url("secondRpcUrl")],
  };
}
