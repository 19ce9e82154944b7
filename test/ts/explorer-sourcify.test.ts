/**
 * `explorer sourcify`: the suite deployed by its Ignition module, its Sourcify repository written by
 * the task, and every contract checked the way an explorer's full match is defined: the IPFS hash
 * of the served metadata.json is the hash solc embedded in the code at the address (eth_getCode),
 * and every source the metadata lists is served with the keccak256 the metadata states. The same
 * check must fail on a relabelled or re-serialised metadata file and on an altered source; and the
 * task must refuse to write for an address whose code is not the build's contract.
 */
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";

import { expect } from "chai";
import { getAddress, keccak256 } from "ethers";

import { embeddedMetadata, ipfsHash } from "../../src/explorer/metadata-hash.js";
import { SUITE_CONTRACT_NAMES } from "../../src/explorer/sourcify.js";
import { deploymentRecord, type SuiteAddresses } from "../../src/suite.js";
import { deploymentFile, jsonOf, runCli, tempDir } from "./helpers/cli.js";
import { deploySuite, ethers, type Suite } from "./helpers/fixture.js";

interface Metadata {
  compiler: { version: string };
  settings: { compilationTarget: Record<string, string> };
  sources: Record<string, { keccak256: string; urls?: string[] }>;
  output: { abi: Array<{ type: string; name?: string }> };
}

const keys = Object.keys(SUITE_CONTRACT_NAMES) as Array<keyof SuiteAddresses>;

function contractDir(root: string, chainId: bigint, address: string): string {
  return path.join(root, "contracts", "full_match", chainId.toString(), getAddress(address));
}

/**
 * What an explorer would find wrong with the repository at `root` for these addresses: an empty
 * list is a full match of every contract. Independent of the writer: reads only the files and the chain.
 */
async function problems(root: string, chainId: bigint, addresses: SuiteAddresses): Promise<string[]> {
  const found: string[] = [];
  for (const key of keys) {
    const dir = contractDir(root, chainId, addresses[key]);
    const bytes = await readFile(path.join(dir, "metadata.json"));
    const embedded = embeddedMetadata(await ethers.provider.getCode(addresses[key])).ipfs;
    if (ipfsHash(bytes) !== embedded)
      found.push(`${key}: metadata.json hashes to ${ipfsHash(bytes)}, code has ${embedded}`);
    const metadata = JSON.parse(bytes.toString("utf8")) as Metadata;
    for (const [sourceName, { keccak256: expected }] of Object.entries(metadata.sources)) {
      const file = path.join(dir, "sources", ...sourceName.replaceAll(":", "_").split("/"));
      const content = await readFile(file).catch(() => undefined);
      if (content === undefined) found.push(`${key}: ${sourceName} missing`);
      else if (keccak256(content) !== expected) found.push(`${key}: ${sourceName} is not the compiled source`);
    }
  }
  return found;
}

