/**
 * A Sourcify-style repository of a deployment's contracts, for explorers that decode events from
 * contract metadata (Otterscan; Blockscout and a Sourcify server can be fed from it too): the
 * `full_match` layout of Sourcify's file repository ("RepositoryV1"),
 *
 *   contracts/full_match/<chainId>/<checksummed address>/metadata.json
 *   contracts/full_match/<chainId>/<checksummed address>/sources/<source name as in the metadata>
 *
 * served as static files. metadata.json is solc's own metadata string, byte for byte, as the build
 * kept it (hardhat.config.ts asks solc for `metadata`): its IPFS hash is the one at the end of the
 * deployed bytecode. Nothing is written unless every contract matches: the code at each address
 * must be the build's runtime bytecode (immutables aside) and must embed that metadata's hash; so
 * a repository written here is a full match, not a label on an address. See
 * docs/residents-and-explorers.md.
 */
import { mkdir, rm, writeFile } from "node:fs/promises";
import path from "node:path";

import { getAddress, getBytes, hexlify, keccak256, toUtf8Bytes } from "ethers";

import { STATEFUL_CONTRACTS, type SuiteAddresses } from "../suite.js";
import { embeddedMetadata, ipfsHash } from "./metadata-hash.js";

/** The suite's contracts by address key, as compiled: the stateful ones and the read-only lens. */
export const SUITE_CONTRACT_NAMES: Record<keyof SuiteAddresses, string> = {
  ...(Object.fromEntries(Object.entries(STATEFUL_CONTRACTS).map(([key, c]) => [key, c.name])) as Record<
    keyof typeof STATEFUL_CONTRACTS,
    string
  >),
  lens: "DisbursementLens",
};

/** What the build knows of one contract: solc's metadata, the sources it names, the runtime bytecode. */
export interface CompiledContract {
  name: string;
  /** The source name solc compiled it under (e.g. `project/contracts/Disbursement.sol`). */
  sourceName: string;
  /** solc's metadata JSON, exactly as solc wrote it. */
  metadata: string;
  /** Every source the metadata names, by source name. */
  sources: Map<string, string>;
  deployedBytecode: string;
  immutableReferences: Record<string, Array<{ start: number; length: number }>>;
}

/** The part of Hardhat's artifact manager read here (hre.artifacts). */
export interface BuildArtifacts {
  readArtifact(name: string): Promise<{
    contractName: string;
    deployedBytecode: string;
    immutableReferences?: Record<string, Array<{ start: number; length: number }>>;
    buildInfoId?: string;
    inputSourceName?: string;
  }>;
  getBuildInfoPath(buildInfoId: string): Promise<string | undefined>;
  getBuildInfoOutputPath(buildInfoId: string): Promise<string | undefined>;
}

interface BuildInfoInput {
  input: { sources: Record<string, { content: string }> };
}
interface BuildInfoOutput {
  output: { contracts?: Record<string, Record<string, { metadata?: string }>> };
}

/** Reads a contract's metadata and sources from Hardhat's build info (artifacts/build-info). */
export async function readCompiledContract(
  artifacts: BuildArtifacts,
  name: string,
  readJson: (file: string) => Promise<unknown>,
): Promise<CompiledContract> {
  const artifact = await artifacts.readArtifact(name);
  const { buildInfoId, inputSourceName } = artifact;
  if (buildInfoId === undefined || inputSourceName === undefined)
    throw new Error(`${name}: its artifact names no build info; rebuild (npx hardhat build)`);
  const inputFile = await artifacts.getBuildInfoPath(buildInfoId);
  const outputFile = await artifacts.getBuildInfoOutputPath(buildInfoId);
  if (inputFile === undefined || outputFile === undefined)
    throw new Error(`${name}: build info ${buildInfoId} is missing; rebuild (npx hardhat build)`);
  const input = (await readJson(inputFile)) as BuildInfoInput;
  const output = (await readJson(outputFile)) as BuildInfoOutput;
  const metadata = output.output.contracts?.[inputSourceName]?.[artifact.contractName]?.metadata;
  if (typeof metadata !== "string" || metadata === "")
    throw new Error(
      `${name}: the build kept no metadata; hardhat.config.ts must ask solc for it (outputSelection "metadata"), then rebuild`,
    );
  const parsed = JSON.parse(metadata) as { sources: Record<string, { keccak256: string }> };
  const sources = new Map<string, string>();
  for (const [sourceName, { keccak256: expected }] of Object.entries(parsed.sources)) {
    const content = input.input.sources[sourceName]?.content;
    if (content === undefined) throw new Error(`${name}: source ${sourceName} is not in build info ${buildInfoId}`);
    if (keccak256(toUtf8Bytes(content)) !== expected)
      throw new Error(`${name}: source ${sourceName} in build info ${buildInfoId} is not the one its metadata hashed`);
    sources.set(sourceName, content);
  }
  return {
    name,
    sourceName: inputSourceName,
    metadata,
    sources,
    deployedBytecode: artifact.deployedBytecode,
    immutableReferences: artifact.immutableReferences ?? {},
  };
}

