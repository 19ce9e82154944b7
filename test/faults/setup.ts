/**
 * One chain for all fault scenarios, built once and saved: the suite deployed by its Ignition module
 * (in-process, with the local parameters, under a deployment id of its own whose journal folder is
 * removed afterwards), roles granted and regions and departments bound, a programme funded and
 * allocated, 3,000 households registered and one roster of 3,000 lines submitted, signed off and past
 * its publicity — with one household suspended and one line frozen by an objection, which no run may
 * pay. Each scenario starts its own anvil from the saved state.
 *
 * The publicity period is a few real seconds instead of days skipped with evm_increaseTime: anvil's
 * saved state keeps the blocks but not the time offset, so a node restarted from it stamps new blocks
 * with the wall clock, earlier than the skipped-ahead last block, and the roster would be back in
 * publicity.
 *
 * Setup transactions go out as plain eth_sendTransaction calls from the node's accounts, with a tight
 * receipt poll: quicker than ethers' signer round trips, and nothing here is under test.
 */
import { readFile, rm, stat, writeFile } from "node:fs/promises";
import path from "node:path";

import { id, keccak256, toUtf8Bytes } from "ethers";
import type { NetworkConnection } from "hardhat/types/network";

import SuiteModule from "../../ignition/modules/Suite.js";
import { lineChunks } from "../../src/chain/listing.js";
import { rosterStateName } from "../../src/chain/states.js";
import type { RosterLine } from "../../src/lines.js";
import { buildBundle, bundleToJson, bundleTree, type RosterBundle, submissionOf } from "../../src/outputs/index.js";
import { countyOffices, countyStages } from "../../src/offices.js";
import { Role } from "../../src/roles.js";
import { syntheticIdNumber, syntheticPersonTag } from "../../src/roster/synthetic.js";
import { prepareHouseholds } from "../../src/workflow/households.js";
import { addressesOf, connectSuite, deploymentRecord, type Suite, type SuiteAddresses } from "../../src/suite.js";
import { rpcCall } from "../../src/transport/index.js";
import { HouseholdRegistry__factory } from "../../typechain-types/index.js";
import { Anvil } from "./anvil.js";
import { sleep } from "./proc.js";

export const COUNTY = 110101000000n;
export const TOWNSHIP = 110101001000n;
export const LINES = 3_000;
export const CAP = 150_000n;
export const PUBLICITY_SECONDS = 4;
/** Lines no run may pay: a suspended household, and a line frozen by an objection. */
export const SUSPENDED_LINE = 7;
export const FROZEN_LINE = 9;

/** Account indices on the node (anvil's 20 accounts). */
export const ACCOUNT = {
  deployer: 0,
  governance: 1,
  programmeAdmin: 2,
  county: 3,
  township: 4,
  civilAffairs: 5,
  deptCivil: 6,
  deptRural: 7,
  deptFinance: 8,
  disburser: 9,
  bank: 10,
  objector: 11,
} as const;

export interface World {
  dir: string;
  /** anvil state with the roster payable (for --load-state or a copy for --state). */
  stateFile: string;
  /** The deployment record the tasks read (--deployment). */
  deploymentFile: string;
  bundleFile: string;
  addresses: SuiteAddresses;
  bundle: RosterBundle;
  programmeId: bigint;
  rosterId: bigint;
  /** The lines that must end up paid, and their sum. */
  payable: RosterLine[];
  payableTotal: bigint;
}

/** Sends one transaction from a node account and waits (bounded) for its successful receipt. */
export async function sendFrom(url: string, from: string, to: string, data: string): Promise<void> {
  const hash = await rpcCall<string>(url, "eth_sendTransaction", [{ from, to, data }], 60_000);
  for (let i = 0; i < 1_500; i++) {
    const receipt = await rpcCall<{ status: string } | null>(url, "eth_getTransactionReceipt", [hash]);
    if (receipt) {
      if (receipt.status !== "0x1") throw new Error(`setup transaction ${hash} reverted`);
      return;
    }
    await sleep(20);
  }
  throw new Error(`setup transaction ${hash}: no receipt after 30 s`);
}

/** Folders this setup created outside its scratch folder (the Ignition journal), for a last-resort clean-up. */
export const createdDirs = new Set<string>();

const amountOf = (i: number) => 60_000n + BigInt((i * 7919) % 90) * 1_000n + BigInt(i % 4) * 25n;

