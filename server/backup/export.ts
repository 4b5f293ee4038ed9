// The tenant backup export (credo.tenant-backup.v1, server/backup/document.ts): settings, members and
// support grants, workspaces, every policy version (tenant and workspace scopes; rate limits are the
// policy's rateLimits section), OAuth clients with their URIs, signing keys' public metadata — and,
// only when a security admin asks with a recipient key, each live key's private JWK as a JWE.
// Reads go through the request's TenantScope (RLS + tenant filter): only this tenant's rows exist here.
// Selected columns are explicit: secret hashes (client secrets, API keys) are never read.
import type { TenantScope } from "../db/doors";
import type { TenantContext } from "../tenancy/context";
import { asDocument } from "../isomorphic/policies/document";
import { TENANT_SCOPE_KEY } from "../policies/repository";
import { publicMembersOnly } from "../signing-keys/jose";
import { BACKUP_FORMAT, type BackupDocument } from "./document";
import { wrapForRecipient, type Recipient } from "./private-keys";
import { backupClients, backupMembers, backupPolicyVersions, backupSigningKeys, backupWorkspaces } from "./repository";

const iso = (d: Date) => d.toISOString();
const isoOrNull = (d: Date | null) => (d ? d.toISOString() : null);

type PolicyRow = { scope: string; workspaceId: string | null; version: number; document: unknown; authorLabel: string; comment: string; createdAt: Date };

function versionOf(r: PolicyRow) {
  return { version: r.version, document: asDocument(r.document) as Record<string, unknown>, authorLabel: r.authorLabel, comment: r.comment, createdAt: iso(r.createdAt) };
}

/** The tenant's members with the e-mail they are known by (the import maps them back by e-mail). */
export async function collectMembers(scope: TenantScope) {
  const rows = await backupMembers(scope);
  return rows
    .filter((m): m is typeof m & { role: "owner" | "support" } => m.role === "owner" || m.role === "support")
    .map((m) => ({ email: m.user.email, name: m.user.name, role: m.role, expiresAt: isoOrNull(m.expiresAt) }));
}

/**
 * The backup document. `recipient`: export private keys encrypted to it (the caller has checked
 * that a security admin with step-up asked for it).
 */
export async function buildTenantBackup(scope: TenantScope, tenant: Pick<TenantContext, "slug" | "name">, opts: { recipient?: Recipient | null; now?: Date } = {}): Promise<BackupDocument> {
  const [members, workspaces, versions, clients, keys] = await Promise.all([
    collectMembers(scope),
    backupWorkspaces(scope),
    backupPolicyVersions(scope),
    backupClients(scope),
    backupSigningKeys(scope),
  ]);
  const recipient = opts.recipient ?? null;
  const signingKeys: BackupDocument["signingKeys"] = [];
  for (const k of keys) {
    // Revoked keys never sign again, and keys restored as public metadata only have nothing to give.
    const exportable = recipient && k.state !== "revoked" && k.privateKeyCiphertext.length > 0;
    signingKeys.push({
      kid: k.kid,
      alg: k.alg as BackupDocument["signingKeys"][number]["alg"],
      state: k.state as BackupDocument["signingKeys"][number]["state"],
      publicJwk: { ...publicMembersOnly(k.publicJwk as Record<string, unknown>) },
      createdAt: iso(k.createdAt),
      activatedAt: isoOrNull(k.activatedAt),
      retiredAt: isoOrNull(k.retiredAt),
      revokedAt: isoOrNull(k.revokedAt),
      ...(exportable ? { privateKeyJwe: await wrapForRecipient(scope, k, recipient) } : {}),
    });
  }
  const slugOf = new Map(workspaces.map((w) => [w.id, w.slug]));
  return {
    format: BACKUP_FORMAT,
    exportedAt: iso(opts.now ?? new Date()),
    tenant: { slug: tenant.slug, name: tenant.name },
    members,
    workspaces: workspaces.map((w) => ({ slug: w.slug, name: w.name })),
    policies: {
      tenant: versions.filter((v) => v.scope === TENANT_SCOPE_KEY).map(versionOf),
      workspaces: workspaces.map((w) => ({
        workspace: w.slug,
        versions: versions.filter((v) => v.workspaceId === w.id && slugOf.has(w.id)).map(versionOf),
      })),
    },
    clients: clients.map((c) => ({ ...c, type: c.type as BackupDocument["clients"][number]["type"], grantTypes: c.grantTypes as BackupDocument["clients"][number]["grantTypes"], createdAt: iso(c.createdAt) })),
    signingKeys,
    privateKeys: recipient ? { recipientKid: recipient.kid, alg: recipient.alg } : null,
  };
}
