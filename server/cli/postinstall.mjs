// `npm install` postinstall and `npm run db:generate`: generates the Prisma client into
// server/db/generated (not committed). Plain .mjs: runs before tsx is guaranteed to be usable.
//
// Offline by construction: the generator uses engineType = "client" (WASM query compiler, nothing to
// download) and DATABASE_URL is set — without it the 6.19 CLI falls back to downloading the native
// library engine. `generate` never connects, so a dummy URL is harmless.
import { spawn } from "node:child_process";
import { existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..", "..");
const bin = join(root, "node_modules", ".bin", process.platform === "win32" ? "prisma.cmd" : "prisma");
const [command, args] = existsSync(bin) ? [bin, ["generate"]] : ["npx", ["--no-install", "prisma", "generate"]];

const env = {
  ...process.env,
  DATABASE_URL: process.env.DATABASE_URL || "postgresql://postgres@127.0.0.1:5432/postgres",
  PRISMA_HIDE_UPDATE_MESSAGE: "1",
  CHECKPOINT_DISABLE: "1", // no version-check request
};

const child = spawn(command, args, { cwd: root, env, stdio: "inherit", shell: process.platform === "win32" });
child.on("error", (error) => {
  console.error(`postinstall: could not run prisma generate: ${error.message}`);
  process.exit(1);
});
child.on("exit", (code, signal) => {
  if (code !== 0) console.error(`postinstall: prisma generate failed (${signal ?? `exit ${code}`})`);
  process.exit(code ?? 1);
});
