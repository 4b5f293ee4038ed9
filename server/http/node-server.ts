// The console's own HTTP server around Next (a Next "custom server"). It exists for one reason: route
// handlers never see the socket, and the client address must not be taken from headers a client can
// write. Each request gets the socket address stamped into an internal header (server/http/client-ip.ts)
// after any client-sent copy is deleted; everything else is Next's own request handler.
import { createServer, type Server } from "node:http";
import next from "next";
import { env } from "../env";
import { parseTrustedProxies, stampPeer } from "./client-ip";
import { allowedOrigins } from "./origin-check";
import { HSTS, publicOriginIsHttps } from "./security-headers";

export async function startConsoleServer(opts: { dev: boolean; port: number; hostname?: string }): Promise<Server> {
  // A mistyped TRUSTED_PROXIES or ALLOWED_ORIGINS stops the start with its message, not the first request.
  parseTrustedProxies(env.TRUSTED_PROXIES);
  allowedOrigins();
  const app = next({ dev: opts.dev, port: opts.port, hostname: opts.hostname, dir: process.cwd(), ...(opts.dev ? { turbopack: true } : {}) });
  const handle = app.getRequestHandler();
  await app.prepare();
  const https = publicOriginIsHttps();
  const server = createServer((req, res) => {
    stampPeer(req);
    if (https) res.setHeader("Strict-Transport-Security", HSTS);
    void handle(req, res);
  });
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(opts.port, opts.hostname, resolve);
  });
  return server;
}
