/** Options and flags every task shares; see src/cli/context.ts. */
import type { NewTaskDefinitionBuilder, TaskArguments } from "hardhat/types/tasks";

/** The options of a task that signs: the signing account, and those of every task (keyFree). */
export function common<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  const signing = builder.addOption({
    name: "from",
    description: "signing account: index in the network's accounts, or address",
    defaultValue: "0",
  });
  return keyFree(signing);
}

/** The options of every task, also of those that sign nothing (residents, auditors): no --from. */
export function keyFree<T extends TaskArguments>(builder: NewTaskDefinitionBuilder<T>) {
  return builder
    .addOption({
      name: "deployment",
      description: "deployment record (default: ignition/deployments/chain-<id>/deployed_addresses.json)",
      defaultValue: "",
    })
    .addFlag({ name: "json", description: "print the result as JSON" });
}

export const dryRun = { name: "dryRun", description: "check everything against the chain without sending" } as const;

/** A decision's reason: as text, or a file; only its keccak256 goes on chain (src/cli/reason.ts). */
export const reason = {
  name: "reason",
  description: "the reason as text (only its keccak256 goes on chain; keep the text on file)",
  defaultValue: "",
} as const;
export const reasonFile = {
  name: "reasonFile",
  description: "or a file holding the reason (its keccak256 goes on chain)",
  defaultValue: "",
} as const;

/** For key-free tasks: a node read directly. */
export const rpcUrl = {
  name: "rpcUrl",
  description: "read this JSON-RPC endpoint directly instead of --network (a read-only node is enough)",
  defaultValue: "",
} as const;
