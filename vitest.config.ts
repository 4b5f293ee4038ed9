import { defineConfig } from "vitest/config";

// Unit and integration tests. Integration tests run on the REAL PostgreSQL server (a fresh database
// per run, created and migrated by server/testing/global-setup.ts) and real Redis: on embedded PGlite
// every connection is a superuser, which would hide a forgotten tenant scope.
export default defineConfig({
  resolve: { alias: { "@": import.meta.dirname } },
  test: {
    include: ["server/**/*.test.ts"],
    globalSetup: ["server/testing/global-setup.ts"],
    setupFiles: ["server/testing/setup-env.ts"],
    testTimeout: 60_000,
    hookTimeout: 180_000,
    fileParallelism: false,
    pool: "forks",
    // next-auth imports "next/server" without an extension, which only Next's bundler resolves.
    server: { deps: { inline: ["next-auth"] } },
  },
});
