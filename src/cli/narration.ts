/**
 * What the tasks that send through the resumable sender (`payout record`, `bank settle`) say while
 * they run and when they end, in the same words: each retry of a transient failure, each reading of
 * the chain again and what it found, and the closing notes.
 */
import type { Recheck, SendReport } from "../chain/resumable.js";
import type { RetryNotice, RetryOptions } from "../transport/index.js";

/** `1 line`, `3 lines`. */
export const lines = (n: number) => `${n} line${n === 1 ? "" : "s"}`;

export class SendNarration {
  /** Retry notices seen (reads and chunks alike). */
  retries = 0;
  private say: (text: string) => void = (text) => console.log(text);

  /** `verb` is what a done line is: "paid", "settled". Under `json` nothing is said as it happens. */
  constructor(
    private readonly verb: string,
    private readonly json: boolean,
  ) {}

  /** The retry options to give every read and the sender: each retry is counted and said. */
  readonly retry: RetryOptions = {
    onRetry: (n: RetryNotice) => {
      this.retries++;
      if (!this.json)
        this.say(
          `  retry ${n.attempt}/${n.attempts - 1} in ${(n.delayMs / 1000).toFixed(2)} s: ${n.what}: ${n.reason}`,
        );
    },
  };

  /** Says things through the task's output from now on. */
  sayWith(say: (text: string) => void): void {
    this.say = say;
  }

  /**
   * One line for a reading of the chain: what it found (`more`: the job's own findings) and what is
   * still to do (`remaining`, e.g. "3 line(s) still to pay"), or, at the end, that all is done.
   */
  recheck(r: Recheck, remaining: string, more: string[] = []): void {
    const found = [
      r.landedWithoutReceipt > 0 ? `${lines(r.landedWithoutReceipt)} ${this.verb} by a send whose answer was lost` : "",
      r.lostAfterReceipt > 0
        ? `${lines(r.lostAfterReceipt)} no longer ${this.verb} (the node lost blocks), to be sent again`
        : "",
      ...more,
    ].filter(Boolean);
    if (r.final && found.length === 0 && r.toSend === 0)
      this.say(`  checked against the chain: every line this run sent is ${this.verb}`);
    else
      this.say(`  read the chain again (${r.reason}): ${found.length > 0 ? `${found.join(", ")}; ` : ""}${remaining}`);
  }

  /** The closing notes of a run, to follow its summary. */
  notes(report: SendReport): string[] {
    return [
      this.retries > 0 ? `${this.retries} transient failure(s) retried` : "",
      report.landedWithoutReceipt > 0
        ? `${lines(report.landedWithoutReceipt)} found ${this.verb} after their send's answer was lost`
        : "",
      report.sentAgain > 0 ? `${lines(report.sentAgain)} ${this.verb} again after the node lost them` : "",
      report.outOfGas > 0 ? `${report.outOfGas} chunk(s) ran out of the gas they were given and were sent again` : "",
    ].filter(Boolean);
  }
}
