/** `npx hardhat <task> --help`: an example per task, required options marked, types and defaults shown. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

import { expect } from "chai";
import hre from "hardhat";

import { EXAMPLES, exampleOptions } from "../../tasks/help.js";

/** The project's task groups (Hardhat's own tasks, such as `test` or `ignition`, are not ours). */
const GROUPS = new Set([
  ...["audit", "bank", "budget", "dev", "explorer", "governance", "households", "payout", "portal"],
  ...["programme", "publicity", "resident", "reversal", "review", "roster"],
]);
const kebab = (name: string) => name.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);

describe("CLI: help that helps", () => {
  const ours = [...hre.tasks.rootTasks.values()]
    .filter((group) => GROUPS.has(group.id[0]!))
    .flatMap((group) => (group.subtasks.size > 0 ? [...group.subtasks.values()] : [group]));

  it("every example names only options its task has, and every task of ours has an example", () => {
    const ids = new Set(ours.map((t) => t.id.join(" ")));
    expect(
      Object.keys(EXAMPLES).filter((id) => !ids.has(id)),
      "examples of no task",
    ).to.deep.equal([]);
    for (const task of ours) {
      const id = task.id.join(" ");
      const example = EXAMPLES[id];
      expect(example, `${id} has no example`).to.be.a("string");
      expect(example!.startsWith(`${id} `) || example === id, id).to.equal(true);
      const { required, optional } = exampleOptions(example!);
      const names = [...task.options.keys()].map(kebab);
      for (const option of [...required, ...optional]) expect(names, `${id}: --${option}`).to.include(option);
      expect(task.description, id).to.contain(`Example: npx hardhat ${example}`);
      // A required option says so; an optional one does not.
      for (const [name, option] of task.options) {
        expect(option.description.endsWith("(required)"), `${id} --${kebab(name)}`).to.equal(
          required.includes(kebab(name)),
        );
      }
    }
  });

  it("`roster submit --help` shows the example, each option's type and default, and marks required ones", async function () {
    this.timeout(60_000);
    const { stdout } = await promisify(execFile)("npx", ["hardhat", "roster", "submit", "--help"], {
      cwd: hre.config.paths.root,
      env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    });
    expect(stdout)
      .to.contain("Example: npx hardhat roster submit --programme 1 --region 110101001000 --roster roster.csv")
      .and.to.contain("[--programme <STRING>]")
      .and.to.contain("[--dry-run]")
      .and.to.match(/--programme\s+programme id \(required\)/)
      .and.to.match(/--chunk-size\s+lines put on chain per transaction .*\(default: 5000\)/)
      .and.to.match(/--dry-run\s+check everything against the chain without sending \(default: false\)/)
      .and.not.to.match(/--chunk-size[^\n]*\(required\)/);
  });

  it("office kinds and departments are offered by name", () => {
    const bind = hre.tasks.getTask(["governance", "bind-office"]);
    expect(bind.options.get("kind")!.description).to.contain(
      "bureau (finance bureau), civil-affairs, reviewer (a reviewing department's office), treasury (disbursing office) or bank (agent bank)",
    );
    expect(bind.options.get("department")!.description).to.contain('config.json "departments"');
  });
});
