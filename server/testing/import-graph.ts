// The repository's static import graph, read with the TypeScript parser (no bundler, no execution).
// Used by structure checks: which modules a test file can load decides whether it may run in the
// `unit` vitest project (no database), see server/testing/unit-project.unit.test.ts.
import fs from "node:fs";
import path from "node:path";
import ts from "typescript";

export const REPO_ROOT = path.resolve(import.meta.dirname, "../..");

const EXTENSIONS = [".ts", ".tsx", ".mts", ".mjs", ".js"];

/** A repo-relative file path for a local import specifier, or null for a package or an unresolved path. */
export function resolveImport(fromFile: string, specifier: string): string | null {
  let base: string;
  if (specifier.startsWith("@/")) base = specifier.slice(2);
  else if (specifier.startsWith("./") || specifier.startsWith("../")) base = path.posix.join(path.posix.dirname(fromFile), specifier);
  else return null;
  base = path.posix.normalize(base);
  const candidates = [base, ...EXTENSIONS.map((e) => base + e), ...EXTENSIONS.map((e) => `${base}/index${e}`)];
  for (const c of candidates) {
    const abs = path.join(REPO_ROOT, c);
    if (fs.existsSync(abs) && fs.statSync(abs).isFile()) return c;
  }
  return null;
}

/**
 * The specifiers a module loads at run time: static imports and re-exports (type-only ones are
 * erased by the compiler, so they load nothing) and `import("…")` calls with a literal argument.
 */
export function runtimeImports(file: string): string[] {
  let found = importsCache.get(file);
  if (!found) importsCache.set(file, (found = parseRuntimeImports(file)));
  return found;
}

const importsCache = new Map<string, string[]>();

function parseRuntimeImports(file: string): string[] {
  const text = fs.readFileSync(path.join(REPO_ROOT, file), "utf8");
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, false, file.endsWith("x") ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: string[] = [];
  const visit = (node: ts.Node) => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier) && !node.importClause?.isTypeOnly) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isExportDeclaration(node) && node.moduleSpecifier && ts.isStringLiteral(node.moduleSpecifier) && !node.isTypeOnly) {
      found.push(node.moduleSpecifier.text);
    } else if (ts.isCallExpression(node) && node.expression.kind === ts.SyntaxKind.ImportKeyword && node.arguments[0] && ts.isStringLiteralLike(node.arguments[0])) {
      found.push(node.arguments[0].text);
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

/** Every local file `entry` loads, directly or transitively, with the chain that reaches it first. */
export function reachableFrom(entry: string): Map<string, string[]> {
  const chains = new Map<string, string[]>([[entry, [entry]]]);
  const queue = [entry];
  while (queue.length) {
    const file = queue.shift()!;
    for (const spec of runtimeImports(file)) {
      const target = resolveImport(file, spec);
      if (!target || chains.has(target) || !/\.(ts|tsx|mts)$/.test(target)) continue;
      chains.set(target, [...chains.get(file)!, target]);
      queue.push(target);
    }
  }
  return chains;
}
