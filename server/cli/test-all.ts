// `npm test`: everything, in order, stopping at the first failure:
//   typecheck → lint (the architecture boundaries, eslint.config.mjs) → no import cycles
//   (dependency-cruiser, .dependency-cruiser.cjs) → unit (vitest project `unit`, no database) +
//   integration (project `db`; real PostgreSQL and Redis) → production build →
//   end-to-end (Playwright on Chromium against `next start`, on PostgreSQL and on embedded PGlite).
import { spawn } from "node:child_process";
import path from "node:path";

const bin = (name: string) => path.join(process.cwd(), "node_modules", ".bin", name);

const steps: { name: string; cmd: string; args: string[]; env?: Record<string, string> }[] = [
  { name: "typecheck", cmd: bin("tsc"), args: ["--noEmit"] },
  { name: "lint", cmd: bin("eslint"), args: ["--max-warnings", "0", "."] },
  { name: "import cycles", cmd: "npm", args: ["run", "--silent", "check:cycles"] },
  { name: "unit + integration", cmd: bin("vitest"), args: ["run"] },
  { name: "production build", cmd: bin("next"), args: ["build"], env: { NEXT_TELEMETRY_DISABLED: "1" } },
  // CI=1: never reuse a stale server on the e2e ports.
  { name: "end-to-end", cmd: bin("playwright"), args: ["test"], env: { CI: "1" } },
];

function run(step: (typeof steps)[number]): Promise<number> {
  return new Promise((resolve) => {
    const child = spawn(step.cmd, step.args, { stdio: "inherit", env: { ...process.env, ...step.env } });
    child.on("exit", (code, signal) => resolve(code ?? (signal ? 1 : 0)));
  });
}

const only = process.argv.slice(2);
for (const step of steps) {
  if (only.length && !only.some((o) => step.name.startsWith(o))) continue;
  const started = Date.now();
  console.log(`\n▶ ${step.name}`);
  const code = await run(step);
  console.log(`${code === 0 ? "✔" : "✘"} ${step.name} (${((Date.now() - started) / 1000).toFixed(1)} s)`);
  if (code !== 0) process.exit(code);
}
