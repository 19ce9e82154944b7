/**
 * An ethers JsonRpcProvider for a node given by URL (the key-free tools: audit, resident check,
 * benchmarks), whose HTTP requests go through the platform's `fetch`.
 *
 * Why: ethers' own Node transport appends each chunk of an answer to everything received before
 * (a copy per chunk), so reading an answer costs the square of its size. The suite's answers are
 * large — a 2,500-line payout's receipt is 1.7 MB, an eth_getLogs range of such payouts tens of MB —
 * and that copying took 10 to 15 times longer than the node took to answer. `fetch` reads an answer
 * once. Everything else (batching, retries, errors) stays ethers'.
 */
import {
  FetchRequest,
  type FetchGetUrlFunc,
  JsonRpcProvider,
  type JsonRpcApiProviderOptions,
  type JsonRpcPayload,
  type JsonRpcResult,
  makeError,
  type Networkish,
} from "ethers";

/** ethers' getUrl through `fetch`: one read of the whole answer. */
export const fetchGetUrl: FetchGetUrlFunc = async (req, signal) => {
  const abort = new AbortController();
  signal?.addListener(() => abort.abort());
  const response = await fetch(req.url, {
    method: req.method,
    headers: { ...req.headers },
    body: req.body ? Buffer.from(req.body) : undefined,
    signal: abort.signal,
  });
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => {
    headers[key.toLowerCase()] = value;
  });
  const body = new Uint8Array(await response.arrayBuffer());
  return {
    statusCode: response.status,
    statusMessage: response.statusText,
    headers,
    body: body.length > 0 ? body : null,
  };
};

/**
 * One JSON-RPC call straight to `url`, without a provider (no retries, no network detection): for a
 * first contact with a node, and for the test and benchmark harnesses that drive anvil.
 */
export async function rpcCall<T = unknown>(
  url: string,
  method: string,
  params: unknown[] = [],
  timeoutMs = 2_000,
): Promise<T> {
  const response = await fetch(url, {
    method: "POST",
    headers: { "content-type": "application/json" },
    body: JSON.stringify({ jsonrpc: "2.0", id: 1, method, params }),
    signal: AbortSignal.timeout(timeoutMs),
  });
  const body = (await response.json()) as { result?: T; error?: { message: string } };
  if (body.error) throw new Error(`${method}: ${body.error.message}`);
  return body.result as T;
}

/**
 * ethers' JsonRpcProvider with the answer decoded by the platform (TextDecoder and JSON.parse)
 * instead of ethers' own UTF-8 decoder, written in JavaScript: for an eth_getLogs of thousands of
 * payouts (megabytes) that decoder took hundreds of milliseconds of one thread, during which a
 * service following the chain (the portal) answered nobody. The rest is ethers' own `_send`.
 */
class FetchJsonRpcProvider extends JsonRpcProvider {
  override async _send(payload: JsonRpcPayload | JsonRpcPayload[]): Promise<JsonRpcResult[]> {
    const request = this._getConnection();
    request.body = JSON.stringify(payload);
    request.setHeader("content-type", "application/json");
    const response = await request.send();
    response.assertOk();
    let answer: unknown;
    try {
      answer = JSON.parse(utf8.decode(response.body ?? new Uint8Array()));
    } catch {
      // ethers' words for it, which the indexer knows as "the range is too large" (indexer.ts NOT_JSON).
      throw makeError("response body is not valid JSON", "UNSUPPORTED_OPERATION", {
        operation: "bodyJson",
        info: { response },
      });
    }
    return (Array.isArray(answer) ? answer : [answer]) as JsonRpcResult[];
  }
}
const utf8 = new TextDecoder();

/** A JsonRpcProvider for `url` whose requests go through `fetch` and whose answers the platform decodes (see above). */
export function rpcProvider(url: string, network?: Networkish, options?: JsonRpcApiProviderOptions): JsonRpcProvider {
  const request = new FetchRequest(url);
  request.getUrlFunc = fetchGetUrl;
  return new FetchJsonRpcProvider(request, network, options);
}
