// Restoring a backup document (server/backup/document.ts) into an EMPTY tenant: the request's own
// tenant, through its TenantScope (RLS + tenant filter), inside the request's ONE transaction — a
// conflict found late (another tenant claims a client id between dry run and import) throws, and the
// whole import rolls back. Nothing here can name another tenant: the document has no ids at all, and
// every row is written with scope.tenantId.
//
//   planImport   the dry run: what would be created, every conflict (blocks the import) and every
//                warning (does not), read-only.
//   applyImport  re-plans inside the transaction, refuses on any conflict, then writes and audits.
//
// Rules: an empty tenant has no clients, workspaces, policy versions or API keys (members and the
// signing key provisioning gave it are expected). OAuth client ids, redirect URIs and signing-key
// kids are unique across all tenants (global_identifiers): one held by another tenant is a conflict.
// Members map by e-mail to existing console users; unknown e-mails are reported, never created.
// Signing keys: with a private key exported for this installation's recipient key they are restored
// as they were (re-encrypted under this tenant's data key; the tenant's own provisioned keys are then
// revoked); otherwise public metadata only — published as "previous" so tokens signed before the move
// still verify, never used to sign (no private material: an empty ciphertext that decrypts nothing).
import type { TenantScope } from "../db/doors";
import type { AuditActor, Auditor } from "../audit/record";
import type { DbJsonInput } from "../db/json";
import { AppError } from "../isomorphic/errors";
import { IDENTIFIER_KINDS } from "../tenancy/global-identifiers-repository";
import { claimable, claimValue } from "../clients/uri-claims";
import { validateOverrides } from "../isomorphic/policies/document";
import { TENANT_SCOPE_KEY, workspaceScopeKey } from "../policies/repository";
import { tenantDataKey } from "../signing-keys/data-keys";
import { encryptPrivateKey } from "../signing-keys/envelope";
import { publicMembersOnly } from "../signing-keys/jose";
import { isUniqueViolation } from "../db/errors";
import {
  activeUsersByEmail,
  claimIdentifiers,
  identifierOwners,
  importTargetState,
  memberRoles,
  restoreClients,
  restoreMembers,
  restorePolicyVersions,
  restoreSigningKeys,
  restoreWorkspaces,
  revokeSigningKeys,
} from "./repository";
import { validatedFields } from "../clients/service";
import { readTenantPolicy } from "../policies/tenant-repository";
import type { BackupDocument, BackupSigningKey } from "./document";
import { unwrapForInstallation } from "./private-keys";
import { calculateJwkThumbprint, type JWK } from "jose";
import { MAX_PUBLISHED_KEYS } from "../signing-keys/repository";

export interface Finding {
  /** What it is about: "target", "document", "client_id", "redirect_uri", "kid", "policy", "member", "signing_key". */
  kind: string;
  subject: string;
  message: string;
}

export interface ImportPlan {
  ok: boolean;
  conflicts: Finding[];
  warnings: Finding[];
  creates: {
    workspaces: string[];
    policyVersions: number;
    clients: string[];
    redirectUris: number;
    signingKeys: { kid: string; state: string; privateKey: boolean }[];
    members: { email: string; role: string }[];
    revokesOwnKeys: string[];
  };
}

interface KeyDecision {
  key: BackupSigningKey;
  state: "next" | "current" | "previous" | "revoked";
  privateJwkBytes: Buffer | null;
}

interface Internal {
  plan: ImportPlan;
  keys: KeyDecision[];
  memberUsers: { userId: string; email: string; role: "owner" | "support"; expiresAt: Date | null }[];
}

const dupes = (values: string[]) => [...new Set(values.filter((v, i) => values.indexOf(v) !== i))];

async function ownersOf(scope: TenantScope, kind: string, values: string[]): Promise<Map<string, string>> {
  if (!values.length) return new Map();
  return identifierOwners(scope, kind, values);
}

