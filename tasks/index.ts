/**
 * The command-line tasks: one folder per user, one verb per file, each folder's index declaring its
 * tasks (loaded lazily). Every task takes --from (signing account: index or address), --deployment
 * (the suite's address record; default: Ignition's record for the connected chain), --json, and
 * Hardhat's --network.
 */
import { devTasks } from "./dev/index.js";
import { governanceTasks } from "./governance/index.js";
import { programmeTasks } from "./programme/index.js";
import { budgetTasks } from "./budget/index.js";
import { householdsTasks } from "./households/index.js";
import { payoutTasks } from "./payout/index.js";
import { rosterTasks } from "./roster/index.js";
import { reviewTasks } from "./review/index.js";
import { publicityTasks } from "./publicity/index.js";
import { bankTasks } from "./bank/index.js";
import { reversalTasks } from "./reversal/index.js";
import { residentTasks } from "./resident/index.js";
import { auditTasks } from "./audit/index.js";
import { portalTasks } from "./portal/index.js";
import { explorerTasks } from "./explorer/index.js";
import { withHelp } from "./help.js";

export const tasks = [
  ...governanceTasks,
  ...programmeTasks,
  ...budgetTasks,
  ...householdsTasks,
  ...rosterTasks,
  ...payoutTasks,
  ...devTasks,
  ...reviewTasks,
  ...publicityTasks,
  ...bankTasks,
  ...reversalTasks,
  ...residentTasks,
  ...auditTasks,
  ...portalTasks,
  ...explorerTasks,
].map(withHelp);
