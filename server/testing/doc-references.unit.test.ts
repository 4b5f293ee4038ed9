// Comments and docs that name a file ("tested in server/db/rls.test.ts") or cite an ADR must point at
// something that exists: a moved or deleted file otherwise leaves the next reader a dead end.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { citedAdrNumbers, foldersOf, proseOf, referenceExists, referencesIn, referencesInText, UNCHECKED_FILES } from "./doc-references";
import { REPO_ROOT } from "./import-graph";
import { repoFiles } from "./repo-files";

const files = repoFiles();
const folders = foldersOf(files);

describe("file references in comments and docs", () => {
  it("every referenced path exists (globs and <placeholders> need one match)", () => {
    const broken = files
      .flatMap((f) => referencesIn(f))
      .filter((r) => !referenceExists(r.path, files, folders))
      .map((r) => `${r.file}:${r.line} ${r.path}`);
    expect(broken).toEqual([]);
  });

  it("finds references in comments only, and tells files, folders and patterns apart", () => {
    const sample = [
      "// see server/db/doors.ts and @/server/api/http.ts, or server/*/repository.ts, server/<domain>/",
      'const notAComment = "server/nowhere.ts";',
      "/* app/api/t/[tenant]/** and prisma/orm#27403 (an issue) and @prisma/adapter-pg (a package) */",
    ].join("\n");
    expect(proseOf("sample.ts", sample)).not.toContain("server/nowhere.ts");
    const refs = referencesInText("sample.ts", sample).map((r) => r.path);
    expect(refs).toEqual(["server/db/doors.ts", "server/api/http.ts", "server/*/repository.ts", "server/<domain>/", "app/api/t/[tenant]/**"]);
    expect(refs.every((r) => referenceExists(r, files, folders))).toBe(true);
    // A deliberate dead end is caught, as path and as pattern.
    expect(referenceExists("server/db/isolation.test.ts", files, folders)).toBe(false);
    expect(referenceExists("server/*/no-such-file.ts", files, folders)).toBe(false);
  });

  it("every cited ADR has its record under docs/adr/ (NNN-title.md)", () => {
    const records = new Set(files.filter((f) => /^docs\/adr\/\d{3}-[\w-]+\.md$/.test(f)).map((f) => Number(f.slice("docs/adr/".length, "docs/adr/".length + 3))));
    const cited = new Map<number, string>();
    for (const f of files) {
      if (UNCHECKED_FILES.test(f)) continue;
      const prose = proseOf(f, fs.readFileSync(path.join(REPO_ROOT, f), "utf8"));
      for (const n of prose === null ? [] : citedAdrNumbers(prose)) if (!cited.has(n)) cited.set(n, f);
    }
    expect(cited.size).toBeGreaterThan(0);
    const missing = [...cited].filter(([n]) => !records.has(n)).map(([n, f]) => `ADR ${n} (cited in ${f})`);
    expect(missing).toEqual([]);
  });
});