async function analyse(scope: TenantScope, doc: BackupDocument, now: Date): Promise<Internal> {
  const conflicts: Finding[] = [];
  const warnings: Finding[] = [];

  // 1. The target must be empty.
  const { clients, workspaces, versions, apiKeys, ownKeys } = await importTargetState(scope);
  const present = [
    [clients, "OAuth client"],
    [workspaces, "workspace"],
    [versions, "policy version"],
    [apiKeys, "API key"],
  ] as const;
  for (const [n, what] of present) {
    if (n > 0) conflicts.push({ kind: "target", subject: what, message: `This tenant already has ${n} ${what}${n === 1 ? "" : "s"}: a backup restores only into an empty tenant.` });
  }

  // 2. The document must be consistent in itself.
  for (const d of dupes(doc.workspaces.map((w) => w.slug))) conflicts.push({ kind: "document", subject: d, message: `Workspace ${d} appears twice.` });
  for (const d of dupes(doc.clients.map((c) => c.clientId))) conflicts.push({ kind: "document", subject: d, message: `Client ${d} appears twice.` });
  for (const d of dupes(doc.signingKeys.map((k) => k.kid))) conflicts.push({ kind: "document", subject: d, message: `Signing key ${d} appears twice.` });
  for (const d of dupes(doc.members.map((m) => m.email.toLowerCase()))) conflicts.push({ kind: "document", subject: d, message: `Member ${d} appears twice.` });
  const slugs = new Set(doc.workspaces.map((w) => w.slug));
  const scopes: { key: string; label: string; level: "tenant" | "workspace"; versions: BackupDocument["policies"]["tenant"] }[] = [
    { key: TENANT_SCOPE_KEY, label: "tenant policy", level: "tenant", versions: doc.policies.tenant },
    ...doc.policies.workspaces.map((w) => ({ key: `workspace:${w.workspace}`, label: `workspace ${w.workspace} policy`, level: "workspace" as const, versions: w.versions })),
  ];
  for (const w of doc.policies.workspaces) {
    if (!slugs.has(w.workspace)) conflicts.push({ kind: "document", subject: w.workspace, message: `Policy versions name workspace ${w.workspace}, which the document does not contain.` });
  }
  for (const d of dupes(doc.policies.workspaces.map((w) => w.workspace))) conflicts.push({ kind: "document", subject: d, message: `Workspace ${d}'s policy appears twice.` });
  for (const s of scopes) {
    for (const d of dupes(s.versions.map((v) => String(v.version)))) conflicts.push({ kind: "policy", subject: s.label, message: `${s.label}: version ${d} appears twice.` });
    for (const v of s.versions) {
      const checked = validateOverrides(v.document, s.level);
      if (!checked.ok) conflicts.push({ kind: "policy", subject: `${s.label} v${v.version}`, message: `${s.label} version ${v.version}: ${checked.problems.join(" ")}` });
    }
  }

  // The same rules as creating a client by hand (redirect URI, grant and origin rules), under the
  // stricter of the target's regulated mode and the one the document's latest tenant policy sets.
  const { regulatedMode } = await readTenantPolicy(scope);
  const docRegulated = (doc.policies.tenant.at(-1)?.document.regulated as { enabled?: unknown } | undefined)?.enabled === true;
  for (const c of doc.clients) {
    try {
      validatedFields(c.type, regulatedMode || docRegulated, c);
    } catch (e) {
      if (!(e instanceof AppError)) throw e;
      conflicts.push({ kind: "client", subject: c.clientId, message: `Client ${c.clientId} (${c.name}): ${e.message}` });
    }
  }

  // 3. Platform-wide identifiers held by another tenant (or by this one: its own provisioned key).
  const clientOwners = await ownersOf(scope, IDENTIFIER_KINDS.clientId, doc.clients.map((c) => c.clientId));
  for (const c of doc.clients) {
    if (clientOwners.has(c.clientId)) conflicts.push({ kind: "client_id", subject: c.clientId, message: `Client id ${c.clientId} is already registered by another tenant.` });
  }
  const uris = [...new Set(doc.clients.flatMap((c) => c.redirectUris).filter(claimable))];
  const uriOwners = await ownersOf(scope, IDENTIFIER_KINDS.redirectUri, uris.map(claimValue));
  for (const u of uris) {
    const owner = uriOwners.get(claimValue(u));
    if (owner && owner !== scope.tenantId) conflicts.push({ kind: "redirect_uri", subject: u, message: `${u} is already registered by another tenant.` });
  }
  const kidOwners = await ownersOf(scope, IDENTIFIER_KINDS.signingKeyKid, doc.signingKeys.map((k) => k.kid));
  for (const k of doc.signingKeys) {
    const owner = kidOwners.get(k.kid);
    if (owner) conflicts.push({ kind: "kid", subject: k.kid, message: `Signing key ${k.kid} already belongs to ${owner === scope.tenantId ? "this tenant" : "another tenant"}.` });
  }

  // 4. Signing keys: a kid is its public key's RFC 7638 thumbprint (a document cannot claim another
  // key's kid), and the JWKS stays within its cap. Private material only if exported for this installation.
  for (const k of doc.signingKeys) {
    const pub = publicMembersOnly(k.publicJwk);
    let thumbprint: string | null = null;
    try {
      thumbprint = await calculateJwkThumbprint({ kty: pub.kty, crv: pub.crv, x: pub.x, y: pub.y, n: pub.n, e: pub.e } as JWK, "sha256");
    } catch {
      thumbprint = null;
    }
    if (thumbprint !== k.kid) conflicts.push({ kind: "document", subject: k.kid, message: `Signing key ${k.kid}: its kid is not the thumbprint of its public key.` });
  }
  const published = doc.signingKeys.filter((k) => k.state !== "revoked").length + ownKeys.length;
  if (published > MAX_PUBLISHED_KEYS) {
    conflicts.push({ kind: "document", subject: "signing keys", message: `Restoring would publish ${published} signing keys; at most ${MAX_PUBLISHED_KEYS} can be published at once.` });
  }
  const unwrapped = new Map<string, Buffer>();
  for (const k of doc.signingKeys) {
    if (!k.privateKeyJwe || k.state === "revoked") continue;
    const r = await unwrapForInstallation(k.kid, k.privateKeyJwe);
    if (r.ok) unwrapped.set(k.kid, r.privateJwkBytes);
    else warnings.push({ kind: "signing_key", subject: k.kid, message: `Signing key ${k.kid}: ${r.reason}; restored as public metadata only.` });
  }
  const privateCurrent = doc.signingKeys.filter((k) => k.state === "current" && unwrapped.has(k.kid));
  const privateNext = doc.signingKeys.filter((k) => k.state === "next" && unwrapped.has(k.kid));
  if (privateCurrent.length > 1 || privateNext.length > 1) conflicts.push({ kind: "document", subject: "signing keys", message: "The document has more than one current (or next) signing key." });
  const restoreLive = privateCurrent.length === 1;
  const keys: KeyDecision[] = doc.signingKeys.map((key) => {
    const bytes = unwrapped.get(key.kid) ?? null;
    if (key.state === "revoked") return { key, state: "revoked", privateJwkBytes: null };
    // With the private current key restored, the keys keep their states; otherwise the tenant's own
    // current key keeps signing and everything imported only verifies (previous).
    if (restoreLive && bytes) return { key, state: key.state, privateJwkBytes: bytes };
    return { key, state: "previous", privateJwkBytes: bytes };
  });
  for (const k of keys) {
    if (k.key.state !== k.state && k.key.state !== "revoked") {
      warnings.push({ kind: "signing_key", subject: k.key.kid, message: `Signing key ${k.key.kid} (${k.key.state}) is restored as previous: it verifies tokens but does not sign.` });
    }
  }
  const revokesOwnKeys = restoreLive ? ownKeys.map((k) => k.kid) : [];
  for (const kid of revokesOwnKeys) {
    warnings.push({ kind: "signing_key", subject: kid, message: `This tenant's own signing key ${kid} will be revoked: the restored keys take over.` });
  }

  // 5. Members: by e-mail, existing console users only.
  const emails = doc.members.map((m) => m.email.toLowerCase());
  const [users, existing] = await Promise.all([
    emails.length ? activeUsersByEmail(scope, emails) : [],
    memberRoles(scope),
  ]);
  const userByEmail = new Map(users.map((u) => [u.email.toLowerCase(), u.id]));
  const memberRole = new Map(existing.map((m) => [m.userId, m.role]));
  const memberUsers: Internal["memberUsers"] = [];
  for (const m of doc.members) {
    const email = m.email.toLowerCase();
    const userId = userByEmail.get(email);
    const expiresAt = m.expiresAt ? new Date(m.expiresAt) : null;
    if (!userId) warnings.push({ kind: "member", subject: email, message: `${email} has no active console account here: not added (invite them from Members).` });
    else if (memberRole.has(userId)) warnings.push({ kind: "member", subject: email, message: `${email} is already a member (${memberRole.get(userId)}): left as is.` });
    else if (m.role === "support" && (!expiresAt || expiresAt <= now)) warnings.push({ kind: "member", subject: email, message: `${email}'s support grant has expired: not added.` });
    else memberUsers.push({ userId, email, role: m.role, expiresAt: m.role === "support" ? expiresAt : null });
  }

  const plan: ImportPlan = {
    ok: conflicts.length === 0,
    conflicts,
    warnings,
    creates: {
      workspaces: doc.workspaces.map((w) => w.slug),
      policyVersions: scopes.reduce((n, s) => n + s.versions.length, 0),
      clients: doc.clients.map((c) => c.clientId),
      redirectUris: uris.length,
      signingKeys: keys.map((k) => ({ kid: k.key.kid, state: k.state, privateKey: k.privateJwkBytes !== null })),
      members: memberUsers.map((m) => ({ email: m.email, role: m.role })),
      revokesOwnKeys,
    },
  };
  return { plan, keys, memberUsers };
}