export async function buildWorld(options: {
  repo: string;
  dir: string;
  log: (text: string) => void;
  /** A connection to the `faults` network at `url` (hre.network.connect with a url override). */
  connect: (url: string) => Promise<NetworkConnection>;
}): Promise<World> {
  const { repo, dir, log } = options;
  const stateFile = path.join(dir, "setup-state.json");
  const anvil = await Anvil.start({ repo, dumpState: stateFile });
  try {
    const url = anvil.url;
    const connection = await options.connect(url);
    try {
      // -- deploy through the Ignition module, under a deployment id nobody else uses
      const deploymentId = `faults-test-${process.pid}-${Date.now().toString(36)}`;
      const ignitionDir = path.join(repo, "ignition", "deployments", deploymentId);
      const parameters = JSON.parse(
        await readFile(path.join(repo, "ignition", "parameters", "localhost.json"), "utf8"),
      ) as { Suite: Record<string, number> };
      // The scenarios wait out a publicity of a few seconds: below the module's seven-day floor.
      parameters.Suite.minPublicityPeriod = 1;
      const started = Date.now();
      let addresses: SuiteAddresses;
      createdDirs.add(ignitionDir);
      try {
        const deployed = await connection.ignition.deploy(SuiteModule, { parameters, deploymentId });
        addresses = await addressesOf(deployed);
      } finally {
        await rm(ignitionDir, { recursive: true, force: true });
        createdDirs.delete(ignitionDir);
      }
      log(
        `deployed through the Ignition module in ${((Date.now() - started) / 1000).toFixed(1)} s (deployment id ${deploymentId}, its journal removed again)`,
      );
      const deploymentFile = path.join(dir, "deployed_addresses.json");
      await writeFile(deploymentFile, JSON.stringify(deploymentRecord(addresses), null, 2));

      const accounts = await rpcCall<string[]>(url, "eth_accounts");
      const suite = connectSuite(addresses, connection.ethers.provider);
      const send = (
        from: number,
        contract: {
          getAddress(): Promise<string>;
          interface: { encodeFunctionData(name: string, args: readonly unknown[]): string };
        },
        name: string,
        args: readonly unknown[],
      ) =>
        contract
          .getAddress()
          .then((to) => sendFrom(url, accounts[from]!, to, contract.interface.encodeFunctionData(name, args)));

      log("granting roles and binding regions and departments");
      // -- roles and bindings (the local parameters: no delays; governance is account 1)
      const grants: Array<[bigint, number]> = [
        [Role.PROGRAMME_ADMIN, ACCOUNT.programmeAdmin],
        [Role.BUREAU, ACCOUNT.county],
        [Role.BUREAU, ACCOUNT.township],
        [Role.CIVIL_AFFAIRS, ACCOUNT.civilAffairs],
        [Role.REVIEWER, ACCOUNT.deptCivil],
        [Role.REVIEWER, ACCOUNT.deptRural],
        [Role.REVIEWER, ACCOUNT.deptFinance],
        [Role.DISBURSER, ACCOUNT.disburser],
        [Role.BANK, ACCOUNT.bank],
      ];
      for (const [role, who] of grants)
        await send(ACCOUNT.governance, suite.manager, "grantRole", [role, accounts[who], 0]);
      const offices = countyOffices(COUNTY, {
        bureau: ACCOUNT.county,
        townships: [[ACCOUNT.township, TOWNSHIP]],
        civilAffairs: ACCOUNT.civilAffairs,
        reviewers: [ACCOUNT.deptCivil, ACCOUNT.deptRural, ACCOUNT.deptFinance],
        treasury: ACCOUNT.disburser,
        bank: ACCOUNT.bank,
      });
      for (const { account, office } of offices)
        await send(ACCOUNT.governance, suite.directory, "bindOffice", [accounts[account], office]);

      // -- programme, budget
      const ceiling = 400_000_000n;
      const terms = {
        budgetCeiling: ceiling,
        householdCap: CAP,
        publicityPeriod: PUBLICITY_SECONDS,
        payoutPeriod: 30 * 24 * 60 * 60,
        reviewStages: countyStages(0, 1, 2),
        policyDocHash: id("fault tests: policy"),
        policyURI: "https://policy.example/faults.pdf",
      };
      await send(ACCOUNT.programmeAdmin, suite.programmes, "createProgramme", [
        id("FAULTS-2026-11"),
        202611,
        COUNTY,
        terms,
      ]);
      const programmeId = 1n;
      await send(ACCOUNT.programmeAdmin, suite.ledger, "fundProgramme", [programmeId, ceiling]);
      await send(ACCOUNT.county, suite.ledger, "allocate", [programmeId, COUNTY, TOWNSHIP, 350_000_000n]);

      log("registering 3,000 households");
      // -- households: synthetic commitments, dense ids 1…3000 on a fresh registry
      const commitments = Array.from({ length: LINES }, (_, i) =>
        keccak256(toUtf8Bytes(`faults-synthetic-household-${i}`)),
      );
      for (let i = 0; i < LINES; i += 150) {
        const batch = commitments.slice(i, i + 150);
        await send(ACCOUNT.civilAffairs, suite.households, "registerHouseholds", [
          TOWNSHIP,
          batch,
          batch.map(syntheticPersonTag),
          id(`attestation ${i}`),
        ]);
      }
      if ((await suite.households.householdCount()) !== BigInt(LINES))
        throw new Error("household count after registration is not 3000");
      if ((await suite.households.householdIdOf(commitments[LINES - 1]!)) !== BigInt(LINES))
        throw new Error("household ids are not dense from 1");

      log("submitting and signing off a roster of 3,000 lines");
      const bundle = buildBundle({
        programmeId,
        region: TOWNSHIP,
        documentHash: id("fault tests: published list"),
        documentURI: "https://notice.example/faults.csv",
        lines: commitments.map((commitment, i) => ({
          index: i,
          household: BigInt(i + 1),
          commitment,
          amount: amountOf(i),
        })),
      });
      const bundleFile = path.join(dir, "roster-bundle.json");
      await writeFile(bundleFile, bundleToJson(bundle));
      const submission = submissionOf(bundle);
      await send(ACCOUNT.township, suite.rosterBook, "submitRoster", [submission]);
      const rosterId = 1n;
      for (const chunk of lineChunks(bundleTree(bundle)))
        await send(ACCOUNT.township, suite.rosterLines, "submitLines", [
          rosterId,
          chunk.first,
          chunk.lines,
          chunk.frontier,
        ]);
      for (const dept of [ACCOUNT.deptCivil, ACCOUNT.deptRural, ACCOUNT.deptFinance])
        await send(dept, suite.rosterBook, "approveRoster", [rosterId]);
      // During publicity: an objection freezes one line; a household dies.
      await send(ACCOUNT.objector, suite.rosterBook, "objectToLine", [rosterId, FROZEN_LINE, id("evidence")]);
      await send(ACCOUNT.civilAffairs, suite.households, "suspendHousehold", [
        bundle.lines[SUSPENDED_LINE]!.household,
        0,
        id("death certificate"),
      ]);
      const onChain = await suite.rosterBook.roster(rosterId);
      const endsAt = Number(onChain.approvedAt) + Number(onChain.publicityPeriod);
      for (let i = 0; i < 60 && Math.floor(Date.now() / 1000) <= endsAt; i++) await sleep(250);
      await rpcCall(url, "evm_mine");
      const state = rosterStateName(await suite.rosterBook.rosterState(rosterId));
      if (state !== "Payable") throw new Error(`the roster is ${state} after its publicity, not Payable`);

      const payable = bundle.lines
        .filter((l) => l.index !== SUSPENDED_LINE && l.index !== FROZEN_LINE)
        .map(({ index, household, amount }) => ({ index, household, amount }));
      return {
        dir,
        stateFile,
        deploymentFile,
        bundleFile,
        addresses,
        bundle,
        programmeId,
        rosterId,
        payable,
        payableTotal: payable.reduce((sum, l) => sum + l.amount, 0n),
      };
    } finally {
      await connection.close();
    }
  } finally {
    await anvil.stop();
  }
}

