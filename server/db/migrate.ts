// Applies the committed migrations (prisma/migrations) with `prisma migrate deploy`, run as a child
// process with the repo's prisma.config.ts (WASM schema engine + server/db/migrator-adapter.ts).
//
// Always ASYNC: the embedded PGlite server runs in THIS process's event loop, so a synchronous
// child (execFileSync) would block the loop the CLI needs answers from — a deadlock.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

/** Repository root: two levels above this file (server/db/). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

export interface PrismaCliResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  /** stdout and stderr, interleaved in arrival order. */
  output: string;
}

/** The repo's prisma binary (node_modules/.bin/prisma). */
export function prismaBin(): string {
  const bin = path.join(REPO_ROOT, "node_modules", ".bin", process.platform === "win32" ? "prisma.cmd" : "prisma");
  if (!existsSync(bin)) throw new Error(`Prisma CLI not found at ${bin}: run \`npm install\` first.`);
  return bin;
}

/**
 * Runs the Prisma CLI asynchronously in the repo root against `databaseUrl` and collects its output.
 * Never throws for a non-zero exit: the caller decides (e.g. `migrate diff --exit-code` exits 2).
 */
export function runPrismaCli(
  args: string[],
  databaseUrl: string,
  opts: { embedded?: boolean; onOutput?: (chunk: string) => void; timeoutMs?: number } = {},
): Promise<PrismaCliResult> {
  const env: NodeJS.ProcessEnv = {
    ...process.env,
    DATABASE_URL: databaseUrl,
    CREDO_EMBEDDED: opts.embedded ? "1" : "0",
    PRISMA_HIDE_UPDATE_MESSAGE: "1",
    CHECKPOINT_DISABLE: "1",
  };
  return new Promise((resolve, reject) => {
    const child = spawn(prismaBin(), args, {
      cwd: REPO_ROOT,
      env,
      stdio: ["ignore", "pipe", "pipe"],
      shell: process.platform === "win32",
    });
    let output = "";
    const collect = (chunk: Buffer) => {
      const text = chunk.toString("utf8");
      output += text;
      opts.onOutput?.(text);
    };
    child.stdout.on("data", collect);
    child.stderr.on("data", collect);
    const timer =
      opts.timeoutMs && opts.timeoutMs > 0
        ? setTimeout(() => {
            output += `\n[killed after ${opts.timeoutMs} ms]\n`;
            child.kill("SIGKILL");
          }, opts.timeoutMs)
        : null;
    child.on("error", (error) => {
      if (timer) clearTimeout(timer);
      reject(error);
    });
    child.on("close", (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, output });
    });
  });
}

/**
 * `prisma migrate deploy` on `databaseUrl`. `embedded`: the URL is the embedded PGlite server
 * (sets CREDO_EMBEDDED=1 for prisma.config.ts). Throws with the CLI output on failure.
 */
export async function migrateDatabase(
  databaseUrl: string,
  opts: { embedded?: boolean; onOutput?: (chunk: string) => void } = {},
): Promise<void> {
  // 5 minutes: a stuck CLI (e.g. a connection limit on PGlite) must not hang `npm run dev` forever.
  const result = await runPrismaCli(["migrate", "deploy"], databaseUrl, { ...opts, timeoutMs: 300_000 });
  if (result.code !== 0) {
    throw new Error(
      `prisma migrate deploy failed (${result.signal ?? `exit code ${result.code}`}) on ${redact(databaseUrl)}:\n` +
        result.output.trim(),
    );
  }
  // The job queue's own schema (graphile_worker), migrated by graphile-worker with this same owner
  // connection — never by the runtime role (server/jobs/queue.ts).
  const { migrateJobQueue } = await import("../jobs/schema");
  await migrateJobQueue(databaseUrl);
}

/** The URL without its password, for messages. */
export function redact(url: string): string {
  try {
    const u = new URL(url);
    if (u.password) u.password = "***";
    return u.toString();
  } catch {
    return "<invalid DATABASE_URL>";
  }
}
