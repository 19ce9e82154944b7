/**
 * Turns a failed call into a sentence a clerk can act on: the contract's custom error by name and
 * arguments (decoded against every interface of the suite) with its meaning and fix, or the node's
 * message.
 */
import { Interface, isError } from "ethers";

import { seqText } from "../lines.js";
import { formatFen } from "../money.js";
import { describeOffice, type OfficeLike } from "../offices.js";
import { ERROR_MESSAGES, type RefusalContext, Say } from "./error-messages.js";
import { type EnumName, ENUM_NAMES, enumLabel } from "./states.js";
import { STATEFUL_CONTRACTS } from "../suite.js";
import { LineTreeBuilder__factory } from "../../typechain-types/index.js";

/** Error arguments that are a line's index on chain. */
const LINE_ARGS = new Set(["lineIndex", "index", "firstIndex"]);
/** Error arguments that are amounts of money (fen on chain, said in yuan), by name or as Error.argument. */
const MONEY_ARGS = new Set([
  "amount",
  "available",
  "cap",
  "ceiling",
  "declaredTotal",
  "funded",
  "held",
  "remaining",
  "total",
  "RosterLinesOverTotal.listed", // elsewhere `listed` counts lines
]);

// The library's guard error is in no contract's ABI, but RosterLines can still revert with it.
const abis = [...Object.values(STATEFUL_CONTRACTS).map((c) => c.abi), LineTreeBuilder__factory.abi];
const interfaces = abis.map((abi) => new Interface(abi));

/** For each custom error, which arguments are enums (from the ABI's internalType "enum I….Name"). */
const enumArgs = new Map<string, Array<EnumName | undefined>>();
for (const abi of abis) {
  for (const item of abi as ReadonlyArray<{
    type: string;
    name?: string;
    inputs?: ReadonlyArray<{ internalType?: string }>;
  }>) {
    if (item.type !== "error" || !item.name || !item.inputs) continue;
    enumArgs.set(
      item.name,
      item.inputs.map((input) => {
        const match = /^enum [\w.]*?(\w+)$/.exec(input.internalType ?? "");
        return match && match[1]! in ENUM_NAMES ? (match[1] as EnumName) : undefined;
      }),
    );
  }
}

/** Finds revert data anywhere in an ethers / Hardhat error. */
function revertData(error: unknown): string | undefined {
  const seen = new Set<unknown>();
  const visit = (value: unknown): string | undefined => {
    if (value === null || typeof value !== "object" || seen.has(value)) return undefined;
    seen.add(value);
    const record = value as Record<string, unknown>;
    if (typeof record.data === "string" && /^0x[0-9a-fA-F]{8}/.test(record.data)) return record.data;
    for (const key of ["error", "info", "cause", "data"]) {
      const found = visit(record[key]);
      if (found) return found;
    }
    return undefined;
  };
  return visit(error);
}

export interface DecodedRevert {
  name: string;
  args: Record<string, string>;
}

/** The suite's custom error in `error`, if any. */
export function decodeRevert(error: unknown): DecodedRevert | undefined {
  const data = revertData(error);
  if (!data) return undefined;
  for (const iface of interfaces) {
    try {
      const parsed = iface.parseError(data);
      if (!parsed) continue;
      const args: Record<string, string> = {};
      const enums = enumArgs.get(parsed.name);
      parsed.fragment.inputs.forEach((input, i) => {
        const kind = enums?.[i];
        args[input.name || `arg${i}`] = kind ? enumLabel(kind, parsed.args[i] as bigint) : String(parsed.args[i]);
      });
      return { name: parsed.name, args };
    } catch {
      // not this interface's error
    }
  }
  return undefined;
}

/**
 * What each account named in `decoded` holds, as describeOffice says it, read from the Directory
 * (so that a refusal says "account 0x… (the treasury of 110101000000 (county))"). Best effort: an
 * account that cannot be read is left out.
 */
export async function officesNamedIn(
  decoded: DecodedRevert,
  directory: { officeOf(account: string): Promise<OfficeLike> },
): Promise<Record<string, string>> {
  const accounts = [...new Set(Object.values(decoded.args).filter((v) => /^0x[0-9a-fA-F]{40}$/.test(v)))];
  const offices: Record<string, string> = {};
  await Promise.all(
    accounts.map(async (account) => {
      try {
        offices[account.toLowerCase()] = describeOffice(await directory.officeOf(account));
      } catch {
        // not readable: the message names the account alone
      }
    }),
  );
  return offices;
}

/**
 * One line describing why a call failed: the contract's error by name with its arguments (lines by
 * 序号, money in yuan), then what it means for which object and what to do (src/chain/error-messages.ts).
 * `context` is what the command knew: its roster and programme, and the offices of accounts named.
 */
export function describeError(error: unknown, context: RefusalContext = {}): string {
  // A message that already says the refusal (a resumable run's "batch … failed: the contract
  // refused: …. Run again to continue") is kept whole: decoding its cause would drop how to resume.
  if (error instanceof Error && error.cause !== undefined && error.message.includes("the contract refused"))
    return error.message;
  const decoded = decodeRevert(error);
  if (decoded) {
    // A line's index on chain is shown beside its 序号 in the published list, the number people use;
    // amounts in yuan, with the unit.
    const args = Object.entries(decoded.args)
      .map(([k, v]) =>
        LINE_ARGS.has(k)
          ? `${k}=${v} (${seqText(Number(v))})`
          : (MONEY_ARGS.has(k) || MONEY_ARGS.has(`${decoded.name}.${k}`)) && /^\d+$/.test(v)
            ? `${k}=${formatFen(BigInt(v))} yuan`
            : `${k}=${v}`,
      )
      .join(", ");
    // The clerk's sentence first; the error as the contract names it after, for whoever debugs it.
    const sentence = ERROR_MESSAGES[decoded.name]?.(decoded.args, new Say(context));
    const technical = `${decoded.name}(${args})`;
    return sentence ? `the contract refused: ${sentence} [${technical}]` : `the contract refused: ${technical}`;
  }
  if (isError(error, "CALL_EXCEPTION")) return `the contract refused the call (${error.shortMessage})`;
  if (error instanceof Error) return error.message;
  return String(error);
}
