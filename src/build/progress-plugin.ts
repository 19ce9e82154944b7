/**
 * A Hardhat plugin that says what the Solidity compiler is doing when nobody sees Hardhat's spinner
 * (output not on a terminal: CI, a pipe, a log file). solcjs with via-IR takes minutes on a fresh
 * clone, and Hardhat prints nothing until it is done; with this, each compiler run is announced
 * (how many sources, which solc) with a line every 30 s while it runs and one when it ends, on
 * stderr so that a task's --json output on stdout stays clean. On a terminal it prints nothing:
 * Hardhat's spinner is there. The handlers are loaded only when a build runs.
 */
import type { HardhatPlugin } from "hardhat/types/plugins";

export const buildProgress: HardhatPlugin = {
  id: "fund-disbursement-build-progress",
  hookHandlers: { solidity: () => import("./progress-hooks.js") },
};
