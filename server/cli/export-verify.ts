// `npm run export:verify -- <export.gz> <manifest.json> [--jwks <file or URL>]`: verifies an audit
// export offline — the manifest's platform signature, the file's SHA-256 and size, every event's
// chain hash, and that consecutive events link (complete exports: from the retention base to the
// chain head the manifest names). Exit code 0 = valid, 1 = not valid, 2 = usage.
//
// --jwks: the platform's public keys, as a file or the URL GET /api/public/platform-keys of the
// console that made the export. Without it, this deployment's own platform key is used
// (PLATFORM_SIGNING_KEY, or the dev-only key in CREDO_DATA_DIR).
import { readFile } from "node:fs/promises";
import type { JSONWebKeySet } from "jose";
import { verifyExport } from "../audit/export/manifest";

function usage(): never {
  console.error("usage: npm run export:verify -- <export.gz> <manifest.json> [--jwks <file or URL>]");
  process.exit(2);
}

async function loadJwks(source: string | null): Promise<{ jwks: JSONWebKeySet; from: string }> {
  if (!source) {
    const { platformPublicJwks } = await import("../platform-keys");
    return { jwks: (await platformPublicJwks()) as JSONWebKeySet, from: "this deployment's platform key" };
  }
  const text = /^https?:\/\//.test(source) ? await (await fetch(source, { headers: { accept: "application/json" } })).text() : await readFile(source, "utf8");
  const parsed = JSON.parse(text) as JSONWebKeySet;
  if (!Array.isArray(parsed?.keys)) throw new Error(`${source} is not a JWKS ({"keys": […]}).`);
  return { jwks: parsed, from: source };
}

async function main(argv: string[]): Promise<number> {
  const positional: string[] = [];
  let jwksSource: string | null = null;
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    if (a === "--jwks") jwksSource = argv[++i] ?? usage();
    else if (a.startsWith("--jwks=")) jwksSource = a.slice("--jwks=".length);
    else if (a === "--help" || a === "-h") usage();
    else positional.push(a);
  }
  if (positional.length !== 2) usage();
  const [file, manifestFile] = positional as [string, string];
  const { jwks, from } = await loadJwks(jwksSource);
  const result = await verifyExport(file, await readFile(manifestFile, "utf8"), jwks);
  console.log(`export of ${result.tenant ?? "?"} (${result.format ?? "?"}), keys from ${from}`);
  for (const l of result.lines) console.log(`  ✓ ${l}`);
  for (const p of result.problems) console.log(`  ✗ ${p}`);
  console.log(result.ok ? "VALID" : "NOT VALID");
  return result.ok ? 0 : 1;
}

main(process.argv.slice(2)).then(
  (code) => process.exit(code),
  (e: unknown) => {
    console.error(e instanceof Error ? e.message : e);
    process.exit(2);
  },
);
