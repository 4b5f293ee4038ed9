// The e2e suite's server on real PostgreSQL: a fresh database (dropped and re-created each run),
// migrated and seeded, then Next (production mode) in the console's own HTTP server on the given port. Started by playwright.config.ts.
import pg from "pg";
import { spawn } from "node:child_process";
import path from "node:path";

const port = process.argv[2] ?? "3100";
const adminUrl = process.env.TEST_DATABASE_ADMIN_URL ?? "postgresql://postgres@127.0.0.1:5432/postgres";
const dbName = process.env.E2E_DATABASE_NAME ?? "credo_e2e";

const admin = new pg.Client({ connectionString: adminUrl });
await admin.connect();
await admin.query(`DROP DATABASE IF EXISTS "${dbName}" WITH (FORCE)`);
await admin.query(`CREATE DATABASE "${dbName}"`);
await admin.end();

// As in production (README "Database roles"): migrate and seed as the owner, then the app as the
// least-privileged login role credo_runtime and the job queue as credo_worker — both created by the
// migration. A password-protected test server gets the same test-only password on both.
const u = new URL(adminUrl);
u.pathname = `/${dbName}`;
const ownerUrl = u.toString();
function loginUrl(role: string): string {
  const l = new URL(ownerUrl);
  l.username = role;
  l.password = l.password ? (process.env.TEST_DATABASE_RUNTIME_PASSWORD ?? "credo-test-only") : "";
  return l.toString();
}
process.env.DATABASE_MIGRATION_URL = ownerUrl;
process.env.DATABASE_URL = loginUrl("credo_runtime");
process.env.JOBS_DATABASE_URL = loginUrl("credo_worker");
process.env.AUTH_SECRET ??= "e2e-secret-not-for-production-0123456789abcdef";
process.env.REDIS_URL ??= "redis://127.0.0.1:6379";
// `next start` is production mode: it refuses the dev-only KEK, so seed and server share this one.
process.env.KEY_ENCRYPTION_KEY ??= Buffer.alloc(32, 7).toString("base64");
// The platform signing key (audit export manifests, checkpoints, deletion receipts): production mode
// refuses a missing one, and the worker in this process and `next start` must sign with the same key.
if (!process.env.PLATFORM_SIGNING_KEY) {
  const { exportJWK, generateKeyPair } = await import("jose");
  const { privateKey } = await generateKeyPair("EdDSA", { crv: "Ed25519", extractable: true });
  const jwk = await exportJWK(privateKey);
  process.env.PLATFORM_SIGNING_KEY = JSON.stringify({ kty: jwk.kty, crv: jwk.crv, x: jwk.x, d: jwk.d });
}
// E-mail: a real SMTP server in this process (smtp-server); every message is also written to
// E2E_MAIL_DIR as <n>.json, where the Playwright tests read invitation and reset links.
if (!process.env.SMTP_URL) {
  const { mkdirSync, rmSync, writeFileSync } = await import("node:fs");
  const { startTestSmtp } = await import("../testing/smtp");
  const { e2eMailDir } = await import("../../e2e/mail-dir");
  const dir = e2eMailDir();
  rmSync(dir, { recursive: true, force: true });
  mkdirSync(dir, { recursive: true });
  let n = 0;
  const smtp = await startTestSmtp((m) => writeFileSync(path.join(dir, `${String(++n).padStart(6, "0")}.json`), JSON.stringify({ to: m.to, text: m.text })));
  process.env.SMTP_URL = smtp.url;
}
// Each run gets its own throttle window keys (Redis survives between runs).
process.env.SIGNIN_THROTTLE_ATTEMPTS ??= "5";

const { migrateDatabase } = await import("../db/migrate");
await migrateDatabase(ownerUrl);
if (new URL(ownerUrl).password) {
  const c = new pg.Client({ connectionString: ownerUrl });
  await c.connect();
  for (const role of ["credo_runtime", "credo_worker"]) await c.query(`ALTER ROLE ${role} PASSWORD '${new URL(loginUrl(role)).password.replaceAll("'", "''")}'`);
  await c.end();
}
// The same refusal as `npm start`: a superuser or owner connection would hide missing grants.
const { assertLeastPrivilege } = await import("../db/role-check");
await assertLeastPrivilege(process.env.DATABASE_URL, "app");
await assertLeastPrivilege(process.env.JOBS_DATABASE_URL, "jobs");
const { seedDemoData } = await import("./demo-data");
const { disconnectPrisma } = await import("../db/client");
await seedDemoData();
// The SSO e2e server (e2e-sso-server.ts) adds the users its IdP accounts stand for.
if (process.env.E2E_SSO_SEED === "1") await (await import("../testing/sso-e2e")).seedSsoE2eUsers();
await disconnectPrisma();

// The background work (job worker, scheduled tasks, deletion sweep, audit upkeep), in this process
// as `npm start` runs it (server/jobs/boot.ts).
const { startBackgroundWork } = await import("../jobs/boot");
await startBackgroundWork({ worker: { pollIntervalMs: 500 } });

// Next inside the console's own HTTP server (stamps the socket address), as `npm start` runs it.
const child = spawn(path.join(process.cwd(), "node_modules", ".bin", "tsx"), ["server/cli/next-server.ts", "start", "-p", port], {
  stdio: "inherit",
  env: { ...process.env, NEXT_TELEMETRY_DISABLED: "1" },
});
for (const sig of ["SIGINT", "SIGTERM"] as const) process.on(sig, () => child.kill(sig));
child.on("exit", (code) => process.exit(code ?? 0));