describe("explorer sourcify", function () {
  this.timeout(120_000);
  let suite: Suite;
  let chainId: bigint;
  let root: string;
  let written: Array<{ key: string; name: string; address: string; metadataHash: string; sources: number }>;

  before(async () => {
    suite = await deploySuite();
    chainId = (await ethers.provider.getNetwork()).chainId;
    root = await tempDir();
    const run = await runCli(["explorer", "sourcify"], {
      deployment: await deploymentFile(suite),
      out: root,
      json: true,
    });
    written = jsonOf<{ contracts: typeof written }>(run).contracts;
  });

  it("sourcify_writesFullMatch_forEveryContract", async () => {
    expect(written.map((e) => e.key)).to.have.members(keys);
    expect(await problems(root, chainId, suite.addresses)).to.deep.equal([]);
    for (const key of keys) {
      const dir = contractDir(root, chainId, suite.addresses[key]);
      const metadata = JSON.parse(await readFile(path.join(dir, "metadata.json"), "utf8")) as Metadata;
      // The metadata is this contract's, compiled by this project's compiler, and carries its events.
      expect(Object.values(metadata.settings.compilationTarget)).to.deep.equal([SUITE_CONTRACT_NAMES[key]]);
      expect(metadata.compiler.version).to.match(/^0\.8\.30\+commit\./);
      const events = new Set(metadata.output.abi.filter((f) => f.type === "event").map((f) => f.name));
      const contract = suite[key] as { interface: { forEachEvent(f: (e: { name: string }) => void): void } };
      contract.interface.forEachEvent((e) => expect(events, `${key} ${e.name}`).to.include(e.name));
      // Nothing but the sources the metadata lists is served.
      const served = await readdir(path.join(dir, "sources"), { recursive: true, withFileTypes: true });
      expect(served.filter((d) => d.isFile()).length).to.equal(Object.keys(metadata.sources).length);
      expect(written.find((e) => e.key === key)?.metadataHash).to.equal(
        embeddedMetadata(await ethers.provider.getCode(suite.addresses[key])).ipfs,
      );
    }
  });

  it("ipfsHash_equalsSolcs_onEverySource", async () => {
    // solc put each source's IPFS hash in the metadata ("dweb:/ipfs/Qm…"): a second vector per file.
    const dir = contractDir(root, chainId, suite.addresses.disbursement);
    const metadata = JSON.parse(await readFile(path.join(dir, "metadata.json"), "utf8")) as Metadata;
    let checked = 0;
    for (const [sourceName, { urls }] of Object.entries(metadata.sources)) {
      const url = urls?.find((u) => u.startsWith("dweb:/ipfs/"));
      if (url === undefined) continue;
      const content = await readFile(path.join(dir, "sources", ...sourceName.split("/")));
      expect(`dweb:/ipfs/${ipfsHash(content)}`, sourceName).to.equal(url);
      checked++;
    }
    expect(checked).to.equal(Object.keys(metadata.sources).length);
  });

  it("check_fails_whenMetadataIsALabelOrResaved", async () => {
    const dir = contractDir(root, chainId, suite.addresses.disbursement);
    const file = path.join(dir, "metadata.json");
    const original = await readFile(file, "utf8");
    try {
      // Another contract's metadata put at this address: a label, not a match.
      const other = contractDir(root, chainId, suite.addresses.rosterBook);
      await writeFile(file, await readFile(path.join(other, "metadata.json")));
      expect(await problems(root, chainId, suite.addresses)).to.have.length.greaterThan(0);
      // The same JSON, pretty-printed: equal as data, but not the file whose hash is on chain.
      await writeFile(file, JSON.stringify(JSON.parse(original), null, 2));
      const found = await problems(root, chainId, suite.addresses);
      expect(found).to.have.length(1);
      expect(found[0]).to.match(/^disbursement: metadata\.json hashes to/);
    } finally {
      await writeFile(file, original);
    }
    expect(await problems(root, chainId, suite.addresses)).to.deep.equal([]);
  });

  it("check_fails_whenASourceIsAltered", async () => {
    const dir = contractDir(root, chainId, suite.addresses.ledger);
    const file = path.join(dir, "sources", "project", "contracts", "BudgetLedger.sol");
    const original = await readFile(file, "utf8");
    try {
      await writeFile(file, original.replace("function", "function "));
      expect(await problems(root, chainId, suite.addresses)).to.deep.equal([
        "ledger: project/contracts/BudgetLedger.sol is not the compiled source",
      ]);
    } finally {
      await writeFile(file, original);
    }
  });

  it("sourcify_refusesToWrite_whenCodeIsNotTheBuilds", async () => {
    // A record that swaps two addresses: the code at each is another contract's.
    const swapped = { ...suite.addresses, households: suite.addresses.ledger, ledger: suite.addresses.households };
    const dir = await tempDir();
    const record = path.join(dir, "deployed_addresses.json");
    await writeFile(record, JSON.stringify(deploymentRecord(swapped)));
    const out = path.join(dir, "repo");
    const run = await runCli(["explorer", "sourcify"], { deployment: record, out, json: false });
    expect(run.exitCode).to.equal(1);
    expect(run.stderr).to.match(/(HouseholdRegistry|BudgetLedger) at 0x[0-9a-fA-F]{40} on chain \d+: its code is/);
    expect(await readdir(dir)).to.deep.equal(["deployed_addresses.json"]);
  });
});
