/**
 * SIGKILL at a seeded point of a run's requests, as the proxy sees them: before its first send,
 * right after the node answered a send (the transaction landed, the tool never heard), as it makes a
 * send (held back, so the sends before it landed and this one did not), or a while after its first
 * send. One switch serves every scenario that kills a tool (payout record, roster submit).
 */
import type { Child } from "./proc.js";
import type { Action, Policy, RequestInfo } from "./proxy.js";

export type KillPoint =
  | { kind: "before-first-send"; n: number }
  | { kind: "after-send"; k: number }
  | { kind: "between-sends"; k: number }
  | { kind: "timed"; ms: number };

export const KILL_KINDS = ["before-first-send", "after-send", "between-sends", "timed"] as const;

/** Every kind of kill point once, in a seeded order, with seeded details (`maxK` sends at most before the kill). */
export function killPoints(random: () => number, maxK: number): KillPoint[] {
  const order = [...KILL_KINDS]
    .map((k) => ({ k, r: random() }))
    .sort((a, b) => a.r - b.r)
    .map((x) => x.k);
  return order.map((kind): KillPoint => {
    if (kind === "before-first-send") return { kind, n: 1 + Math.floor(random() * 40) };
    if (kind === "timed") return { kind, ms: 20 + Math.floor(random() * 250) };
    return { kind, k: 1 + Math.floor(random() * maxK) };
  });
}

export class KillSwitch implements Policy {
  /** Why the armed run was killed ("" while it was not). */
  killedBy = "";
  private child: Child | undefined;
  private point: KillPoint | undefined;
  private requests = 0;
  private sends = 0;
  private timer: NodeJS.Timeout | undefined;

  /** Watches `child`'s requests from now on and kills it at `point`. */
  arm(child: Child, point: KillPoint): void {
    this.child = child;
    this.point = point;
    this.killedBy = "";
    this.requests = 0;
    this.sends = 0;
  }

  /** Stops watching (the run ended); requests pass untouched until the next `arm`. */
  disarm(): void {
    clearTimeout(this.timer);
    this.child = undefined;
    this.point = undefined;
  }

  decide(req: RequestInfo): Action {
    const point = this.point;
    if (!this.child || !point || this.killedBy) return "pass";
    this.requests++;
    const isSend = req.method === "eth_sendTransaction";
    if (isSend) this.sends++;
    switch (point.kind) {
      case "before-first-send":
        if (isSend || this.requests >= point.n) {
          void this.kill(
            isSend
              ? "at its first send, before it reached the node"
              : `at its request #${this.requests} (${req.method}), before its first send`,
          );
          return "hold";
        }
        break;
      case "between-sends":
        if (isSend && this.sends === point.k + 1) {
          void this.kill(`as it made send #${point.k + 1} (held back), sends 1…${point.k} made before`);
          return "hold";
        }
        break;
      case "timed":
        if (isSend && this.sends === 1)
          this.timer = setTimeout(() => void this.kill(`${point.ms} ms after its first send`), point.ms);
        break;
      default:
        break;
    }
    return "pass";
  }

  async afterForward(req: RequestInfo): Promise<void> {
    const point = this.point;
    if (
      point?.kind === "after-send" &&
      req.method === "eth_sendTransaction" &&
      this.sends === point.k &&
      !this.killedBy
    ) {
      await this.kill(`right after the node accepted its send #${point.k} (the tool never saw the answer)`);
    }
  }

  private kill(why: string): Promise<void> {
    if (!this.child || this.killedBy) return Promise.resolve();
    this.killedBy = why;
    return this.child.kill();
  }
}
