/**
 * The suite's contracts as typed handles: deployed through the Ignition module (the same wiring as
 * production), or connected from a deployment record. Used by the tasks, the demo and the tests.
 */
import { readFile } from "node:fs/promises";
import path from "node:path";

import type { ContractRunner } from "ethers";
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
  RosterLines__factory,
  SuiteAccessManager__factory,
} from "../typechain-types/index.js";

/** Ignition parameters of the Suite module (see ignition/modules/Suite.ts). */
export type SuiteParameters = Partial<
  Record<
    | "governance"
    | "guardian"
    | "adminDelay"
    | "grantDelay"
    | "governorDelay"
    | "minPublicityPeriod"
    | "minReviewStages"
    | "predecessorHouseholds",
    string | number
  >
>;

export interface SuiteAddresses {
  manager: string;
  directory: string;
  programmes: string;
  households: string;
  ledger: string;
  rosterBook: string;
  rosterLines: string;
  disbursement: string;
  lens: string;
}

/** The suite's contracts that keep state and emit events (all but the read-only lens): name and ABI, by address key. */
export const STATEFUL_CONTRACTS = {
  manager: { name: "SuiteAccessManager", abi: SuiteAccessManager__factory.abi },
  directory: { name: "Directory", abi: Directory__factory.abi },
  programmes: { name: "ProgrammeRegistry", abi: ProgrammeRegistry__factory.abi },
  households: { name: "HouseholdRegistry", abi: HouseholdRegistry__factory.abi },
  ledger: { name: "BudgetLedger", abi: BudgetLedger__factory.abi },
  rosterBook: { name: "RosterBook", abi: RosterBook__factory.abi },
  rosterLines: { name: "RosterLines", abi: RosterLines__factory.abi },
  disbursement: { name: "Disbursement", abi: Disbursement__factory.abi },
} as const;

/** Future ids of the Ignition module, as written to `deployed_addresses.json`. */
const IGNITION_IDS: Record<keyof SuiteAddresses, string> = {
  manager: "Suite#SuiteAccessManager",
  directory: "Suite#Directory",
  programmes: "Suite#ProgrammeRegistry",
  households: "Suite#HouseholdRegistry",
  ledger: "Suite#BudgetLedger",
  rosterBook: "Suite#RosterBook",
  rosterLines: "Suite#RosterLines",
  disbursement: "Suite#Disbursement",
  lens: "Suite#DisbursementLens",
};

export function connectSuite(addresses: SuiteAddresses, runner: ContractRunner) {
  return {
    addresses,
    manager: SuiteAccessManager__factory.connect(addresses.manager, runner),
    directory: Directory__factory.connect(addresses.directory, runner),
    programmes: ProgrammeRegistry__factory.connect(addresses.programmes, runner),
    households: HouseholdRegistry__factory.connect(addresses.households, runner),
    ledger: BudgetLedger__factory.connect(addresses.ledger, runner),
    rosterBook: RosterBook__factory.connect(addresses.rosterBook, runner),
    rosterLines: RosterLines__factory.connect(addresses.rosterLines, runner),
    disbursement: Disbursement__factory.connect(addresses.disbursement, runner),
    lens: DisbursementLens__factory.connect(addresses.lens, runner),
  };
}

export type Suite = ReturnType<typeof connectSuite>;

export async function deploySuite(connection: NetworkConnection, parameters: SuiteParameters = {}): Promise<Suite> {
  const deployed = await connection.ignition.deploy(SuiteModule, { parameters: { Suite: parameters } });
  return connectSuite(await addressesOf(deployed), connection.ethers.provider);
}

/** The addresses of a Suite module deployment's contracts (what `ignition.deploy` returned). */
export async function addressesOf(
  deployed: Record<keyof SuiteAddresses, { getAddress(): Promise<string> }>,
): Promise<SuiteAddresses> {
  const entries = await Promise.all(
    (Object.keys(IGNITION_IDS) as Array<keyof SuiteAddresses>).map(
      async (key) => [key, await deployed[key].getAddress()] as const,
    ),
  );
  return Object.fromEntries(entries) as unknown as SuiteAddresses;
}

/** Where Ignition records a deployment on chain `chainId`. */
export function defaultDeploymentFile(chainId: bigint): string {
  return path.join("ignition", "deployments", `chain-${chainId}`, "deployed_addresses.json");
}

/** Reads the suite's addresses from an Ignition `deployed_addresses.json` (or a file of the same keys). */
export async function readDeployment(file: string): Promise<SuiteAddresses> {
  let text: string;
  try {
    text = await readFile(file, "utf8");
  } catch {
    throw new Error(
      `no deployment record at ${file}. Deploy first (npx hardhat ignition deploy ignition/modules/Suite.ts --network <name>) or pass --deployment <file>.`,
    );
  }
  const record = JSON.parse(text) as Record<string, unknown>;
  const addresses = {} as SuiteAddresses;
  for (const [key, ignitionId] of Object.entries(IGNITION_IDS) as Array<[keyof SuiteAddresses, string]>) {
    const value = record[ignitionId];
    if (typeof value !== "string" || !/^0x[0-9a-fA-F]{40}$/.test(value)) {
      throw new Error(`${file} has no address for ${ignitionId}: is it the record of a Suite deployment?`);
    }
    addresses[key] = value;
  }
  return addresses;
}

/**
 * Checks that the suite's contracts exist on the chain `provider` reads (one eth_getCode each, in
 * one round): a deployment record of another chain with the same id, or a chain reset since, would
 * otherwise answer every read with nothing (ethers' BAD_DATA) or, for an audit, with empty totals
 * that balance.
 */
export async function assertSuiteOnChain(
  provider: { getCode(address: string): Promise<string> },
  addresses: Partial<SuiteAddresses>,
  where: { chainId: bigint; file: string },
): Promise<void> {
  const entries = (Object.entries(addresses) as Array<[keyof SuiteAddresses, string | undefined]>).filter(
    (e): e is [keyof SuiteAddresses, string] => typeof e[1] === "string",
  );
  const codes = await Promise.all(entries.map(([, address]) => provider.getCode(address)));
  const missing = entries.filter((_, i) => codes[i] === "0x");
  if (missing.length === 0) return;
  const [key, address] = missing[0]!;
  throw new Error(
    `no suite at ${address} (${IGNITION_IDS[key].replace("Suite#", "")}${missing.length > 1 ? ` and ${missing.length - 1} more of its contracts` : ""}) on chain ${where.chainId}, as ${where.file} records it: deploy first (npm run deploy:localhost on the local chain) or pass --deployment with this chain's record`,
  );
}

/** The inverse of readDeployment: the record in Ignition's format. */
export function deploymentRecord(addresses: SuiteAddresses): Record<string, string> {
  return Object.fromEntries(
    (Object.entries(IGNITION_IDS) as Array<[keyof SuiteAddresses, string]>).map(([key, ignitionId]) => [
      ignitionId,
      addresses[key],
    ]),
  );
}
