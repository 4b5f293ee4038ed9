import { defineConfig, devices } from "@playwright/test";
import { mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";

// Chromium: Playwright's bundled browser when installed (`npx playwright install chromium`), or the
// system's (Debian's /usr/bin/chromium) via CHROMIUM_PATH / auto-detection.
import { existsSync } from "node:fs";
const systemChromium = process.env.CHROMIUM_PATH ?? (existsSync("/usr/bin/chromium") ? "/usr/bin/chromium" : undefined);

// Overridable so two checkouts can run their suites side by side on one machine.
const PG_PORT = Number(process.env.E2E_PG_PORT ?? 3100);
const EMBEDDED_PORT = Number(process.env.E2E_EMBEDDED_PORT ?? 3101);
const EMBEDDED_DB_PORT = process.env.E2E_EMBEDDED_DB_PORT ?? "5498";
/** The SSO spec's own console and IdP (e2e/sso-server.ts). */
const SSO_PORT = Number(process.env.E2E_SSO_PORT ?? 3102);
const CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update", "--disable-sync", "--no-first-run", "--disable-quic"];
const embeddedDataDir = mkdtempSync(path.join(tmpdir(), "credo-e2e-embedded-"));

export default defineConfig({
  testDir: "e2e",
  timeout: 60_000,
  expect: { timeout: 10_000 },
  fullyParallel: false,
  workers: 1,
  retries: process.env.CI ? 1 : 0,
  reporter: [["list"]],
  use: {
    ...devices["Desktop Chrome"],
    trace: "retain-on-failure",
    launchOptions: {
      executablePath: systemChromium,
      args: CHROMIUM_ARGS,
    },
  },
  projects: [
    { name: "postgres", testIgnore: /(embedded|sso)\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${PG_PORT}` } },
    // Every flow runs on both stores: embedded PGlite differs (one shared session, superuser).
    { name: "embedded", testIgnore: /sso\.spec\.ts/, use: { baseURL: `http://127.0.0.1:${EMBEDDED_PORT}` } },
    // SSO through a real OpenID Provider at a public origin that is not localhost: the spec starts
    // its own console + IdP (e2e/sso-server.ts); Chromium resolves console.test to this machine.
    {
      name: "sso",
      testMatch: /sso\.spec\.ts/,
      use: {
        baseURL: `http://console.test:${SSO_PORT}`,
        launchOptions: {
          executablePath: systemChromium,
          args: [...CHROMIUM_ARGS, "--host-resolver-rules=MAP console.test 127.0.0.1"],
        },
      },
    },
  ],
  webServer: [
    {
      command: `node_modules/.bin/tsx server/cli/e2e-server.ts ${PG_PORT}`,
      url: `http://127.0.0.1:${PG_PORT}/signin`,
      timeout: 180_000,
      reuseExistingServer: !process.env.CI,
      stdout: "ignore",
      stderr: "pipe",
    },
    {
      // No DATABASE_URL: the app starts its own embedded PostgreSQL in a fresh temp folder.
      command: `node_modules/.bin/tsx server/cli/serve.ts start -p ${EMBEDDED_PORT}`,
      url: `http://127.0.0.1:${EMBEDDED_PORT}/signin`,
      timeout: 180_000,
      reuseExistingServer: !process.env.CI,
      stdout: "ignore",
      stderr: "pipe",
      env: { DATABASE_URL: "", CREDO_DATA_DIR: embeddedDataDir, CREDO_EMBEDDED_PORT: EMBEDDED_DB_PORT, REDIS_URL: "" },
    },
  ],
});
