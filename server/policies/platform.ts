// The global defaults' level of the policy operations (server/policies/service.ts), for security
// admins: the level every tenant inherits from. Its versions live in a platform table, written in a
// platform transaction together with their platform audit event. A change of regulated mode reaches
// every tenant that does not set it itself: turning it on is refused while any of them has clients
// that break its rules, and each of them gets the change in its own audit trail.
import type { AuditActor, RequestMeta } from "../audit/record";
import { recordAudit } from "../audit/record";
import { recordPlatformAudit } from "../audit/platform-record";
import { enterTenant, inTenant, onPlatform, type Db } from "../db/doors";
import { tenantIdFromDatabase } from "../tenancy/tenant-id";
import { regulatedModeConflicts } from "../clients/service";
import { allTenants } from "../tenancy/tenant-sweep";
import { invalidateRateLimitConfig } from "../ratelimit/config";
import { logger } from "../observability/logger";
import { globalVersionHistory, latestGlobalVersion, latestTenantVersion, TENANT_SCOPE_KEY } from "./repository";
import type { Committed } from "./commit";
import { diffDocuments, validateOverrides } from "../isomorphic/policies/document";
import { resolvePolicy, valuesOf } from "./resolve";
import { authorOf, type PolicyChange, type PolicyLevel } from "./service";
import { regulatedConflictError } from "./tenant-level";

/**
 * Turning regulated mode on globally switches it on for every tenant that does not set it
 * itself: refused while any such tenant has clients that break the rules (listed by tenant).
 * Runs before the save's own transaction — one tenant transaction at a time, never nested.
 */
async function globalRegulatedPrecheck(document: unknown): Promise<void> {
  const checked = validateOverrides(document, "global");
  if (!checked.ok) return; // commitVersion reports the problems
  const latest = await onPlatform((db) => latestGlobalVersion(db));
  const before = valuesOf(resolvePolicy({ global: latest?.document }));
  const after = valuesOf(resolvePolicy({ global: checked.document }));
  if (before.regulated.enabled || !after.regulated.enabled) return;
  const conflicts: string[] = [];
  for await (const t of allTenants()) {
    if (t.status === "pending_deletion") continue;
    const found = await inTenant(t.id, async (scope) => {
      const own = (await latestTenantVersion(scope, TENANT_SCOPE_KEY))?.document.regulated;
      if (own && Object.hasOwn(own, "enabled")) return [];
      return regulatedModeConflicts(scope);
    });
    conflicts.push(...found.map((c) => `${t.slug}: ${c}`));
  }
  if (conflicts.length) throw regulatedConflictError(conflicts);
}

/** Tenants visited per query while recording an inherited regulated-mode change. */
const INHERITED_CHANGE_BATCH = 200;

/**
 * A global save that switches regulated mode switches it for every tenant that does not set it
 * itself: each of those gets the event in its own trail ("inherited from global"), in the SAME
 * transaction as the global save — both commit or neither. The tenants are read in keyset batches
 * (bounded memory); each one is entered with its own scope, so RLS applies to its rows. Tenants
 * being purged (their chain is sealed) and deleted tombstones are skipped.
 */
async function recordInheritedRegulatedChange(db: Db, actor: AuditActor, change: { from: boolean; to: boolean; globalVersion: number }): Promise<number> {
  let after: string | null = null;
  let recorded = 0;
  for (;;) {
    const batch: { id: string }[] = await db.tenant.findMany({
      where: { status: { not: "deleted" }, ...(after ? { id: { gt: after } } : {}) },
      orderBy: { id: "asc" },
      take: INHERITED_CHANGE_BATCH,
      select: { id: true },
    });
    for (const t of batch) {
      const scope = await enterTenant(db, tenantIdFromDatabase(t.id));
      const own = (await latestTenantVersion(scope, TENANT_SCOPE_KEY))?.document.regulated;
      const pinned = own !== undefined && typeof (own as Record<string, unknown>).enabled === "boolean";
      const purging = await scope.db.tenantDeletion.count({ where: { targetTenantId: scope.tenantId, status: "purging" } });
      if (!pinned && purging === 0) {
        await recordAudit(scope, actor, null, {
          action: change.to ? "policy.regulated_mode_on" : "policy.regulated_mode_off",
          targetType: "tenant_policy",
          before: { regulatedMode: change.from },
          after: { regulatedMode: change.to, inherited: "global", globalVersion: change.globalVersion },
        });
        recorded++;
      }
    }
    await db.$queryRaw`SELECT set_config('app.tenant_id', '', true)`;
    if (batch.length < INHERITED_CHANGE_BATCH) return recorded;
    after = batch[batch.length - 1]!.id;
  }
}

/** The global defaults, changed by `actor` (a security admin) in the request `meta`. */
export function globalPolicyLevel(actor: AuditActor, meta: RequestMeta | null = null): PolicyLevel {
  const author = authorOf(actor);
  return {
    level: "global",
    workspace: null,
    author,
    resetsTo: "the default",
    transaction: (work) =>
      onPlatform((db) =>
        work({
          history: globalVersionHistory(db),
          // The version and its platform audit event commit together (or not at all).
          record: async (change: PolicyChange, c: Committed) => {
            await recordPlatformAudit(db, actor, meta, {
              action: `global_policy.${change}`,
              targetType: "global_policy",
              targetId: String(c.saved.version),
              details: {
                version: c.saved.version,
                previousVersion: c.previous?.version ?? 0,
                comment: c.saved.comment,
                changes: diffDocuments(c.previous?.document ?? {}, c.saved.document),
              },
            });
            const was = c.before.sections.regulated.enabled.value;
            const now = c.after.sections.regulated.enabled.value;
            if (was !== now) await recordInheritedRegulatedChange(db, actor, { from: was, to: now, globalVersion: c.saved.version });
          },
        }),
      ),
    precheck: globalRegulatedPrecheck,
    afterCommit: (change, c) => {
      invalidateRateLimitConfig(); // every tenant inherits the global limits
      // Also a log line for operations (the platform audit stream is the record).
      // The author by id only (the label is an e-mail address).
      logger.info(
        {
          action: `global_policy.${change}`,
          version: c.saved.version,
          previousVersion: c.previous?.version ?? 0,
          authorId: author.id,
          comment: c.saved.comment,
          changes: diffDocuments(c.previous?.document ?? {}, c.saved.document),
        },
        "global policy saved",
      );
    },
  };
}