function zeroKeys(keys: KeyDecision[]) {
  for (const k of keys) k.privateJwkBytes?.fill(0);
}

/** The dry run: changes nothing. */
export async function planImport(scope: TenantScope, doc: BackupDocument, now = new Date()): Promise<ImportPlan> {
  const { plan, keys } = await analyse(scope, doc, now);
  zeroKeys(keys);
  return plan;
}

const d = (s: string | null) => (s ? new Date(s) : null);

/** Imports `doc` into the scope's tenant, in the caller's transaction; throws CONFLICT (nothing written) on any conflict. */
export async function applyImport(scope: TenantScope, audit: Auditor, actor: AuditActor, doc: BackupDocument, now = new Date()): Promise<ImportPlan> {
  const { plan, keys, memberUsers } = await analyse(scope, doc, now);
  try {
    if (!plan.ok) {
      throw new AppError("CONFLICT", `The backup cannot be restored: ${plan.conflicts.length} conflict${plan.conflicts.length === 1 ? "" : "s"} (run the dry run to see them). First: ${plan.conflicts[0]!.message}`);
    }
    const tenantId = scope.tenantId;
    try {
      // Workspaces, then their policy versions (workspace references remapped slug → new id).
      const idOf = await restoreWorkspaces(scope, doc.workspaces);
      const versionRows: Parameters<typeof restorePolicyVersions>[1] = [
        ...doc.policies.tenant.map((v) => ({ ...v, scope: TENANT_SCOPE_KEY, workspaceId: null })),
        ...doc.policies.workspaces.flatMap((w) => w.versions.map((v) => ({ ...v, scope: workspaceScopeKey(idOf.get(w.workspace)!), workspaceId: idOf.get(w.workspace)! }))),
      ].map((v) => ({
        scope: v.scope,
        workspaceId: v.workspaceId,
        version: v.version,
        document: v.document as DbJsonInput,
        authorId: null,
        authorLabel: v.authorLabel,
        comment: v.comment,
        createdAt: new Date(v.createdAt),
      }));
      if (versionRows.length) await restorePolicyVersions(scope, versionRows);

      // OAuth clients and their platform-wide claims (a claim taken meanwhile → unique violation → rollback).
      if (doc.clients.length) {
        await claimIdentifiers(scope, IDENTIFIER_KINDS.clientId, doc.clients.map((c) => c.clientId));
        const uris = [...new Set(doc.clients.flatMap((c) => c.redirectUris).filter(claimable))];
        if (uris.length) await claimIdentifiers(scope, IDENTIFIER_KINDS.redirectUri, uris.map(claimValue));
        await restoreClients(scope, doc.clients.map((c) => ({ ...c, createdAt: new Date(c.createdAt), updatedAt: new Date(c.createdAt) })));
      }

      // Signing keys: the tenant's own live keys step aside when the restored ones can sign.
      if (plan.creates.revokesOwnKeys.length) {
        await revokeSigningKeys(scope, plan.creates.revokesOwnKeys, now);
        for (const kid of plan.creates.revokesOwnKeys) {
          await audit.record({ action: "key.revoked", targetType: "signing_key", targetId: kid, after: { kid, state: "revoked", reason: "backup restored with its own signing keys" } });
        }
      }
      if (keys.length) {
        const dataKey = await tenantDataKey(scope);
        try {
          await claimIdentifiers(scope, IDENTIFIER_KINDS.signingKeyKid, keys.map((k) => k.key.kid));
          await restoreSigningKeys(
            scope,
            keys.map((k) => {
              const sealed = k.privateJwkBytes
                ? encryptPrivateKey(dataKey.key, tenantId, k.key.kid, k.privateJwkBytes)
                : { iv: new Uint8Array(12), tag: new Uint8Array(16), ciphertext: new Uint8Array(0) };
              const publicOnly = !k.privateJwkBytes;
              return {
                kid: k.key.kid,
                alg: k.key.alg,
                state: k.state,
                publicJwk: { ...publicMembersOnly(k.key.publicJwk) } as DbJsonInput,
                privateKeyIv: sealed.iv,
                privateKeyTag: sealed.tag,
                privateKeyCiphertext: sealed.ciphertext,
                dataKeyId: dataKey.id,
                createdAt: new Date(k.key.createdAt),
                activatedAt: d(k.key.activatedAt),
                retiredAt: publicOnly && k.state === "previous" && !k.key.retiredAt ? now : d(k.key.retiredAt),
                revokedAt: d(k.key.revokedAt) ?? (k.state === "revoked" ? now : null),
                createdBy: actor.type === "user" ? actor.id : null,
              };
            }),
          );
        } finally {
          dataKey.key.fill(0);
        }
      }

      if (memberUsers.length) {
        await restoreMembers(scope, memberUsers.map((m) => ({ userId: m.userId, role: m.role, expiresAt: m.expiresAt, createdBy: actor.type === "user" ? actor.id : null })));
      }
    } catch (e) {
      if (isUniqueViolation(e)) throw new AppError("CONFLICT", "Another tenant claimed one of the backup's client ids, redirect URIs or signing keys meanwhile; nothing was imported. Run the dry run again.");
      throw e;
    }

    // What was imported, never a secret (no private keys, no policy values beyond their count).
    await audit.record({
      action: "backup.imported",
      targetType: "tenant",
      targetId: tenantId,
      after: {
        format: doc.format,
        source: doc.tenant.slug,
        exportedAt: doc.exportedAt,
        workspaces: plan.creates.workspaces,
        policyVersions: plan.creates.policyVersions,
        clients: plan.creates.clients,
        redirectUris: plan.creates.redirectUris,
        signingKeys: plan.creates.signingKeys,
        members: plan.creates.members,
        revokedOwnKeys: plan.creates.revokesOwnKeys,
        warnings: plan.warnings.length,
      },
    });
    return plan;
  } finally {
    zeroKeys(keys);
  }
}
