/**
 * Decoding the suite's logs with the typechain ABIs of the contract that emitted them, and the
 * raw-table form of their arguments (JSON, integers as decimal strings, structs as objects).
 *
 * Why not simply `Interface.parseLog` for every log: it recomputes the topic hash of every event
 * of the ABI on each call and builds fresh coders for each decode, which made it the bulk of a
 * cold index (10^5 PayoutRecorded logs). Events are looked up once by topic here, and events whose
 * arguments are all one-word static types (uint, address, bool, bytesN — every hot event of the
 * suite) are read straight from their topics and data words; the others (strings, structs, bytes)
 * go through ethers' decoder.
 */
import { type EventFragment, Interface, type ParamType, type Result } from "ethers";

import { STATEFUL_CONTRACTS, type SuiteAddresses } from "../suite.js";
import type { RawLog } from "./rpc.js";

/** The contracts whose logs are indexed (the lens emits none). */
export const INDEXED_CONTRACTS = STATEFUL_CONTRACTS;

export type ContractName = (typeof INDEXED_CONTRACTS)[keyof typeof INDEXED_CONTRACTS]["name"];

/** Decoded arguments by name: integers as bigint, addresses and hashes as lowercase hex, structs as objects. */
export type EventArgs = Record<string, unknown>;

export interface DecodedEvent {
  name: string;
  args: EventArgs;
}

export interface DecodedLog {
  block: number;
  logIndex: number;
  tx: string;
  address: string;
  contract: ContractName;
  /** Undefined when no event of the contract's ABI decodes the log. */
  event: DecodedEvent | undefined;
  raw: RawLog;
}

/** One event of an ABI, ready to decode. */
interface EventDecoder {
  fragment: EventFragment;
  /** Set when every argument is a one-word static type: decoded by hand. */
  fast: Array<{ name: string; indexed: boolean; read: (word: string) => unknown }> | undefined;
}

/** A reader for one 32-byte word (64 hex digits, no 0x) of a static type, or undefined for other types. */
function wordReader(param: ParamType): ((word: string) => unknown) | undefined {
  const type = param.type;
  if (/^uint\d*$/.test(type)) return (w) => BigInt(`0x${w}`);
  if (type === "address") return (w) => `0x${w.slice(24)}`;
  if (type === "bool") return (w) => !/^0*$/.test(w);
  const bytes = /^bytes(\d+)$/.exec(type);
  if (bytes) return (w) => `0x${w.slice(0, 2 * Number(bytes[1]))}`;
  return undefined; // int (none in the suite's events), strings, bytes, arrays, tuples
}

function decoderOf(fragment: EventFragment): EventDecoder {
  const readers = fragment.inputs.map((input, i) => ({
    name: input.name || `arg${i}`,
    indexed: input.indexed === true,
    read: wordReader(input),
  }));
  const fast = readers.every((r) => r.read !== undefined)
    ? readers.map((r) => ({ name: r.name, indexed: r.indexed, read: r.read! }))
    : undefined;
  return { fragment, fast };
}

/** Plain values from an ethers Result: structs as objects by field name, lists as arrays. */
function plainResult(value: unknown): unknown {
  if (typeof value === "string") return value.startsWith("0x") ? value.toLowerCase() : value;
  if (value && typeof value === "object" && typeof (value as Result).toObject === "function") {
    const result = value as Result;
    let named: Record<string, unknown> | undefined;
    try {
      named = result.toObject();
    } catch {
      named = undefined; // a list: its items have no names
    }
    if (named && Object.keys(named).length > 0 && Object.keys(named).every((k) => !/^\d+$/.test(k))) {
      return Object.fromEntries(Object.entries(named).map(([k, v]) => [k, plainResult(v)]));
    }
    return [...result].map(plainResult);
  }
  return value;
}

