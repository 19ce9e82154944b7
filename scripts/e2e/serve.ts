/**
 * A small static server for the built page (web/dist) on loopback, with a generated config.json
 * next to index.html. It records every request it answers, so that a test can check what the
 * browser sent to the page's own origin.
 */
import { readFile, stat } from "node:fs/promises";
import { createServer, type Server } from "node:http";
import path from "node:path";

const TYPES: Record<string, string> = {
  ".html": "text/html; charset=utf-8",
  ".js": "text/javascript; charset=utf-8",
  ".css": "text/css; charset=utf-8",
  ".json": "application/json; charset=utf-8",
  ".svg": "image/svg+xml",
  ".png": "image/png",
  ".ico": "image/x-icon",
};

export interface StaticServer {
  url: string;
  requests: Array<{ method: string; url: string; body: string }>;
  close(): Promise<void>;
}

export async function serveStatic(
  root: string,
  options: { files?: Record<string, string>; port?: number } = {},
): Promise<StaticServer> {
  const base = path.resolve(root);
  const requests: StaticServer["requests"] = [];
  const server: Server = createServer((req, res) => {
    let body = "";
    req.on("data", (d: Buffer) => (body += d.toString()));
    req.on("end", () => {
      void (async () => {
        const url = new URL(req.url ?? "/", "http://localhost");
        requests.push({ method: req.method ?? "GET", url: req.url ?? "/", body });
        res.setHeader("cache-control", "no-store");
        res.setHeader("x-content-type-options", "nosniff");
        if (req.method !== "GET" && req.method !== "HEAD") {
          res.writeHead(405).end();
          return;
        }
        const generated = options.files?.[url.pathname];
        if (generated !== undefined) {
          res
            .writeHead(200, { "content-type": TYPES[path.extname(url.pathname)] ?? "application/octet-stream" })
            .end(generated);
          return;
        }
        const relative = decodeURIComponent(url.pathname === "/" ? "/index.html" : url.pathname);
        const file = path.resolve(base, `.${relative}`);
        if (!file.startsWith(base + path.sep)) {
          res.writeHead(403).end();
          return;
        }
        try {
          if (!(await stat(file)).isFile()) throw new Error("not a file");
          res
            .writeHead(200, { "content-type": TYPES[path.extname(file)] ?? "application/octet-stream" })
            .end(await readFile(file));
        } catch {
          res.writeHead(404).end("not found");
        }
      })();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? 0, "127.0.0.1", () => resolve());
  });
  const address = server.address();
  if (typeof address !== "object" || address === null) throw new Error("the static server has no address");
  return {
    url: `http://127.0.0.1:${address.port}/`,
    requests,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
