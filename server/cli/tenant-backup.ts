// `npm run tenant:backup -- <slug> > backup.json`: the tenant's backup (credo.tenant-backup.v1,
// server/backup/) on stdout — signing keys as public metadata only (private keys leave only through
// the console, for a security admin with step-up). `npm run tenant:restore -- <slug> <file> [--dry-run]`:
// the dry run report, or the import (one transaction; refused on any conflict), as JSON on stdout.
//
// Both go through the app's doors (the tenant's RLS-scoped transaction), never the owner connection,
// and are recorded in the tenant's audit trail AND the platform audit stream with the actor
// "cli:tenant:backup" / "cli:tenant:restore" (who ran it is whoever holds the database credentials).
import { readFile } from "node:fs/promises";
import { runCli } from "./run-cli";
import { inTenant, onPlatform } from "../db/doors";
import { auditorFor, type AuditActor } from "../audit/record";
import { recordPlatformAudit } from "../audit/platform-record";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import { buildTenantBackup } from "../backup/export";
import { applyImport, planImport } from "../backup/import";
import { backupDocument } from "../backup/document";
import { AppError } from "../isomorphic/errors";

const USAGE = "usage: npm run tenant:backup -- <slug> > backup.json\n       npm run tenant:restore -- <slug> <backup.json> [--dry-run]";

async function tenantBySlug(slug: string) {
  const t = await onPlatform((db) => db.tenant.findUnique({ where: { slug }, select: { id: true, slug: true, name: true, status: true } }));
  if (!t || t.status === "deleted") {
    console.error(`No tenant ${slug}.`);
    return null;
  }
  return { ...t, id: tenantIdFromDatabase(t.id) };
}

async function backup(slug: string): Promise<number> {
  const t = await tenantBySlug(slug);
  if (!t) return 1;
  const actor: AuditActor = { type: "system", id: null, label: "cli:tenant:backup" };
  const doc = await inTenant(t.id, async (scope) => {
    const d = await buildTenantBackup(scope, t);
    await auditorFor(scope, actor, null).record({ action: "backup.exported", targetType: "tenant", targetId: t.id, after: { privateKeys: false, via: "cli" } });
    return d;
  });
  await onPlatform((db) => recordPlatformAudit(db, actor, null, { action: "tenant.backup_exported", targetType: "tenant", targetId: t.id, tenantId: t.id, details: { slug: t.slug } }));
  process.stdout.write(`${JSON.stringify(doc, null, 2)}\n`);
  return 0;
}

async function restore(slug: string, file: string, dryRun: boolean): Promise<number> {
  const t = await tenantBySlug(slug);
  if (!t) return 1;
  if (t.status !== "active") {
    console.error(`Tenant ${slug} is ${t.status}: restore only into an active, empty tenant.`);
    return 1;
  }
  let raw: unknown;
  try {
    raw = JSON.parse(await readFile(file, "utf8"));
  } catch (e) {
    console.error(`${file}: not readable JSON (${(e as Error).message}).`);
    return 1;
  }
  const parsed = backupDocument.safeParse(raw);
  if (!parsed.success) {
    for (const i of parsed.error.issues.slice(0, 20)) console.error(`${i.path.join(".") || "(document)"}: ${i.message}`);
    return 1;
  }
  const actor: AuditActor = { type: "system", id: null, label: "cli:tenant:restore" };
  try {
    const plan = await inTenant(t.id, (scope) => (dryRun ? planImport(scope, parsed.data) : applyImport(scope, auditorFor(scope, actor, null), actor, parsed.data)));
    if (!dryRun) {
      await onPlatform((db) =>
        recordPlatformAudit(db, actor, null, { action: "tenant.backup_restored", targetType: "tenant", targetId: t.id, tenantId: t.id, details: { slug: t.slug, source: parsed.data.tenant.slug, clients: plan.creates.clients.length } }),
      );
    }
    process.stdout.write(`${JSON.stringify(plan, null, 2)}\n`);
    return plan.ok ? 0 : 1;
  } catch (e) {
    if (e instanceof AppError) {
      console.error(e.message);
      return 1;
    }
    throw e;
  }
}

await runCli(async (args) => {
  // The npm scripts pass the mode first: `tenant-backup.ts backup <slug>`, `tenant-backup.ts restore <slug> <file>`.
  const [mode, ...rest] = args;
  const positional = rest.filter((a) => !a.startsWith("--"));
  if (mode === "backup" && positional.length === 1) return backup(positional[0]!);
  if (mode === "restore" && positional.length === 2) return restore(positional[0]!, positional[1]!, rest.includes("--dry-run"));
  console.error(USAGE);
  return 2;
});