/** The decoder of a deployment, built once: a follower updating every second would otherwise build eight ethers Interfaces each time. */
const decoders = new Map<string, LogDecoder>();
export function decoderFor(addresses: SuiteAddresses): LogDecoder {
  const key = JSON.stringify(addresses);
  let decoder = decoders.get(key);
  if (!decoder) decoders.set(key, (decoder = new LogDecoder(addresses)));
  return decoder;
}

export class LogDecoder {
  private readonly byAddress = new Map<
    string,
    { contract: ContractName; iface: Interface; events: Map<string, EventDecoder>; anonymous: EventDecoder[] }
  >();

  constructor(addresses: SuiteAddresses) {
    for (const [key, { name, abi }] of Object.entries(INDEXED_CONTRACTS) as Array<
      [keyof typeof INDEXED_CONTRACTS, (typeof INDEXED_CONTRACTS)[keyof typeof INDEXED_CONTRACTS]]
    >) {
      const iface = new Interface(abi);
      const events = new Map<string, EventDecoder>();
      const anonymous: EventDecoder[] = [];
      iface.forEachEvent((fragment) => {
        if (fragment.anonymous) anonymous.push(decoderOf(fragment));
        else events.set(fragment.topicHash.toLowerCase(), decoderOf(fragment));
      });
      this.byAddress.set(addresses[key].toLowerCase(), { contract: name, iface, events, anonymous });
    }
  }

  /** The addresses to ask eth_getLogs for. */
  get addresses(): string[] {
    return [...this.byAddress.keys()];
  }

  decode(raw: RawLog): DecodedLog {
    const address = raw.address.toLowerCase();
    const source = this.byAddress.get(address);
    if (!source) throw new Error(`the provider returned a log of ${raw.address}, which is not a suite contract`);
    const named = raw.topics[0] === undefined ? undefined : source.events.get(raw.topics[0].toLowerCase());
    // An anonymous event (RosterLines.LineListed) has no signature topic: a log no named event of
    // its contract claims is read as the one anonymous event of its shape, if any.
    let event = named ? decodeWith(source.iface, named, raw) : undefined;
    if (!named) for (const a of source.anonymous) event ??= decodeWith(source.iface, a, raw);
    return {
      block: Number.parseInt(raw.blockNumber, 16),
      logIndex: Number.parseInt(raw.logIndex, 16),
      tx: raw.transactionHash.toLowerCase(),
      address,
      contract: source.contract,
      event,
      raw,
    };
  }
}

function decodeWith(iface: Interface, decoder: EventDecoder, raw: RawLog): DecodedEvent | undefined {
  const { fragment, fast } = decoder;
  if (fast) {
    const data = raw.data.toLowerCase().replace(/^0x/, "");
    const indexedCount = fast.filter((f) => f.indexed).length;
    const signatureTopics = fragment.anonymous ? 0 : 1;
    // A log that does not have the shape of its event is kept undecoded rather than misread.
    if (raw.topics.length === indexedCount + signatureTopics && data.length === 64 * (fast.length - indexedCount)) {
      const args: EventArgs = {};
      let topic = signatureTopics;
      let word = 0;
      for (const f of fast) {
        const hex = f.indexed
          ? raw.topics[topic++]!.toLowerCase().replace(/^0x/, "")
          : data.slice(64 * word, 64 * ++word);
        args[f.name] = f.read(hex);
      }
      return { name: fragment.name, args };
    }
    return undefined;
  }
  try {
    const result = iface.decodeEventLog(fragment, raw.data, raw.topics);
    const args: EventArgs = {};
    fragment.inputs.forEach((input, i) => {
      args[input.name || `arg${i}`] = plainResult(result[i]);
    });
    return { name: fragment.name, args };
  } catch {
    return undefined;
  }
}

/** The arguments as JSON text: integers as decimal strings. Undecoded logs keep their topics and data. */
export function argsJson(log: DecodedLog): string {
  if (!log.event) return JSON.stringify({ topics: log.raw.topics, data: log.raw.data });
  return JSON.stringify(log.event.args, (_key, v: unknown) => (typeof v === "bigint" ? v.toString() : v));
}
