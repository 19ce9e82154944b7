/**
 * A small HTTP proxy on loopback in front of anvil, for JSON-RPC over HTTP POST. For each request a
 * policy decides what happens:
 *
 * - pass: forwarded, the node's answer relayed;
 * - drop: the connection is closed before the request reaches the node;
 * - drop-after: forwarded (the node acts on it), then the connection is closed without the answer;
 * - slow: forwarded at once, the answer held past the client's timeout (the client gives up; the
 *   node has acted);
 * - stall: the request itself held past the client's timeout, then forwarded all the same (a
 *   congested gateway delivering a request the client has given up on);
 * - 5xx: a 502/503/504 without forwarding; 5xx-after: forwarded, then a 502 instead of the answer;
 * - hold: neither forwarded nor answered (used with a kill: the client dies waiting).
 *
 * `flaky(seed, rates)` is the random policy (seeded, so a failing run can be repeated), with a cap on
 * faults in a row so that bounded retries always get through. Hooks let a test act on a request
 * (kill the client right after the node answered a send, say).
 */
import {
  createServer,
  type IncomingMessage,
  request as httpRequest,
  type Server,
  type ServerResponse,
} from "node:http";
import type { AddressInfo } from "node:net";

export type Action = "pass" | "drop" | "drop-after" | "slow" | "stall" | "5xx" | "5xx-after" | "hold";

export interface RequestInfo {
  /** 1-based count of requests seen. */
  n: number;
  /** JSON-RPC method (the first of a batch). */
  method: string;
  body: string;
}

export interface Policy {
  decide(request: RequestInfo): Action;
  /** Called after the node answered a forwarded request, before the answer is relayed (awaited). */
  afterForward?(request: RequestInfo, answer: string): Promise<void> | void;
}

/** mulberry32: a small seeded PRNG, enough for choosing faults. */
export function rng(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

export type FaultRates = Partial<Record<Exclude<Action, "pass" | "hold">, number>>;

export interface FlakyOptions {
  seed: number;
  rates: FaultRates;
  /** Faults in a row before one request is let through untouched. */
  maxInARow: number;
  /** Leave requests 1…n untouched (the client's start-up), default 0. */
  graceRequests?: number;
}

export interface FlakyPolicy extends Policy {
  counts: Record<Action, number>;
}

/** Faults at the given rates (their sum at most 0.5), never more than `maxInARow` in a row. */
export function flaky(options: FlakyOptions): FlakyPolicy {
  const random = rng(options.seed);
  const total = Object.values(options.rates).reduce((s, r) => s + (r ?? 0), 0);
  if (total > 0.5) throw new Error(`fault rates add up to ${total}; keep them at most 0.5`);
  const counts: Record<Action, number> = {
    pass: 0,
    drop: 0,
    "drop-after": 0,
    slow: 0,
    stall: 0,
    "5xx": 0,
    "5xx-after": 0,
    hold: 0,
  };
  let inARow = 0;
  return {
    counts,
    decide(request) {
      const roll = random();
      let action: Action = "pass";
      if (request.n > (options.graceRequests ?? 0) && inARow < options.maxInARow) {
        let acc = 0;
        for (const [fault, rate] of Object.entries(options.rates) as Array<[Action, number]>) {
          acc += rate;
          if (roll < acc) {
            action = fault;
            break;
          }
        }
      }
      inARow = action === "pass" ? 0 : inARow + 1;
      counts[action]++;
      return action;
    },
  };
}

export interface Proxy {
  url: string;
  port: number;
  requests: number;
  close(): Promise<void>;
}

export interface ProxyOptions {
  /** The node behind the proxy. */
  target: string;
  policy: Policy;
  /** How long `slow` and `stall` hold (past the client's timeout), in ms. */
  holdMs: () => number;
}

function methodOf(body: string): string {
  try {
    const parsed = JSON.parse(body) as { method?: string } | Array<{ method?: string }>;
    return (Array.isArray(parsed) ? parsed[0]?.method : parsed.method) ?? "?";
  } catch {
    return "?";
  }
}

export async function startProxy(options: ProxyOptions): Promise<Proxy> {
  const target = new URL(options.target);
  if (target.hostname !== "127.0.0.1") throw new Error("the proxy forwards to loopback only");
  const timers = new Set<NodeJS.Timeout>();
  const wait = (ms: number) =>
    new Promise<void>((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });
  let closing = false;
  const forward = (body: string): Promise<{ status: number; type: string; text: string }> =>
    new Promise((resolve, reject) => {
      const req = httpRequest(
        {
          host: "127.0.0.1",
          port: Number(target.port),
          method: "POST",
          path: target.pathname,
          headers: { "content-type": "application/json", "content-length": Buffer.byteLength(body) },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on("data", (c: Buffer) => chunks.push(c));
          res.on("end", () =>
            resolve({
              status: res.statusCode ?? 502,
              type: String(res.headers["content-type"] ?? "application/json"),
              text: Buffer.concat(chunks).toString(),
            }),
          );
          res.on("error", reject);
        },
      );
      req.on("timeout", () => req.destroy(new Error("upstream timeout")));
      req.on("error", reject);
      req.end(body);
    });
  const reply = (res: ServerResponse, status: number, type: string, text: string) => {
    if (res.destroyed || res.writableEnded) return;
    res.writeHead(status, { "content-type": type, "content-length": Buffer.byteLength(text), connection: "close" });
    res.end(text);
  };

  const state = { requests: 0 };
  const handle = async (req: IncomingMessage, res: ServerResponse) => {
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const body = Buffer.concat(chunks).toString();
    const info: RequestInfo = { n: ++state.requests, method: methodOf(body), body };
    const action = closing ? "drop" : options.policy.decide(info);
    const relay = async () => {
      const answer = await forward(body);
      await options.policy.afterForward?.(info, answer.text);
      return answer;
    };
    switch (action) {
      case "drop":
        req.socket.destroy();
        return;
      case "hold":
        return; // the socket stays open until the client (or close()) ends it
      case "5xx":
        reply(res, [502, 503, 504][info.n % 3]!, "text/plain", "bad gateway (injected)");
        return;
      case "stall":
        await wait(options.holdMs());
        break;
      default:
        break;
    }
    let answer: Awaited<ReturnType<typeof forward>>;
    try {
      answer = await relay();
    } catch {
      reply(res, 502, "text/plain", "upstream unreachable");
      return;
    }
    switch (action) {
      case "drop-after":
        req.socket.destroy();
        return;
      case "5xx-after":
        reply(res, 502, "text/plain", "bad gateway after forwarding (injected)");
        return;
      case "slow":
        await wait(options.holdMs());
        break;
      default:
        break;
    }
    reply(res, answer.status, answer.type, answer.text);
  };

  const server: Server = createServer((req, res) => {
    if (req.method !== "POST") {
      reply(res, 405, "text/plain", "POST only");
      return;
    }
    handle(req, res).catch(() => req.socket.destroy());
  });
  const sockets = new Set<import("node:net").Socket>();
  server.on("connection", (socket) => {
    sockets.add(socket);
    socket.on("close", () => sockets.delete(socket));
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    url: `http://127.0.0.1:${port}`,
    port,
    get requests() {
      return state.requests;
    },
    close: async () => {
      closing = true;
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      for (const socket of sockets) socket.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
