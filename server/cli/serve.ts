// `npm run dev` / `npm start`: one command from a clean clone to a running console.
//   no DATABASE_URL → embedded PostgreSQL (PGlite) in .data/pglite: started here, migrated, seeded
//                     with demo data; the demo sign-ins are printed. Data survives restarts.
//   DATABASE_URL    → that server, used as it is (run `npm run db:migrate` / `npm run db:seed` with
//                     DATABASE_MIGRATION_URL). `start` refuses a superuser or owner connection.
// Then it runs Next in dev or production mode (start, after `npm run build`) inside the console's own
// HTTP server (server/cli/next-server.ts, which stamps each request's socket address) with that environment.
import { spawn } from "node:child_process";
import { mkdirSync, existsSync, readFileSync, writeFileSync } from "node:fs";
import { randomBytes } from "node:crypto";
import path from "node:path";

const mode = process.argv[2] === "start" ? "start" : "dev";
const root = process.cwd();
const dataDir = path.resolve(root, process.env.CREDO_DATA_DIR ?? ".data");

function ensureAuthSecret(): void {
  if (process.env.AUTH_SECRET) return;
  if (process.env.DATABASE_URL && mode === "start") {
    console.error("AUTH_SECRET is required with DATABASE_URL in `npm start` (generate one: openssl rand -base64 32).");
    process.exit(1);
  }
  // Local/embedded use: a random secret kept next to the embedded data, so sessions survive restarts.
  mkdirSync(dataDir, { recursive: true });
  const file = path.join(dataDir, "auth-secret");
  if (!existsSync(file)) writeFileSync(file, randomBytes(32).toString("base64url"), { mode: 0o600 });
  process.env.AUTH_SECRET = readFileSync(file, "utf8").trim();
}

/** Production on a real database: signing keys need a real key-encryption key (server/signing-keys/envelope.ts). */
function ensureKeyEncryptionKey(): void {
  if (process.env.KEY_ENCRYPTION_KEY || !process.env.DATABASE_URL || mode !== "start") return;
  console.error(
    "KEY_ENCRYPTION_KEY is required with DATABASE_URL in `npm start`: it encrypts every tenant's signing keys at rest. " +
      "Generate one with `openssl rand -base64 32` and keep it in your secret store.",
  );
  process.exit(1);
}

/**
 * Production on a real database: audit export manifests, checkpoints and deletion receipts need the
 * real platform signing key (server/platform-keys/); the dev key in CREDO_DATA_DIR is refused there.
 */
function ensurePlatformSigningKey(): void {
  if (process.env.PLATFORM_SIGNING_KEY || !process.env.DATABASE_URL || mode !== "start") return;
  console.error(
    "PLATFORM_SIGNING_KEY is required with DATABASE_URL in `npm start`: it signs audit exports, audit checkpoints and " +
      "deletion receipts. Generate one with `npm run platform-key:generate` and keep it in your secret store.",
  );
  process.exit(1);
}

/**
 * Production on a real database: invitations and password resets must reach people. Without SMTP
 * the console would keep them in the dev outbox, which is meant for a laptop — refuse to start.
 */
function ensureMailDelivery(): void {
  if (process.env.SMTP_URL || !process.env.DATABASE_URL || mode !== "start") return;
  console.error(
    "SMTP_URL is required with DATABASE_URL in `npm start`: invitations and password reset links are sent by e-mail " +
      "(e.g. SMTP_URL=smtps://user:password@mail.example.com:465). Without it, e-mail would only reach the dev outbox.",
  );
  process.exit(1);
}

/** SSO in production: the IdP redirects back to one configured origin (server/http/public-origin.ts). */
async function ensurePublicOrigin(): Promise<void> {
  if (mode !== "start") return;
  const { publicOriginStartupProblem } = await import("../http/public-origin-check");
  const problem = publicOriginStartupProblem(process.env);
  if (!problem) return;
  console.error(problem);
  process.exit(1);
}

/**
 * Production on a real database: the app connects as the least-privileged login role, never as a
 * superuser or the tables' owner (server/db/role-check.ts); so does the in-process job worker.
 */
