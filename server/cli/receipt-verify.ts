// `npm run receipt:verify -- <receipt.json> [--jwks <file or URL>]`: verifies a tenant deletion
// receipt (server/deletion/receipt.ts) — its platform signature (EdDSA, detached JWS over the
// receipt's canonical JSON) against a public JWKS: the given file or URL (e.g.
// https://console.example/api/public/platform-keys), or by default this deployment's own key.
// Exit code 0 = valid, 1 = invalid or unreadable, 2 = usage.
import { readFileSync } from "node:fs";
import type { JSONWebKeySet } from "jose";
import { verifyReceipt } from "../deletion/receipt";

async function loadJwks(source: string): Promise<JSONWebKeySet> {
  const text = /^https?:\/\//.test(source) ? await (await fetch(source)).text() : readFileSync(source, "utf8");
  const parsed = JSON.parse(text) as JSONWebKeySet;
  if (!Array.isArray(parsed?.keys)) throw new Error(`${source} is not a JWKS ({"keys": […]}).`);
  return parsed;
}

async function main(): Promise<number> {
  const args = process.argv.slice(2).filter((a) => a !== "--");
  const jwksAt = args.indexOf("--jwks");
  const jwksSource = jwksAt >= 0 ? args[jwksAt + 1] : undefined;
  const file = args.find((a, i) => !a.startsWith("--") && (jwksAt < 0 || i !== jwksAt + 1));
  if (!file || (jwksAt >= 0 && !jwksSource)) {
    console.error("usage: npm run receipt:verify -- <receipt.json> [--jwks <file or URL>]");
    return 2;
  }
  try {
    const content = JSON.parse(readFileSync(file, "utf8")) as unknown;
    const { receipt, kid } = await verifyReceipt(content, jwksSource ? await loadJwks(jwksSource) : undefined);
    const deleted = Object.entries(receipt.deleted).filter(([, n]) => n > 0).map(([k, n]) => `${k} ${n}`).join(", ");
    console.log(`VALID deletion receipt, signed by platform key ${kid}`);
    console.log(`  tenant      ${receipt.tenant.slug} (${receipt.tenant.id})`);
    console.log(`  requested   ${receipt.requested.at} by user ${receipt.requested.byUserId ?? "unknown"}; grace ${receipt.grace.days} days`);
    console.log(`  purged      ${receipt.purge.startedAt} → ${receipt.purge.completedAt}`);
    console.log(`  deleted     ${deleted || "nothing"}`);
    console.log(`  audit chain sealed at seq ${receipt.auditChain.seq}, head ${receipt.auditChain.headHash}`);
    return 0;
  } catch (e) {
    console.error(`INVALID: ${e instanceof Error ? e.message : String(e)}`);
    return 1;
  }
}

process.exit(await main());
