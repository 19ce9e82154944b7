/** The task list as a user meets it: who is offered a signing account, and who is not. */
import { expect } from "chai";
import hre from "hardhat";

/** Every task of the project that reads the suite (its ids start with one of these words; `dev` only moves a local chain's clock). */
const GROUPS = [
  "audit",
  "bank",
  "budget",
  "explorer",
  "governance",
  "households",
  "payout",
  "portal",
  "programme",
  "publicity",
  "resident",
  "reversal",
  "review",
  "roster",
];
/** Key-free tasks: residents, auditors, the portal and whoever publishes to an explorer sign nothing. */
const KEY_FREE = ["audit", "explorer", "portal", "resident"];

describe("CLI: the tasks' options", () => {
  const tasks = [...hre.tasks.rootTasks.values()]
    .filter((t) => GROUPS.includes(t.id[0]!))
    .flatMap((group) => (group.subtasks.size > 0 ? [...group.subtasks.values()] : [group]));

  it("every task takes --deployment and --json; only tasks that sign offer --from", () => {
    expect(tasks.length).to.be.greaterThan(40);
    for (const task of tasks) {
      const name = task.id.join(" ");
      expect(task.options.has("deployment"), `${name} --deployment`).to.equal(true);
      expect(task.options.has("json"), `${name} --json`).to.equal(true);
      expect(task.options.has("from"), `${name} --from`).to.equal(!KEY_FREE.includes(task.id[0]!));
    }
  });
});
