/**
 * A Hardhat plugin: when the runtime is created for a command typed at the shell (`npx hardhat …`),
 * prints "did you mean …?" for a mistyped task, subtask or option (suggest.ts), on stderr, before
 * Hardhat's own error. Silent for anything else (tests, scripts that create the runtime themselves).
 */
import type { HardhatPlugin } from "hardhat/types/plugins";

export const suggestNames: HardhatPlugin = {
  id: "fund-disbursement-suggest-names",
  hookHandlers: { hre: () => import("./suggest-hooks.js") },
};
