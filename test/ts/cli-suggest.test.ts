/**
 * A mistyped task, subtask or option gets the nearest name (src/cli/suggest.ts), from the project's
 * real task list; a correct command line gets nothing; and `npx hardhat` prints it before Hardhat's
 * own error.
 */
import { execFile } from "node:child_process";
import path from "node:path";
import { promisify } from "node:util";

import { expect } from "chai";
import hre from "hardhat";

import { suggestions, type TaskLike } from "../../src/cli/suggest.js";

const tasks = hre.tasks.rootTasks as ReadonlyMap<string, TaskLike>;
const globals = new Set(["network", "config", "help", "show-stack-traces", "build-profile", "verbosity"]);
const say = (line: string) => suggestions(line.split(" "), tasks, globals);

describe("CLI: did you mean …?", () => {
  it("suggests the nearest task, subtask or option of the project's own task list", () => {
    expect(say("audti export")).to.deep.equal(['"audti" is not a task: did you mean "audit"?']);
    expect(say("audit exprot --db x")).to.deep.equal([
      '"exprot" is not a subtask of "audit": did you mean "audit export"?',
    ]);
    expect(say("--network localhost governance grnat --from 1")).to.deep.equal([
      '"grnat" is not a subtask of "governance": did you mean "governance grant"?',
    ]);
    expect(say("audit export --tabel lines")).to.deep.equal([
      '--tabel is not an option of "audit export": did you mean --table?',
    ]);
    expect(say("roster submit --rosterr x.csv --programme 1")).to.deep.equal([
      '--rosterr is not an option of "roster submit": did you mean --roster?',
    ]);
  });

  it("says nothing of a correct command line, of help, or of a name too far from any", () => {
    expect(say("--network localhost roster submit --roster x.csv --programme 1 --dry-run")).to.deep.equal([]);
    expect(say("audit export --table lines --no-update --json")).to.deep.equal([]);
    expect(say("audit exprot --help")).to.deep.equal([]);
    expect(say("keystore set --dev BUREAU_SECRET")).to.deep.equal([]);
    expect(say("completely-unrelated")).to.deep.equal([]);
  });

  it("npx hardhat prints the suggestion before Hardhat's own error", async () => {
    const cli = path.join(process.cwd(), "node_modules", ".bin", "hardhat");
    const run = await promisify(execFile)(cli, ["audit", "exprot"], { timeout: 60_000 }).then(
      () => ({ stderr: "" }),
      (error: { stderr: string }) => error,
    );
    const lines = run.stderr.trim().split("\n");
    expect(lines[0]).to.equal('"exprot" is not a subtask of "audit": did you mean "audit export"?');
    expect(run.stderr).to.contain("HHE416");
  });
});
