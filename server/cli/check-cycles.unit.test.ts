// `npm run check:cycles` (.dependency-cruiser.cjs) fails on a deliberate cycle of each kind it must
// see — a type-only cycle through the `@/*` path alias and one through a dynamic import (the shape of
// the old jobs cycle: queue → all tasks → a task → queue) — and passes an acyclic graph.
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, describe, expect, it } from "vitest";

const root = process.cwd();
const dir = mkdtempSync(path.join(tmpdir(), "credo-cycles-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const files: Record<string, string> = {
  "tsconfig.json": JSON.stringify({ compilerOptions: { module: "esnext", moduleResolution: "bundler", paths: { "@/*": ["./*"] } } }),
  "type-a.ts": `import type { B } from "./type-b";\nexport interface A { b?: B }\n`,
  "type-b.ts": `import type { A } from "@/type-a";\nexport interface B { a?: A }\n`,
  "queue.ts": `export async function tasks() { return (await import("./task")).task; }\n`,
  "task.ts": `import { tasks } from "./queue";\nexport const task = tasks;\n`,
  "upper.ts": `import { lower } from "./lower";\nexport const upper = lower + 1;\n`,
  "lower.ts": `export const lower = 1;\n`,
};

describe("the import cycle check", () => {
  it("reports type-only and dynamic-import cycles, and nothing in an acyclic graph", () => {
    for (const [name, text] of Object.entries(files)) writeFileSync(path.join(dir, name), text);
    // As `npm run check:cycles` runs it: the exit status fails `npm test`, the text names the cycles.
    const r = spawnSync(path.join(root, "node_modules", ".bin", "depcruise"), [".", "--config", path.join(root, ".dependency-cruiser.cjs"), "--output-type", "err"], {
      cwd: dir,
      encoding: "utf8",
    });
    expect(r.status).not.toBe(0);
    const reported = r.stdout.split("error no-circular:").slice(1).map((block) => block.split("\n\n")[0]!);
    expect(reported.some((c) => c.includes("type-a.ts") && c.includes("type-b.ts"))).toBe(true);
    expect(reported.some((c) => c.includes("queue.ts") && c.includes("task.ts"))).toBe(true);
    expect(r.stdout).not.toContain("upper.ts");
    expect(r.stdout).not.toContain("lower.ts");
  });
});
