// `next dev` / `next start` through the console's own HTTP server (server/http/node-server.ts), which
// stamps the socket address on every request. Started by serve.ts and e2e-server.ts; accepts the
// same -p/--port and -H/--hostname options as `next`.
const args = process.argv.slice(2);
const dev = args[0] !== "start";
function option(short: string, long: string): string | undefined {
  for (let i = 1; i < args.length; i++) {
    const a = args[i]!;
    if (a === short || a === long) return args[i + 1];
    if (a.startsWith(`${long}=`)) return a.slice(long.length + 1);
  }
  return undefined;
}
const port = Number(option("-p", "--port") ?? process.env.PORT ?? 3000);
const hostname = option("-H", "--hostname");
// Before Next and React load: they pick their production or development builds at require time.
(process.env as Record<string, string>).NODE_ENV = dev ? "development" : "production";
// .env files as `next start`/`next dev` load them (Next's own loader), before server/env.ts reads the
// environment in this process too (HSTS, TRUSTED_PROXIES and ALLOWED_ORIGINS checks at start).
const { loadEnvConfig } = await import("@next/env");
loadEnvConfig(process.cwd(), dev);
const { startConsoleServer } = await import("../http/node-server");

startConsoleServer({ dev, port, hostname })
  .then(() => console.log(`  ▲ Credo Console ready on http://${hostname ?? "localhost"}:${port} (${dev ? "dev" : "production"})`))
  .catch((e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(1);
  });
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => process.exit(0));
export {};