async function ensureLeastPrivilegedRoles(): Promise<void> {
  if (!process.env.DATABASE_URL || mode !== "start") return;
  const { assertLeastPrivilege } = await import("../db/role-check");
  try {
    await assertLeastPrivilege(process.env.DATABASE_URL, "app");
    if (process.env.JOBS_IN_PROCESS !== "0") {
      if (!process.env.JOBS_DATABASE_URL) {
        throw new Error(
          "JOBS_DATABASE_URL is required with DATABASE_URL in `npm start` (the job worker runs in this process): " +
            "the job queue's connection, as the login role credo_worker (README \"Database roles\"). Or set JOBS_IN_PROCESS=0 and run `npm run worker`.",
        );
      }
      await assertLeastPrivilege(process.env.JOBS_DATABASE_URL, "jobs");
    }
  } catch (e) {
    console.error(e instanceof Error ? e.message : String(e));
    process.exit(1);
  }
}

async function main() {
  process.env.NEXT_TELEMETRY_DISABLED ??= "1";
  ensureAuthSecret();
  await ensurePublicOrigin();
  ensureKeyEncryptionKey();
  ensurePlatformSigningKey();
  ensureMailDelivery();
  await ensureLeastPrivilegedRoles();
  let stopEmbedded: (() => Promise<void>) | null = null;

  if (!process.env.DATABASE_URL) {
    const { startEmbeddedPostgres } = await import("../db/embedded");
    const { migrateDatabase } = await import("../db/migrate");
    const port = Number(process.env.CREDO_EMBEDDED_PORT ?? 5499);
    const started = Date.now();
    const db = await startEmbeddedPostgres({ dataDir: path.join(dataDir, "pglite"), port });
    stopEmbedded = db.stop;
    process.env.DATABASE_URL = db.url;
    process.env.CREDO_EMBEDDED = "1";
    await migrateDatabase(db.url, { embedded: true });
    const { seedDemoData, demoCredentialsBanner } = await import("./demo-data");
    const { disconnectPrisma } = await import("../db/client");
    await seedDemoData((l) => console.log(`  seed: ${l}`));
    await disconnectPrisma();
    console.log(`\nEmbedded PostgreSQL (PGlite) ready in ${Date.now() - started} ms, data in ${path.relative(root, dataDir)}/pglite`);
    console.log(demoCredentialsBanner() + "\n");
  }

  // The background work (server/jobs/boot.ts: job worker, scheduled tasks, deletion sweep, audit
  // upkeep), in this process unless JOBS_IN_PROCESS=0 (then run `npm run worker` processes).
  // Embedded: a small pool next to next's own (server/db/embedded.ts).
  let stopJobs: (() => Promise<void>) | null = null;
  if (process.env.JOBS_IN_PROCESS !== "0") {
    const embedded = process.env.CREDO_EMBEDDED === "1";
    const { limitPrismaPool, disconnectPrisma } = await import("../db/client");
    if (embedded) limitPrismaPool(2);
    const { startBackgroundWork } = await import("../jobs/boot");
    // Embedded: this process owns the database, so no other worker can hold its jobs — any job lock
    // is a killed predecessor's and is released at once.
    const work = await startBackgroundWork({ worker: embedded ? { releaseAllLocks: true, concurrency: 1 } : {} });
    stopJobs = async () => {
      await work.stop();
      await disconnectPrisma();
    };
  }

  // Next runs inside the console's own HTTP server (server/cli/next-server.ts): it stamps each
  // request's socket address, the only client address not written by the client.
  const tsx = path.join(root, "node_modules", ".bin", "tsx");
  const child = spawn(tsx, [path.join(root, "server", "cli", "next-server.ts"), mode, ...process.argv.slice(3)], { stdio: "inherit", env: process.env });
  const shutdown = async (code: number) => {
    if (stopJobs) await stopJobs().catch(() => undefined);
    if (stopEmbedded) await stopEmbedded().catch(() => undefined);
    process.exit(code);
  };
  for (const sig of ["SIGINT", "SIGTERM"] as const) {
    process.on(sig, () => {
      child.kill(sig);
    });
  }
  child.on("exit", (code) => void shutdown(code ?? 0));
}

main().catch((e) => {
  console.error(e instanceof Error ? e.message : e);
  process.exit(1);
});
