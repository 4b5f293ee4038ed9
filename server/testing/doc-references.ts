// File references in comments and docs ("see server/db/doors.ts", "ADR-003"), found without running
// anything, and whether they point at something that exists. Read by
// server/testing/doc-references.unit.test.ts.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";
import { REPO_ROOT } from "./import-graph";

/** The top-level folders a reference starts with. */
const ROOTS = ["server", "app", "components", "e2e", "prisma", "docs", "public"];

// A path: one of ROOTS, then path characters (Next.js folders like [tenant] and (platform), globs like
// * and **, placeholders like <domain> and {a,b}). Not part of a longer path, URL or package name (no
// / . - @ or word character before it; "@prisma/adapter-pg" is a package), not a GitHub issue
// ("prisma/orm#27403"); an optional "@/" alias prefix is allowed.
const PATH_CHARS = "[\\w\\-.\\[\\]()@*<>{},/…]";
const PATH_RE = new RegExp(`(?<![\\w/.\\-@])(?:@/)?((?:${ROOTS.join("|")})/${PATH_CHARS}*)(?!${PATH_CHARS}*#)`, "g");

/**
 * Files whose references are not checked: applied migrations are immutable history (editing one
 * changes its checksum, which `prisma migrate` refuses on databases that ran it), so their comments
 * keep the paths of their day.
 */
export const UNCHECKED_FILES = /^prisma\/migrations\//;

export interface Reference {
  file: string;
  line: number;
  path: string;
}

/** The comment text of a TypeScript/JavaScript file, other characters blanked (line numbers kept). */
function commentsOfScript(file: string, text: string): string {
  const kind = file.endsWith("x") ? ts.ScriptKind.TSX : file.endsWith(".ts") || file.endsWith(".mts") ? ts.ScriptKind.TS : ts.ScriptKind.JS;
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true, kind);
  const ranges = new Map<number, number>();
  const keep = (pos: number, end: number) => void ranges.set(pos, end);
  const visit = (node: ts.Node) => {
    ts.forEachLeadingCommentRange(text, node.getFullStart(), keep);
    ts.forEachTrailingCommentRange(text, node.getEnd(), keep);
    ts.forEachChild(node, visit);
  };
  visit(source);
  ts.forEachLeadingCommentRange(text, source.getEnd(), keep);
  const blank = (code: string) => code.replace(/[^\n]/g, " ");
  let out = "";
  let at = 0;
  for (const [pos, end] of [...ranges].sort((a, b) => a[0] - b[0])) {
    if (pos < at) continue;
    out += blank(text.slice(at, pos)) + text.slice(pos, end);
    at = end;
  }
  return out + blank(text.slice(at));
}

/** The comment text of a SQL or Prisma schema file (`--`, `//`, `///` to the end of the line). */
function commentsOfLines(text: string): string {
  return text
    .split("\n")
    .map((l) => {
      const at = l.search(/--|\/\//);
      return at < 0 ? "" : " ".repeat(at) + l.slice(at);
    })
    .join("\n");
}

/** Where a file's prose lives: comments for code, the whole text for markdown; null: not scanned. */
export function proseOf(file: string, text: string): string | null {
  const cached = proseCache.get(file);
  if (cached?.text === text) return cached.prose;
  const prose = readProse(file, text);
  proseCache.set(file, { text, prose });
  return prose;
}

const proseCache = new Map<string, { text: string; prose: string | null }>();

function readProse(file: string, text: string): string | null {
  if (/\.(ts|tsx|mts|mjs|js|cjs)$/.test(file)) return commentsOfScript(file, text);
  if (/\.(sql|prisma)$/.test(file)) return commentsOfLines(text);
  if (file.endsWith(".md")) return text;
  return null;
}

/** Trims what belongs to the sentence, not the path: a final dot/comma/colon, an unmatched ")". */
function trimPath(p: string): string {
  let out = p.replace(/[.,:;]+$/, "");
  while (out.endsWith(")") && (out.match(/\(/g)?.length ?? 0) < (out.match(/\)/g)?.length ?? 0)) out = out.slice(0, -1).replace(/[.,:;]+$/, "");
  return out;
}

export function referencesIn(file: string): Reference[] {
  if (UNCHECKED_FILES.test(file)) return [];
  return referencesInText(file, fs.readFileSync(path.join(REPO_ROOT, file), "utf8"));
}

/** The references in `text`, read as the prose of a file named `file` (comments of code, all of markdown). */
export function referencesInText(file: string, text: string): Reference[] {
  const prose = proseOf(file, text);
  if (prose === null) return [];
  const out: Reference[] = [];
  prose.split("\n").forEach((lineText, i) => {
    for (const m of lineText.matchAll(PATH_RE)) {
      const p = trimPath(m[1]!);
      if (p.split("/").filter(Boolean).length < 2) continue; // "server/" alone names a root, not a reference
      out.push({ file, line: i + 1, path: p });
    }
  });
  return out;
}

const isPattern = (p: string) => /[*<>{}…]/.test(p);

/** A pattern reference (`server/*\/inputs.ts`, `server/<domain>/`) as a regular expression over repo paths. */
function patternRegex(p: string): RegExp {
  let re = "";
  for (let i = 0; i < p.length; i++) {
    const c = p[i]!;
    if (p.startsWith("**", i)) {
      re += ".*";
      i++;
    } else if (c === "*" || c === "…") re += "[^/]*";
    else if (c === "<") {
      const end = p.indexOf(">", i);
      re += "[^/]+";
      i = end < 0 ? p.length : end;
    } else if (c === "{") {
      const end = p.indexOf("}", i);
      re += "[^/]*";
      i = end < 0 ? p.length : end;
    } else re += c.replace(/[.+?^$()|[\]\\]/g, "\\$&");
  }
  return new RegExp(`^${re.replace(/\/$/, "")}(/|$)`);
}

const EXTENSIONS = ["", ".ts", ".tsx", ".mjs", ".js", ".md", "/index.ts"];

/**
 * Whether `ref` names a file or folder of `files` (repo-relative paths) — or, for generated and
 * ignored output such as server/db/generated, one on disk; patterns need one match.
 */
export function referenceExists(ref: string, files: readonly string[], folders: ReadonlySet<string>): boolean {
  if (isPattern(ref)) {
    const re = patternRegex(ref);
    return files.some((f) => re.test(f));
  }
  const p = ref.replace(/\/$/, "");
  const fileSet = new Set(files);
  return EXTENSIONS.some((e) => fileSet.has(p + e)) || folders.has(p) || fs.existsSync(path.join(REPO_ROOT, p));
}

/** Every folder that holds at least one of `files`. */
export function foldersOf(files: readonly string[]): Set<string> {
  const out = new Set<string>();
  for (const f of files) {
    const parts = f.split("/");
    for (let i = 1; i < parts.length; i++) out.add(parts.slice(0, i).join("/"));
  }
  return out;
}

/** ADR numbers a text cites, in any of the spellings used ("ADR-003", "ADR 001", "ADR 0006"). */
export function citedAdrNumbers(text: string): number[] {
  return [...text.matchAll(/\bADR[- ]?(\d{1,4})\b/g)].map((m) => Number(m[1]));
}
