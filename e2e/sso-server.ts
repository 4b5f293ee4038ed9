// Starts the SSO spec's own console + test IdP (server/cli/e2e-sso-server.ts) and stops it. Only
// the SSO spec needs a console configured for SSO, so it is not one of the config's webServers
// (those start for every spec).
import { spawn, type ChildProcess } from "node:child_process";
import path from "node:path";

export const SSO_PORT = Number(process.env.E2E_SSO_PORT ?? 3102);
export const SSO_IDP_PORT = Number(process.env.E2E_SSO_IDP_PORT ?? SSO_PORT + 1);
export const SSO_PUBLIC_ORIGIN = `http://console.test:${SSO_PORT}`;
export const SSO_DATABASE_URL = `postgresql://postgres@127.0.0.1:5432/${process.env.E2E_DATABASE_NAME ?? "credo_e2e"}_sso`;

export async function startSsoServer(): Promise<() => Promise<void>> {
  const child: ChildProcess = spawn(
    path.join(process.cwd(), "node_modules", ".bin", "tsx"),
    ["server/cli/e2e-sso-server.ts", String(SSO_PORT), String(SSO_IDP_PORT), SSO_PUBLIC_ORIGIN],
    { stdio: ["ignore", "ignore", "pipe"], detached: true, env: { ...process.env } },
  );
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => {
    stderr = (stderr + d.toString()).slice(-4000);
  });
  const stop = async () => {
    if (child.exitCode !== null || !child.pid) return;
    const exited = new Promise<void>((resolve) => child.once("exit", () => resolve()));
    process.kill(-child.pid, "SIGTERM");
    await Promise.race([exited, new Promise((r) => setTimeout(r, 5_000))]);
  };
  const deadline = Date.now() + 180_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`SSO e2e server exited (${child.exitCode}):\n${stderr}`);
    const up = await fetch(`http://127.0.0.1:${SSO_PORT}/signin`).then((r) => r.ok, () => false);
    if (up) return stop;
    await new Promise((r) => setTimeout(r, 500));
  }
  await stop();
  throw new Error(`SSO e2e server did not start in time:\n${stderr}`);
}
