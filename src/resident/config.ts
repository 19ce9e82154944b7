/**
 * The residents' page configuration: `config.json`, fetched from next to index.html, so that one
 * build of the page serves any deployment. Parsed strictly (a typo should fail loudly, not show
 * residents a wrong chain). Browser-safe.
 *
 * {
 *   "rpcUrl": "https://rpc.example.gov.cn",           JSON-RPC endpoint the browser reads (CORS on)
 *   "chainId": 31337,                                  checked against the node before any lookup
 *   "contracts": { "households": "0x…", "rosterBook": "0x…", "disbursement": "0x…", "lens": "0x…" },
 *   "fromBlock": 0,                                    the suite's deployment block (optional)
 *   "logWindow": 5000,                                 most blocks per eth_getLogs (optional)
 *   "explorer": { "kind": "blockscout", "baseUrl": "https://explorer.example.gov.cn" },   (optional)
 *   "departments": { "0": { "zh": "民政局", "en": "Civil affairs" } },                   (optional)
 *   "regions": { "110101001000": { "zh": "某某镇", "en": "… township" } }                 (optional)
 * }
 */
import { getAddress } from "ethers";

import { type ExplorerKind, explorer, isExplorerKind } from "./explorer.js";
import type { ResidentDeployment } from "./lookup.js";
import { type Names, parseNames } from "../names.js";

export type { Names } from "../names.js";

export interface ResidentPageConfig {
  rpcUrl: string;
  chainId: number;
  contracts: ResidentDeployment;
  fromBlock: number;
  logWindow: number;
  explorer?: { kind: ExplorerKind; baseUrl: string };
  departments: Names;
  regions: Names;
  /** Whom a resident contacts about a line (an objection, a suspension), per language; a default is said without it. */
  contact: { zh?: string; en?: string };
}

const CONTRACT_KEYS = ["households", "rosterBook", "disbursement", "lens"] as const;

function wholeNumber(value: unknown, where: string, fallback: number, min: number): number {
  if (value === undefined) return fallback;
  if (typeof value !== "number" || !Number.isSafeInteger(value) || value < min)
    throw new Error(`config.json: "${where}" must be a whole number ≥ ${min}`);
  return value;
}

function contactOf(value: unknown): { zh?: string; en?: string } {
  if (value === undefined) return {};
  const e = value as Record<string, unknown>;
  if (
    typeof e !== "object" ||
    e === null ||
    Array.isArray(e) ||
    (e.zh !== undefined && typeof e.zh !== "string") ||
    (e.en !== undefined && typeof e.en !== "string")
  ) {
    throw new Error(
      'config.json: "contact" must be { "zh": "…", "en": "…" }: whom residents contact about a line, e.g. the township office and its telephone',
    );
  }
  return { ...(typeof e.zh === "string" ? { zh: e.zh } : {}), ...(typeof e.en === "string" ? { en: e.en } : {}) };
}

export function parsePageConfig(json: unknown): ResidentPageConfig {
  if (typeof json !== "object" || json === null || Array.isArray(json))
    throw new Error("config.json must hold a JSON object");
  const c = json as Record<string, unknown>;
  if (typeof c.rpcUrl !== "string" || !/^https?:\/\//.test(c.rpcUrl))
    throw new Error('config.json: "rpcUrl" must be an http(s) URL');
  const chainId = wholeNumber(c.chainId, "chainId", -1, 1);
  const contracts = c.contracts as Record<string, unknown> | undefined;
  if (typeof contracts !== "object" || contracts === null)
    throw new Error(`config.json: "contracts" must name ${CONTRACT_KEYS.join(", ")}`);
  const deployment = {} as ResidentDeployment;
  for (const key of CONTRACT_KEYS) {
    const value = contracts[key];
    try {
      deployment[key] = getAddress(String(value));
    } catch {
      throw new Error(`config.json: "contracts.${key}" must be a contract address, got ${JSON.stringify(value)}`);
    }
  }
  if (contracts.rosterLines !== undefined) {
    try {
      deployment.rosterLines = getAddress(String(contracts.rosterLines));
    } catch {
      throw new Error(
        `config.json: "contracts.rosterLines" must be a contract address, got ${JSON.stringify(contracts.rosterLines)}`,
      );
    }
  }
  let explorerConfig: ResidentPageConfig["explorer"];
  if (c.explorer !== undefined) {
    const e = c.explorer as Record<string, unknown>;
    const kind = String(e?.kind ?? "");
    if (!isExplorerKind(kind)) throw new Error('config.json: "explorer.kind" must be "blockscout" or "otterscan"');
    const built = explorer(kind, String(e.baseUrl ?? "")); // validates the URL
    explorerConfig = { kind, baseUrl: built.baseUrl };
  }
  return {
    rpcUrl: c.rpcUrl,
    chainId,
    contracts: deployment,
    fromBlock: wholeNumber(c.fromBlock, "fromBlock", 0, 0),
    logWindow: wholeNumber(c.logWindow, "logWindow", 5_000, 1),
    ...(explorerConfig ? { explorer: explorerConfig } : {}),
    departments: parseNames(c.departments, "departments"),
    regions: parseNames(c.regions, "regions"),
    contact: contactOf(c.contact),
  };
}