/** buildWorld, and a check that anvil saved the state on its way out. */
export async function buildSavedWorld(options: Parameters<typeof buildWorld>[0]): Promise<World> {
  const world = await buildWorld(options);
  const saved = await stat(world.stateFile).catch(() => undefined);
  if (!saved || saved.size === 0) throw new Error(`anvil did not write its state to ${world.stateFile}`);
  options.log(`saved the chain's state (${(saved.size / 1e6).toFixed(1)} MB)`);
  return world;
}

/** The bureau secret the fault tests' own roster files are derived with (test data only). */
export const FAULTS_BUREAU_SECRET = keccak256(toUtf8Bytes("fault tests: bureau secret")).slice(2);

export interface RosterFile {
  file: string;
  lineCount: number;
  total: bigint;
}

/**
 * A roster file of `count` new people of the township (synthetic ID numbers from `firstId`), whose
 * households are registered on the node at `url` under FAULTS_BUREAU_SECRET, as `households
 * register` would: ready for `roster submit`.
 */
export async function writeRegisteredRoster(
  url: string,
  world: World,
  file: string,
  count: number,
  firstId: number,
): Promise<RosterFile> {
  const entries = Array.from({ length: count }, (_, i) => ({
    line: i + 2,
    idNumber: syntheticIdNumber(firstId + i),
    name: `样例${String.fromCodePoint(0x4e00 + (i % 2000))}`,
    village: TOWNSHIP + BigInt(1 + (i % 12)),
    amount: 10_000n + BigInt(i % 7) * 50n,
  }));
  const yuan = (fen: bigint) => `${fen / 100n}.${String(fen % 100n).padStart(2, "0")}`;
  const rows = entries.map((e) => `${e.idNumber},${e.name},${e.village},${yuan(e.amount)}`);
  await writeFile(file, `\uFEFF${["身份证号,姓名,村代码,金额(元)", ...rows].join("\r\n")}\r\n`);
  const commitments = prepareHouseholds(entries, FAULTS_BUREAU_SECRET).map((h) => h.commitment);
  const accounts = await rpcCall<string[]>(url, "eth_accounts");
  const registry = HouseholdRegistry__factory.createInterface();
  for (let i = 0; i < count; i += 150) {
    const batch = commitments.slice(i, i + 150);
    const data = registry.encodeFunctionData("registerHouseholds", [
      TOWNSHIP,
      batch,
      batch.map(syntheticPersonTag),
      id(`attestation ${firstId + i}`),
    ]);
    await sendFrom(url, accounts[ACCOUNT.civilAffairs]!, world.addresses.households, data);
  }
  return { file, lineCount: count, total: entries.reduce((sum, e) => sum + e.amount, 0n) };
}

export type { Suite };
