/**
 * Links into a block explorer, for each transaction, block and contract a resident is shown.
 * Two kinds, because their pages differ where it matters (the decoded events of a transaction):
 *
 * | page                   | Blockscout                   | Otterscan                |
 * |------------------------|------------------------------|--------------------------|
 * | transaction            | `${base}/tx/${hash}`         | `${base}/tx/${hash}`     |
 * | its events (logs)      | `${base}/tx/${hash}?tab=logs`| `${base}/tx/${hash}/logs`|
 * | block                  | `${base}/block/${number}`    | `${base}/block/${number}`|
 * | address (contract)     | `${base}/address/${address}` | `${base}/address/${address}` |
 *
 * The base URL is where the explorer is served (e.g. `https://explorer.example.gov.cn`, or
 * `http://127.0.0.1:5100` for an Otterscan container); it must be http(s), so that a config file
 * cannot turn a link into script.
 */

export const EXPLORER_KINDS = ["blockscout", "otterscan"] as const;
export type ExplorerKind = (typeof EXPLORER_KINDS)[number];

export interface Explorer {
  kind: ExplorerKind;
  baseUrl: string;
  tx(hash: string): string;
  txLogs(hash: string): string;
  block(number: number | bigint): string;
  address(address: string): string;
}

export function isExplorerKind(value: string): value is ExplorerKind {
  return (EXPLORER_KINDS as readonly string[]).includes(value);
}

export function explorer(kind: string, baseUrl: string): Explorer {
  if (!isExplorerKind(kind)) throw new Error(`explorer kind must be ${EXPLORER_KINDS.join(" or ")}, got "${kind}"`);
  let url: URL;
  try {
    url = new URL(baseUrl);
  } catch {
    throw new Error(`explorer base URL is not a URL: "${baseUrl}"`);
  }
  if (url.protocol !== "http:" && url.protocol !== "https:")
    throw new Error(`explorer base URL must be http or https, got "${url.protocol}"`);
  if (url.search || url.hash) throw new Error("explorer base URL must not have a query or fragment");
  const base = url.href.replace(/\/+$/, "");
  const hex = (value: string, length: number, what: string) => {
    if (!new RegExp(`^0x[0-9a-fA-F]{${length}}$`).test(value)) throw new Error(`not a ${what}: ${value}`);
    return value;
  };
  return {
    kind,
    baseUrl: base,
    tx: (hash) => `${base}/tx/${hex(hash, 64, "transaction hash")}`,
    txLogs: (hash) =>
      kind === "blockscout"
        ? `${base}/tx/${hex(hash, 64, "transaction hash")}?tab=logs`
        : `${base}/tx/${hex(hash, 64, "transaction hash")}/logs`,
    block: (number) => `${base}/block/${BigInt(number).toString()}`,
    address: (address) => `${base}/address/${hex(address, 40, "address")}`,
  };
}
