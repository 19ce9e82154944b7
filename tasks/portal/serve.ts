/** portal: serve the read-only API until stopped (Ctrl-C or SIGTERM), following the chain meanwhile. */
import path from "node:path";

import type { HardhatRuntimeEnvironment } from "hardhat/types/hre";

import { type AuditArgs, openAudit } from "../../src/audit/index.js";
import { runTask } from "../../src/cli/context.js";
import { readPortalConfig } from "../../src/portal/config.js";
import { Follower } from "../../src/portal/follower.js";
import { buildPortal } from "../../src/portal/server.js";

interface Args extends AuditArgs {
  host: string;
  port: string;
  pollSeconds: string;
  settings: string;
  publicUrl: string;
}

function whole(name: string, value: string, min: number, max: number): number {
  const n = Number(value.trim());
  if (!/^\d+$/.test(value.trim()) || n < min || n > max)
    throw new Error(`--${name} must be a whole number from ${min} to ${max}, got "${value}"`);
  return n;
}

export default (args: Args, hre: HardhatRuntimeEnvironment) =>
  runTask(args, hre, async () => {
    const port = whole("port", args.port, 1, 65_535);
    const pollMs = whole("poll-seconds", args.pollSeconds, 1, 3_600) * 1000;
    const config = readPortalConfig(args.settings);
    const session = await openAudit(args, hre, { forceUpdate: true, verbose: true });
    const { db, provider, chainId, out } = session;
    const addresses = db.identity()!.addresses;
    const follower = new Follower({
      rpc: provider!,
      db,
      addresses,
      confirmations: Number(args.confirmations || "0"),
      pollMs,
      onNotice: (text) => out.say(text),
    });
    const app = buildPortal({
      db,
      chainId,
      addresses,
      status: () => follower.status(),
      config,
      pages: path.resolve("web/dist"),
      publicUrl: args.publicUrl || `http://${args.host}:${port}`,
    });
    await follower.tick();
    follower.start();
    const address = await app.listen({ host: args.host, port });
    out.say(
      `portal at ${address}/portal/, its API at ${address}/api/status (index at block ${db.head().block}; read-only; Ctrl-C stops)`,
    );
    await new Promise<void>((resolve) => {
      const stop = () => resolve();
      process.once("SIGINT", stop);
      process.once("SIGTERM", stop);
    });
    out.say("stopping: finishing the update in progress, then closing the index");
    await app.close();
    await follower.stop();
    session.close();
  });
