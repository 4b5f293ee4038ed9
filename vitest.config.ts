import { configDefaults, defineConfig } from "vitest/config";

// Two projects, one run (`npm test`, `npx vitest run`):
// - unit: files named *.unit.test.ts. No database, no Redis, no global setup: pure modules only, so
//   `npm run test:unit` runs anywhere in seconds. server/testing/unit-project.unit.test.ts fails when
//   such a file loads the database layer or Redis.
// - db: every other *.test.ts. Integration tests on the REAL PostgreSQL server (a fresh database per
//   run, created and migrated by server/testing/global-setup.ts) and real Redis: on embedded PGlite
//   every connection is a superuser, which would hide a forgotten tenant scope.
// A new test file lands in `db` unless it is named for `unit`, so no file runs without what it needs.
export const UNIT_TEST_PATTERN = "**/*.unit.test.ts";
export const ALL_TEST_PATTERN = "**/*.test.ts";

export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    testTimeout: 60_000,
    hookTimeout: 180_000,
    pool: "forks",
    // next-auth imports "next/server" without an extension, which only Next's bundler resolves.
    server: { deps: { inline: ["next-auth"] } },
    projects: [
      {
        extends: true,
        test: { name: "unit", include: [UNIT_TEST_PATTERN] },
      },
      {
        extends: true,
        test: {
          name: "db",
          include: [ALL_TEST_PATTERN],
          exclude: [...configDefaults.exclude, UNIT_TEST_PATTERN],
          globalSetup: ["server/testing/global-setup.ts"],
          setupFiles: ["server/testing/setup-env.ts"],
          // The files share one database and one Redis: one file at a time.
          fileParallelism: false,
        },
      },
    ],
  },
});
