/** Parsing task arguments into the values the contracts take, with errors that say the fix. */
import { encodeBytes32String, isAddress } from "ethers";

import { Role, type RoleName } from "../roles.js";
import { parseYuan } from "../roster/index.js";

export function bigintArg(name: string, value: string): bigint {
  const text = value.trim();
  if (!/^\d+$/.test(text)) throw new Error(`--${name} must be a whole number, got "${value}"`);
  return BigInt(text);
}

/** A roster, reversal, … id: a whole number from 1. */
export function idArg(name: string, value: string): bigint {
  if (value.trim() === "") throw new Error(`give --${name} <id>`);
  const id = bigintArg(name, value);
  if (id === 0n) throw new Error(`--${name}: ids start at 1`);
  return id;
}

/** A roster line index (0-based, as on chain and in the roster bundle). */
/**
 * A line as people name it: its 序号 in the published list (from 1), returned as the line's index
 * on chain (序号 − 1).
 */
export function lineArg(value: string): number {
  if (value.trim() === "") throw new Error("give --line <序号>: the line's number in the published list (from 1)");
  const seq = bigintArg("line", value);
  if (seq < 1n || seq > 2n ** 32n)
    throw new Error(`--line ${value} is not a 序号 of a published list (1 … 4294967296): lines are numbered from 1`);
  return Number(seq) - 1;
}

/** An amount written in yuan ("1,234.50") as integer fen. */
export function yuanArg(name: string, value: string): bigint {
  const parsed = parseYuan(value);
  if ("problem" in parsed) throw new Error(`--${name} "${value}": ${parsed.problem}. Fix: ${parsed.fix}`);
  return parsed.fen;
}

export function addressArg(name: string, value: string): string {
  if (!isAddress(value))
    throw new Error(`--${name} must be an account address (0x followed by 40 hex digits), got "${value}"`);
  return value;
}

/** A 12-digit administrative division code. */
export function regionArg(name: string, value: string): bigint {
  const text = value.trim();
  if (!/^[1-9]\d{11}$/.test(text))
    throw new Error(`--${name} must be a 12-digit division code such as 110101001000, got "${value}"`);
  return BigInt(text);
}

/** An earmark code (e.g. a budget classification code) as the bytes32 the contracts store, readable in explorers. */
export function earmarkArg(value: string): string {
  const text = value.trim();
  if (text.length === 0 || new TextEncoder().encode(text).length > 31) {
    throw new Error(`--earmark must be 1 to 31 bytes of text (e.g. 2080204 or MLA-2026), got "${value}"`);
  }
  return encodeBytes32String(text);
}

/** A 32-byte hash given as hex. */
export function hashArg(name: string, value: string): string {
  if (!/^0x[0-9a-fA-F]{64}$/.test(value.trim()))
    throw new Error(`--${name} must be a 32-byte hex hash (0x + 64 hex digits)`);
  return value.trim();
}

/** A role by name, any case (PUBLIC is everyone's and cannot be granted or revoked). */
export function roleArg(value: string): RoleName {
  const name = value.toUpperCase() as RoleName;
  if (!(name in Role) || name === "PUBLIC")
    throw new Error(
      `--role must be one of ${Object.keys(Role)
        .filter((r) => r !== "PUBLIC")
        .join(", ")}`,
    );
  return name;
}
