/**
 * The benchmark's block period: a worker thread that asks anvil (started with --no-mining) to seal a
 * block every `periodMs`, with whatever transactions have arrived, as a QBFT chain seals one per block
 * period.
 *
 * Why not anvil's own timer (--block-time): while it mines by interval, anvil grows by about a copy of
 * the whole state every block, whatever --prune-history says (measured with anvil 1.4.4 to 1.7.1:
 * some 33 MB a block with 110,000 households registered, 7.5 GB in a 100,000-payout run), and the
 * million-payout runs ran out of memory. Sealed by evm_mine, the same node stays flat.
 *
 * A thread of its own, so that the benchmark's own work (building proofs, decoding) never delays a
 * block.
 */
import { Worker } from "node:worker_threads";

const SOURCE = `
const { parentPort, workerData } = require("node:worker_threads");
const { url, periodMs } = workerData;
let running = true;
let blocks = 0;
let failures = 0;
let lastError = "";
parentPort.on("message", () => { running = false; });
(async () => {
  let next = Date.now();
  while (running) {
    next += periodMs;
    try {
      const res = await fetch(url, {
        method: "POST",
        headers: { "content-type": "application/json" },
        body: JSON.stringify({ jsonrpc: "2.0", id: 1, method: "evm_mine", params: [] }),
        signal: AbortSignal.timeout(60000),
      });
      const body = await res.json();
      if (body.error) throw new Error(body.error.message);
      blocks++;
    } catch (error) {
      failures++;
      lastError = String((error && error.message) || error);
    }
    const wait = next - Date.now();
    if (wait > 0) await new Promise((resolve) => setTimeout(resolve, wait));
    else next = Date.now();
  }
  parentPort.postMessage({ blocks, failures, lastError });
})();
`;

export class Sealer {
  private constructor(private readonly worker: Worker) {}

  /** Starts sealing a block on the node at `url` every `periodMs`. */
  static start(url: string, periodMs = 1_000): Sealer {
    return new Sealer(new Worker(SOURCE, { eval: true, workerData: { url, periodMs } }));
  }

  /** Stops after the block being sealed; the number of blocks sealed. Throws if any seal failed. */
  async stop(): Promise<number> {
    const done = new Promise<{ blocks: number; failures: number; lastError: string }>((resolve, reject) => {
      this.worker.once("message", resolve);
      this.worker.once("error", reject);
    });
    this.worker.postMessage("stop");
    const result = await done;
    await this.worker.terminate();
    if (result.failures > 0)
      throw new Error(`the block sealer: ${result.failures} evm_mine call(s) failed, the last: ${result.lastError}`);
    return result.blocks;
  }
}
