// The `unit` vitest project (files named *.unit.test.ts, vitest.config.ts) runs without PostgreSQL,
// Redis or the global setup. A unit test that loaded the database layer would pass only where a
// database happens to be configured, so this check fails as soon as one can reach it.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { reachableFrom, REPO_ROOT, resolveImport, runtimeImports } from "./import-graph";
import { repoFiles } from "./repo-files";

/** Modules that open or need a database or Redis connection, or the db project's setup. */
const FORBIDDEN_MODULES = [/^server\/db\//, /^server\/redis\.ts$/, /^server\/testing\/(global-setup|setup-env|fixtures)\.ts$/];
/** Drivers a unit test has no business loading, even without the project's own modules. */
const FORBIDDEN_PACKAGES = ["pg", "ioredis", "@prisma/client", "@prisma/adapter-pg", "@electric-sql/pglite", "graphile-worker"];

const INJECT_FROM_VITEST = /import\s*\{[^}]*\binject\b[^}]*\}\s*from\s*["']vitest["']/;

/** Why `testFile` can't run in the unit project: one line per forbidden module or package it reaches. */
export function unitViolations(testFile: string): string[] {
  const out: string[] = [];
  for (const [file, chain] of reachableFrom(testFile)) {
    if (FORBIDDEN_MODULES.some((re) => re.test(file))) out.push(chain.join(" → "));
    for (const spec of runtimeImports(file)) {
      if (resolveImport(file, spec)) continue;
      const pkg = spec.startsWith("@") ? spec.split("/").slice(0, 2).join("/") : spec.split("/")[0]!;
      if (FORBIDDEN_PACKAGES.includes(pkg)) out.push([...chain, pkg].join(" → "));
    }
    // vitest's inject hands out the db project's database URLs (server/testing/global-setup.ts).
    if (INJECT_FROM_VITEST.test(fs.readFileSync(path.join(REPO_ROOT, file), "utf8"))) out.push(`${chain.join(" → ")} imports inject`);
  }
  return out;
}

const unitTests = repoFiles().filter((f) => f.endsWith(".unit.test.ts"));

describe("unit project", () => {
  it("has test files (the naming rule is in use)", () => {
    expect(unitTests.length).toBeGreaterThan(0);
  });

  it.each(unitTests)("%s reaches no database, Redis or db-project setup", (file) => {
    expect(unitViolations(file)).toEqual([]);
  });

  it("the check catches a database test (a deliberate violation)", () => {
    expect(unitViolations("server/db/rls.test.ts").length).toBeGreaterThan(0);
    expect(unitViolations("server/ratelimit/sliding-window.test.ts").join("\n")).toContain("server/redis.ts");
    expect(unitViolations("server/signing-keys/lifecycle.test.ts").join("\n")).toContain("server/testing/signing-keys.ts imports inject");
  });

  it("every test file is one vitest picks up: *.test.ts (Playwright specs live in e2e/ as *.spec.ts)", () => {
    const strays = repoFiles().filter((f) => /\.(test|spec)\.(tsx?|mts|js|mjs)$/.test(f) && !f.endsWith(".test.ts") && !f.startsWith("e2e/"));
    expect(strays).toEqual([]);
  });
});
