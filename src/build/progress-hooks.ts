/** The build-progress plugin's handlers (src/build/progress-plugin.ts). */
import type { SolidityHooks } from "hardhat/types/hooks";

const HEARTBEAT_MS = 30_000;

export default async (): Promise<Partial<SolidityHooks>> => ({
  async invokeSolc(context, compiler, solcInput, solcConfig, next) {
    if (process.stdout.isTTY) return next(context, compiler, solcInput, solcConfig);
    const say = (line: string) => process.stderr.write(`${line}\n`);
    const sources = Object.keys(solcInput.sources);
    const ours = sources.filter((s) => s.startsWith("project/")).length;
    const started = Date.now();
    const seconds = () => Math.round((Date.now() - started) / 1000);
    say(
      `compiling ${sources.length} Solidity sources (${ours} of this project, the rest libraries) with solc ${compiler.version}` +
        `${compiler.isSolcJs ? " (solcjs, WebAssembly)" : ""}${solcInput.settings.viaIR ? ", via-IR" : ""}: ` +
        "this takes minutes the first time; later builds reuse the cache (cache/, artifacts/)",
    );
    const timer = setInterval(() => say(`  … still compiling (${seconds()} s)`), HEARTBEAT_MS);
    try {
      const output = await next(context, compiler, solcInput, solcConfig);
      say(`compiled ${sources.length} sources in ${seconds()} s`);
      return output;
    } finally {
      clearInterval(timer);
    }
  },
});
