/**
 * The portal's one way to its read service (src/portal/server.ts): same origin, GET only, a time
 * limit on every request (a service that does not answer gives a message, never a spinner forever).
 */
export interface Freshness {
  at: { block: number; hash: string | null; time: string | null };
  chain: {
    id: string;
    reachable: boolean;
    chainHead: number | null;
    behind: number | null;
    error: string | null;
  };
}
export interface Envelope<T> extends Freshness {
  data: T;
}

export class ApiError extends Error {
  constructor(
    readonly kind: "timeout" | "status" | "network",
    message: string,
    readonly status?: number,
  ) {
    super(message);
  }
}

export const TIMEOUT_MS = 8_000;
let onFresh: (f: Freshness) => void = () => undefined;
export const whenFresh = (fn: (f: Freshness) => void) => {
  onFresh = fn;
};

export async function api<T>(path: string): Promise<Envelope<T>> {
  const controller = new AbortController();
  const timer = setTimeout(() => controller.abort(), TIMEOUT_MS);
  let response: Response;
  try {
    // The pages are served at <service>/portal/, the API at <service>/api/.
    response = await fetch(new URL(`../api${path}`, location.href), {
      signal: controller.signal,
      headers: { accept: "application/json" },
    });
  } catch (error) {
    if (controller.signal.aborted) throw new ApiError("timeout", `no answer within ${TIMEOUT_MS / 1000} s`);
    throw new ApiError("network", (error as Error).message);
  } finally {
    clearTimeout(timer);
  }
  const body = (await response.json().catch(() => ({}))) as Envelope<T> & { error?: string };
  if (!response.ok) throw new ApiError("status", body.error ?? `HTTP ${response.status}`, response.status);
  onFresh(body);
  return body;
}
