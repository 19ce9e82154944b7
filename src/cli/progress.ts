/** Progress for long runs: a bar on a terminal, a line per step otherwise (logs, CI, --json quiet). */
import cliProgress from "cli-progress";

import type { Output } from "./context.js";

export interface Progress {
  update(done: number, detail?: string): void;
  stop(): void;
}

export function progress(out: Output, total: number, label: string): Progress {
  if (out.json) return { update: () => {}, stop: () => {} };
  if (!process.stdout.isTTY) {
    return {
      update: (done, detail) => out.say(`${label}: ${done}/${total}${detail ? ` (${detail})` : ""}`),
      stop: () => {},
    };
  }
  const bar = new cliProgress.SingleBar(
    { format: `${label} [{bar}] {value}/{total} {detail}`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0, { detail: "" });
  return { update: (done, detail) => bar.update(done, { detail: detail ?? "" }), stop: () => bar.stop() };
}
