// The folder tree in README.md's "Architecture" section is the map a newcomer reads first: every
// entry in it must exist, and every top-level folder and every folder of server/ must appear in it, so
// a move or a new folder that is not reflected there fails the suite.
import fs from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { foldersOf, referenceExists } from "./doc-references";
import { REPO_ROOT } from "./import-graph";
import { repoFiles } from "./repo-files";

/**
 * The repo paths a tree block lists. Each line is "<indent><entry>  <description>"; an entry indented
 * deeper than the folder line above it (an entry ending in "/") is relative to that folder.
 */
const DESCRIPTION_COLUMN = 25;

export function treeEntries(block: string): string[] {
  const parents: { indent: number; path: string }[] = [];
  const out: string[] = [];
  for (const line of block.split("\n")) {
    const m = /^( *)(\S+)/.exec(line);
    if (!m) continue;
    const indent = m[1]!.length;
    // A description that wraps continues in the description column (25): not an entry.
    if (indent >= DESCRIPTION_COLUMN) continue;
    const entry = m[2]!;
    while (parents.length && parents.at(-1)!.indent >= indent) parents.pop();
    const full = (parents.at(-1)?.path ?? "") + entry;
    out.push(full);
    if (entry.endsWith("/")) parents.push({ indent, path: full });
  }
  return out;
}

/** The first fenced block after the "## Architecture" heading. */
export function architectureTree(readme: string): string {
  const section = readme.slice(readme.indexOf("\n## Architecture"));
  const m = /\n```[^\n]*\n([\s\S]*?)\n```/.exec(section);
  if (!m) throw new Error('README.md: no folder tree under "## Architecture"');
  return m[1]!;
}

describe("README architecture tree", () => {
  const files = repoFiles();
  const folders = foldersOf(files);
  const tree = architectureTree(fs.readFileSync(path.join(REPO_ROOT, "README.md"), "utf8"));

  it("reads nested entries as paths", () => {
    expect(treeEntries("server/\n  db/doors.ts   the door\n  <domain>/     per domain\n    service.ts  rules\nprisma/  schema")).toEqual([
      "server/",
      "server/db/doors.ts",
      "server/<domain>/",
      "server/<domain>/service.ts",
      "prisma/",
    ]);
  });

  it("lists only paths that exist (patterns like api/routers/*.ts need one match)", () => {
    const entries = treeEntries(tree);
    expect(entries.length).toBeGreaterThan(10);
    expect(entries.filter((e) => !referenceExists(e, files, folders))).toEqual([]);
  });

  it("shows every top-level folder and every folder of server/", () => {
    const entries = treeEntries(tree);
    const shown = (folder: string) => entries.some((e) => e === `${folder}/` || e.startsWith(`${folder}/`));
    const expected = [...folders].filter((f) => (!f.includes("/") && !f.startsWith(".")) || /^server\/[^/]+$/.test(f));
    expect(expected.filter((f) => !shown(f))).toEqual([]);
  });
});
