/**
 * The portal's read service: a Fastify app over the index (views.ts) that answers GET and HEAD only
 * — it holds no key and accepts no write. Every answer is an envelope naming the block its figures
 * are true at and how far the index is behind the chain (follower.ts); bad requests get a 4xx with
 * one clear message; the index is read synchronously, so an answer never waits on the node.
 *
 *   GET /api/status                                   the chain, the index and how far behind it is
 *   GET /api/config                                   names, contact, explorer, nodes a browser checks against
 *   GET /api/programmes                               every programme: terms, budget, money by state
 *   GET /api/programmes/:id                           one programme: its region tree and progress by day
 *   GET /api/programmes/:id/regions/:region           one node of the tree, its children and rosters
 *   GET /api/rosters/:id                              a roster's timeline, publicity, lines by state
 *   GET /api/rosters/:id/lines?offset=&limit=         its lines, one row each (at most 1,000 a page)
 *   GET /api/warnings                                 the anomaly findings (预警), each with its evidence
 *   GET /api/warnings.atom                            the same as an Atom feed an inspector subscribes to
 *   GET /api/households/:commitment                   a household's lines (the commitment only: the ID
 *                                                     number and query code never leave the resident's device)
 */
import { existsSync } from "node:fs";

import fastifyStatic from "@fastify/static";
import Fastify, { type FastifyInstance, type FastifyReply } from "fastify";

import type { IndexDatabase } from "../indexer/index.js";
import { isoTime } from "../audit/rows.js";
import type { SuiteAddresses } from "../suite.js";
import { NO_CONFIG, type PortalConfig } from "./config.js";
import { warningsFeed } from "./feed.js";
import type { FollowStatus } from "./follower.js";
import {
  HeadCache,
  householdLines,
  NotFound,
  programmeDetail,
  programmeList,
  regionDetail,
  rosterDetail,
  rosterLines,
  warnings,
} from "./views.js";

export interface PortalOptions {
  db: IndexDatabase;
  chainId: bigint;
  addresses: SuiteAddresses;
  /** The follower's view of the chain; a fixed "not followed" status when absent. */
  status?: () => FollowStatus;
  config?: PortalConfig;
  /** The built pages (web/dist), served at / (the portal at /portal/). */
  pages?: string;
  /** Where the portal's pages are, for links in the feed (default http://127.0.0.1:8780). */
  publicUrl?: string;
  logger?: boolean;
}

const ID = { type: "string", pattern: "^[0-9]{1,19}$" } as const;
const REGION = { type: "string", pattern: "^[1-9][0-9]{11}$" } as const;
const COMMITMENT = { type: "string", pattern: "^0x[0-9a-fA-F]{64}$" } as const;
const params = (properties: Record<string, object>) => ({
  params: { type: "object", properties, required: Object.keys(properties), additionalProperties: false },
});

/** Fastify's validation messages, in words a person reads ("params/id must match pattern" → which). */
function validationMessage(error: { validation?: Array<{ instancePath?: string; params?: object }>; message: string }) {
  const path = error.validation?.[0]?.instancePath?.replace(/^\//, "") ?? "";
  if (path === "id") return "the id must be a whole number, e.g. /api/rosters/12";
  if (path === "region") return "the region must be a 12-digit administrative division code, e.g. 110101000000";
  if (path === "commitment") return "the commitment must be 0x followed by 64 hex digits";
  if (path === "offset" || path === "limit") return `${path} must be a whole number (limit at most 1,000)`;
  return error.message;
}

const json = (value: unknown) => JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? v.toString() : v));