/**
 * Why the code at an address is not `compiled` (undefined when it is): the runtime bytecode must
 * equal the build's, immutables aside, and its CBOR must hold the IPFS hash of the metadata.
 */
export function mismatch(compiled: CompiledContract, code: string): string | undefined {
  if (code === "0x") return "no code at the address";
  const onChain = getBytes(code);
  const built = getBytes(compiled.deployedBytecode);
  if (onChain.length !== built.length)
    return `its code is ${onChain.length} bytes, the build's ${compiled.name} is ${built.length}`;
  const blanked = Uint8Array.from(onChain);
  for (const refs of Object.values(compiled.immutableReferences))
    for (const { start, length } of refs) blanked.fill(0, start, start + length);
  if (hexlify(blanked) !== hexlify(built)) return `its code is not the build's ${compiled.name}`;
  const embedded = embeddedMetadata(code);
  const hash = ipfsHash(compiled.metadata);
  if (embedded.ipfs !== hash)
    return `its code embeds metadata ${embedded.ipfs ?? embedded.bzzr1}, the build's metadata hashes to ${hash}`;
  return undefined;
}

/**
 * Where a source is written under `sources/`: its source name, with `:` as `_` (what Otterscan
 * asks a RepositoryV1 for). A name that could leave the directory is refused.
 */
export function sourceFilePath(sourceName: string): string {
  const segments = sourceName.replaceAll(":", "_").split("/");
  if (
    sourceName.includes("\\") ||
    sourceName.includes("\0") ||
    segments.some((s) => s === "" || s === "." || s === "..")
  )
    throw new Error(`source name "${sourceName}" cannot be a path inside the repository`);
  return segments.join("/");
}

export interface RepositoryEntry {
  key: keyof SuiteAddresses;
  name: string;
  address: string;
  /** The metadata's IPFS hash, as embedded in the contract's bytecode. */
  metadataHash: string;
  /** Relative to the repository's root. */
  directory: string;
  sources: number;
}

export interface WriteRepositoryOptions {
  outDir: string;
  chainId: bigint;
  addresses: Partial<SuiteAddresses>;
  artifacts: BuildArtifacts;
  readJson: (file: string) => Promise<unknown>;
  provider: { getCode(address: string): Promise<string> };
}

/**
 * Writes the repository for a suite deployment: every contract is read from the build and checked
 * against the chain first; nothing is written if any does not match. An address's directory is
 * replaced whole, so that no source of an earlier build lingers there.
 */
export async function writeSourcifyRepository(options: WriteRepositoryOptions): Promise<RepositoryEntry[]> {
  const { outDir, chainId, addresses } = options;
  const keys = (Object.keys(SUITE_CONTRACT_NAMES) as Array<keyof SuiteAddresses>).filter(
    (key) => addresses[key] !== undefined,
  );
  if (keys.length === 0) throw new Error("no contract addresses to write a repository for");
  const planned = await Promise.all(
    keys.map(async (key) => {
      const address = getAddress(addresses[key]!);
      const compiled = await readCompiledContract(options.artifacts, SUITE_CONTRACT_NAMES[key], options.readJson);
      const problem = mismatch(compiled, await options.provider.getCode(address));
      if (problem)
        throw new Error(
          `${compiled.name} at ${address} on chain ${chainId}: ${problem}. Write the repository from the commit and build that deployed it.`,
        );
      return { key, address, compiled };
    }),
  );
  const entries: RepositoryEntry[] = [];
  for (const { key, address, compiled } of planned) {
    const directory = path.posix.join("contracts", "full_match", chainId.toString(), address);
    const root = path.join(outDir, ...directory.split("/"));
    await rm(root, { recursive: true, force: true });
    await mkdir(root, { recursive: true });
    await writeFile(path.join(root, "metadata.json"), compiled.metadata);
    for (const [sourceName, content] of compiled.sources) {
      const file = path.join(root, "sources", ...sourceFilePath(sourceName).split("/"));
      await mkdir(path.dirname(file), { recursive: true });
      await writeFile(file, content);
    }
    entries.push({
      key,
      name: compiled.name,
      address,
      metadataHash: ipfsHash(compiled.metadata),
      directory,
      sources: compiled.sources.size,
    });
  }
  return entries;
}
