/**
 * Deploys and wires the whole suite: the AccessManager, the six writing contracts and the lens.
 *
 * Wiring follows src/roles.ts exactly. At the end the deploying account hands the AccessManager's
 * admin role to `governance` (with execution delay `adminDelay`) and renounces its own, so the
 * deploying key holds no power afterwards. `governance` must therefore be another account.
 *
 * Parameters (see ignition/parameters/*.json):
 *   governance   admin of the AccessManager after deployment      (default: account #1)
 *   guardian     may pause and unpause every contract at once     (default: account #1)
 *   adminDelay   seconds every admin action waits once scheduled  (default: 1 day)
 *   grantDelay   seconds before a newly granted role takes effect (default: 1 day; OpenZeppelin
 *                applies a new grant delay only after its 5-day minimum setback)
 *   governorDelay execution delay of governance's GOVERNOR role: programme amendments and
 *                office bindings are scheduled this long before they run (default: 2 days)
 *   minPublicityPeriod statutory floor of every programme's publicity period, in seconds
 *                (default: 7 days); governance may change it later, delayed (setStatutoryFloors)
 *   minReviewStages    statutory floor of the review stages every roster passes (default: 2)
 *   predecessorHouseholds the HouseholdRegistry of the suite this one succeeds (default: none); its
 *                households are then copied with households import (docs/spec.md, successor suites)
 */
import { buildModule } from "@nomicfoundation/hardhat-ignition/modules";

import { DELAYED_GRANT_ROLES, Role, SUITE_CONTRACTS, selectorsByRole } from "../../src/roles.js";

const DAY = 24 * 60 * 60;

export default buildModule("Suite", (m) => {
  const deployer = m.getAccount(0);
  const governance = m.getParameter("governance", m.getAccount(1));
  const guardian = m.getParameter("guardian", m.getAccount(1));
  const adminDelay = m.getParameter("adminDelay", DAY);
  const grantDelay = m.getParameter("grantDelay", DAY);
  const governorDelay = m.getParameter("governorDelay", 2 * DAY);
  const minPublicityPeriod = m.getParameter("minPublicityPeriod", 7 * DAY);
  const minReviewStages = m.getParameter("minReviewStages", 2);

  const manager = m.contract("SuiteAccessManager", [deployer]);
  const directory = m.contract("Directory", [manager]);
  const programmes = m.contract("ProgrammeRegistry", [manager, { minPublicityPeriod, minReviewStages }]);
  const households = m.contract("HouseholdRegistry", [
    manager,
    directory,
    m.getParameter("predecessorHouseholds", "0x0000000000000000000000000000000000000000"),
  ]);
  const ledger = m.contract("BudgetLedger", [manager, programmes, directory]);
  const rosterBook = m.contract("RosterBook", [manager, programmes, directory, ledger]);
  const rosterLines = m.contract("RosterLines", [manager, rosterBook, programmes, directory]);
  const disbursement = m.contract("Disbursement", [manager, programmes, households, directory, rosterBook, ledger]);
  const lens = m.contract("DisbursementLens", [programmes, households, ledger, rosterBook, disbursement]);

  const targets = {
    Directory: directory,
    ProgrammeRegistry: programmes,
    HouseholdRegistry: households,
    BudgetLedger: ledger,
    RosterBook: rosterBook,
    RosterLines: rosterLines,
    Disbursement: disbursement,
  } as const;

  const setup = [];
  for (const name of SUITE_CONTRACTS) {
    for (const { role, selectors } of selectorsByRole(name)) {
      setup.push(
        m.call(manager, "setTargetFunctionRole", [targets[name], selectors, Role[role]], {
          id: `wire_${name}_${role}`,
        }),
      );
    }
  }
  for (const [name, role] of Object.entries(Role)) {
    if (name === "ADMIN" || name === "PUBLIC") continue;
    setup.push(m.call(manager, "labelRole", [role, name], { id: `label_${name}` }));
  }
  setup.push(m.call(manager, "grantRole", [Role.SUITE, rosterBook, 0], { id: "grant_SUITE_RosterBook" }));
  setup.push(m.call(manager, "grantRole", [Role.SUITE, rosterLines, 0], { id: "grant_SUITE_RosterLines" }));
  setup.push(m.call(manager, "grantRole", [Role.SUITE, disbursement, 0], { id: "grant_SUITE_Disbursement" }));
  setup.push(m.call(manager, "grantRole", [Role.GUARDIAN, guardian, 0], { id: "grant_GUARDIAN" }));
  setup.push(m.call(manager, "grantRole", [Role.GOVERNOR, governance, governorDelay], { id: "grant_GOVERNOR" }));
  for (const name of DELAYED_GRANT_ROLES) {
    setup.push(m.call(manager, "setGrantDelay", [Role[name], grantDelay], { id: `grantDelay_${name}` }));
  }

  const handover = m.call(manager, "grantRole", [Role.ADMIN, governance, adminDelay], {
    id: "grant_ADMIN_governance",
    after: setup,
  });
  m.call(manager, "renounceRole", [Role.ADMIN, deployer], { id: "renounce_ADMIN_deployer", after: [handover] });

  return { manager, directory, programmes, households, ledger, rosterBook, rosterLines, disbursement, lens };
});