export function buildPortal(o: PortalOptions): FastifyInstance {
  const app = Fastify({ logger: o.logger ?? false });
  const cache = new HeadCache(o.db);
  const config = o.config ?? NO_CONFIG;
  const names = config.names;
  const status =
    o.status ??
    (() => ({ reachable: false, chainHead: null, behind: null, error: "not following the chain", lastAnswer: null }));

  /** Every answer: the block its figures are true at, how far behind the chain that is, and the data. */
  const envelope = (data: unknown) => {
    const head = o.db.head();
    const s = status();
    return {
      at: { block: head.block, hash: head.hash ?? null, time: isoTime(head.time) },
      chain: { id: o.chainId.toString(), ...s },
      data,
    };
  };
  const send = (reply: FastifyReply, data: unknown) =>
    reply.header("content-type", "application/json; charset=utf-8").send(json(envelope(data)));

  app.setErrorHandler((error, _request, reply) => {
    if (error instanceof NotFound) return reply.code(404).send({ error: error.message });
    const e = error as { validation?: Array<{ instancePath?: string }>; statusCode?: number; message: string };
    if (e.validation) return reply.code(400).send({ error: validationMessage(e) });
    if (e.statusCode && e.statusCode < 500) return reply.code(e.statusCode).send({ error: e.message });
    app.log.error(error);
    return reply.code(500).send({ error: `the portal could not answer: ${e.message}` });
  });
  app.setNotFoundHandler((request, reply) => {
    const known = request.url.startsWith("/api/");
    return reply.code(404).send({
      error: known ? `no such page of the API: ${request.url} (see /api/status)` : `not found: ${request.url}`,
    });
  });
  // Read-only: anything but GET and HEAD is refused, whatever the path.
  app.addHook("onRequest", async (request, reply) => {
    if (request.method !== "GET" && request.method !== "HEAD")
      return reply.code(405).header("allow", "GET, HEAD").send({ error: "the portal is read-only: GET and HEAD only" });
  });

  app.get("/api/status", async (_req, reply) =>
    send(reply, { deployment: o.addresses, index: { block: o.db.head().block } }),
  );
  app.get("/api/config", async (_req, reply) =>
    send(reply, {
      names: config.names,
      contact: config.contact,
      explorer: config.explorer,
      rpcUrls: config.rpcUrls,
      disbursement: o.addresses.disbursement,
    }),
  );
  app.get("/api/programmes", async (_req, reply) => send(reply, programmeList(o.db, cache, names)));
  app.get<{ Params: { id: string } }>("/api/programmes/:id", { schema: params({ id: ID }) }, async (req, reply) =>
    send(reply, programmeDetail(o.db, cache, names, BigInt(req.params.id))),
  );
  app.get<{ Params: { id: string; region: string } }>(
    "/api/programmes/:id/regions/:region",
    { schema: params({ id: ID, region: REGION }) },
    async (req, reply) =>
      send(reply, regionDetail(o.db, cache, names, BigInt(req.params.id), BigInt(req.params.region))),
  );
  app.get<{ Params: { id: string } }>("/api/rosters/:id", { schema: params({ id: ID }) }, async (req, reply) =>
    send(reply, rosterDetail(o.db, names, BigInt(req.params.id))),
  );
  app.get<{ Params: { id: string }; Querystring: { offset: number; limit: number } }>(
    "/api/rosters/:id/lines",
    {
      schema: {
        ...params({ id: ID }),
        querystring: {
          type: "object",
          properties: {
            offset: { type: "integer", minimum: 0, default: 0 },
            limit: { type: "integer", minimum: 1, maximum: 1000, default: 100 },
          },
          additionalProperties: false,
        },
      },
    },
    async (req, reply) => send(reply, rosterLines(o.db, BigInt(req.params.id), req.query.offset, req.query.limit)),
  );
  app.get("/api/warnings", async (_req, reply) => send(reply, warnings(o.db, cache)));
  app.get("/api/warnings.atom", async (_req, reply) =>
    reply.header("content-type", "application/atom+xml; charset=utf-8").send(
      warningsFeed(warnings(o.db, cache), {
        chainId: o.chainId,
        head: o.db.head(),
        publicUrl: o.publicUrl ?? "http://127.0.0.1:8780",
      }),
    ),
  );
  app.get<{ Params: { commitment: string } }>(
    "/api/households/:commitment",
    { schema: params({ commitment: COMMITMENT }) },
    async (req, reply) => send(reply, householdLines(o.db, names, req.params.commitment)),
  );
  if (o.pages && existsSync(o.pages)) {
    void app.register(fastifyStatic, { root: o.pages, prefix: "/", index: ["index.html"] });
    app.get("/", async (_req, reply) => reply.redirect("/portal/"));
  } else {
    app.get("/", async (_req, reply) =>
      reply
        .code(404)
        .send({ error: "the portal's pages are not built: run `npm run web:build`, then start the service again" }),
    );
  }
  return app;
}
