// Coverage gate for contracts/: reads the lcov report that `hardhat test --coverage` writes and
// fails unless line coverage is at least 95%. Hardhat 3's coverage measures lines and statements,
// not branches; as the branch check, every custom error a contract can revert with must be
// exercised by a test (each `if (…) revert X(…)` is one branch of the contract's decisions).
import { readFileSync, readdirSync, statSync } from "node:fs";
import path from "node:path";

const MIN_LINES = 95;
const lcov = readFileSync("coverage/lcov.info", "utf8");
let found = 0;
let hit = 0;
const perFile = [];
let current;
for (const line of lcov.split("\n")) {
  if (line.startsWith("SF:")) current = { file: line.slice(3), found: 0, hit: 0 };
  else if (line.startsWith("LF:")) current.found = Number(line.slice(3));
  else if (line.startsWith("LH:")) current.hit = Number(line.slice(3));
  else if (line === "end_of_record" && current) {
    if (/(^|\/)contracts\//.test(current.file) && !current.file.includes("bench/")) {
      perFile.push(current);
      found += current.found;
      hit += current.hit;
    }
    current = undefined;
  }
}
const pct = found === 0 ? 0 : (100 * hit) / found;
for (const f of perFile) console.log(`${((100 * f.hit) / Math.max(f.found, 1)).toFixed(2).padStart(7)}%  ${f.file}`);
console.log(`line coverage of contracts/: ${pct.toFixed(2)}% (${hit}/${found} lines; required ${MIN_LINES}%)`);

const files = (dir) =>
  readdirSync(dir).flatMap((n) =>
    statSync(path.join(dir, n)).isDirectory() ? files(path.join(dir, n)) : [path.join(dir, n)],
  );
const sources = files("contracts")
  .filter((f) => f.endsWith(".sol"))
  .map((f) => readFileSync(f, "utf8"))
  .join("\n");
const tests = files("test")
  .filter((f) => /\.(ts|sol)$/.test(f))
  .map((f) => readFileSync(f, "utf8"))
  .join("\n");
const errors = [...new Set([...sources.matchAll(/\berror\s+(\w+)\s*\(/g)].map((m) => m[1]))];
const untested = errors.filter((e) => !new RegExp(`\\b${e}\\b`).test(tests));
console.log(`revert branches: ${errors.length - untested.length}/${errors.length} custom errors exercised by tests`);

let failed = false;
if (pct < MIN_LINES) {
  console.error(`FAIL: line coverage ${pct.toFixed(2)}% is below ${MIN_LINES}%`);
  failed = true;
}
if (untested.length > 0) {
  console.error(`FAIL: custom errors no test exercises: ${untested.join(", ")}`);
  failed = true;
}
process.exit(failed ? 1 : 0);
