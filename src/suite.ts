/**
 * The deployed suite with typed handles: deploys through the Ignition module (the same wiring as
 * production) on any Hardhat network connection. Used by the demo, scripts and tests.
 */
import type { NetworkConnection } from "hardhat/types/network";

import SuiteModule from "../ignition/modules/Suite.js";
import {
  BudgetLedger__factory,
  Directory__factory,
  Disbursement__factory,
  DisbursementLens__factory,
  HouseholdRegistry__factory,
  ProgrammeRegistry__factory,
  RosterBook__factory,
  SuiteAccessManager__factory,
} from "../typechain-types/index.js";

/** Ignition parameters of the Suite module (see ignition/modules/Suite.ts). */
export type SuiteParameters = Partial<Record<"governance" | "guardian" | "adminDelay" | "grantDelay" | "governorDelay", string | number>>;

export async function deploySuite(connection: NetworkConnection, parameters: SuiteParameters = {}) {
  const deployed = await connection.ignition.deploy(SuiteModule, { parameters: { Suite: parameters } });
  const provider = connection.ethers.provider;
  const at = (c: { getAddress(): Promise<string> }) => c.getAddress();
  return {
    manager: SuiteAccessManager__factory.connect(await at(deployed.manager), provider),
    directory: Directory__factory.connect(await at(deployed.directory), provider),
    programmes: ProgrammeRegistry__factory.connect(await at(deployed.programmes), provider),
    households: HouseholdRegistry__factory.connect(await at(deployed.households), provider),
    ledger: BudgetLedger__factory.connect(await at(deployed.ledger), provider),
    rosterBook: RosterBook__factory.connect(await at(deployed.rosterBook), provider),
    disbursement: Disbursement__factory.connect(await at(deployed.disbursement), provider),
    lens: DisbursementLens__factory.connect(await at(deployed.lens), provider),
  };
}

export type Suite = Awaited<ReturnType<typeof deploySuite>>;
