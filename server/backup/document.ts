// The tenant backup document (format credo.tenant-backup.v1): one tenant's configuration as JSON,
// the successor of the deletion page's configuration export (credo.tenant-configuration.v1).
//
// It carries NO internal ids: every reference is by a natural key (workspace slug, OAuth client_id,
// signing-key kid, member e-mail), so an import creates fresh rows with fresh ids and the same
// document restores into any tenant of any installation ("ids remapped" by construction).
// Never a secret: no client-secret or API-key hashes; private signing keys only as JWEs encrypted
// to a recipient key chosen at export time (server/backup/private-keys.ts).
import { z } from "zod";
import { SIGNING_ALGORITHMS } from "../isomorphic/signing-keys/algorithms";
import { workspaceSlug } from "../policies/workspaces";

export const BACKUP_FORMAT = "credo.tenant-backup.v1";

/** Upper bounds that keep a document (and its import transaction) finite; a realistic tenant is far below. */
export const BACKUP_LIMITS = { members: 2000, workspaces: 500, versionsPerScope: 500, clients: 2000, signingKeys: 200 } as const;

const iso = z.string().datetime({ offset: true, message: "Expected an ISO 8601 date-time." });
const uri = z.string().min(1).max(2048);

const policyVersion = z.object({
  version: z.number().int().min(1),
  document: z.record(z.string(), z.unknown()),
  authorLabel: z.string().max(320),
  comment: z.string().max(500),
  createdAt: iso,
});

export const backupMember = z.object({
  email: z.string().email().max(320),
  name: z.string().max(200),
  role: z.enum(["owner", "support"]),
  expiresAt: iso.nullable(),
});

export const backupClient = z.object({
  clientId: z.string().min(1).max(64),
  name: z.string().min(1).max(100),
  type: z.enum(["web", "spa", "native", "m2m"]),
  enabled: z.boolean(),
  grantTypes: z.array(z.enum(["authorization_code", "refresh_token", "client_credentials"])).max(3),
  redirectUris: z.array(uri).max(100),
  postLogoutRedirectUris: z.array(uri).max(100),
  allowedOrigins: z.array(z.string().min(1).max(512)).max(100),
  createdByLabel: z.string().max(320),
  createdAt: iso,
});

const publicJwk = z
  .record(z.string(), z.unknown())
  .refine((j) => !["d", "p", "q", "dp", "dq", "qi", "k"].some((m) => m in j), "publicJwk must hold public members only.");

export const backupSigningKey = z.object({
  kid: z.string().regex(/^[A-Za-z0-9_-]{43}$/, "A kid is a 43-character RFC 7638 thumbprint."),
  alg: z.enum(SIGNING_ALGORITHMS),
  state: z.enum(["next", "current", "previous", "revoked"]),
  publicJwk,
  createdAt: iso,
  activatedAt: iso.nullable(),
  retiredAt: iso.nullable(),
  revokedAt: iso.nullable(),
  /** Compact JWE of the private JWK, encrypted to `privateKeys.recipient`; absent = public metadata only. */
  privateKeyJwe: z.string().max(16_384).optional(),
});

export const backupDocument = z.object({
  format: z.literal(BACKUP_FORMAT, { error: `Not a Credo tenant backup: "format" must be "${BACKUP_FORMAT}".` }),
  exportedAt: iso,
  tenant: z.object({ slug: z.string().max(63), name: z.string().max(200) }),
  members: z.array(backupMember).max(BACKUP_LIMITS.members),
  workspaces: z.array(z.object({ slug: workspaceSlug, name: z.string().min(1).max(200) })).max(BACKUP_LIMITS.workspaces),
  policies: z.object({
    tenant: z.array(policyVersion).max(BACKUP_LIMITS.versionsPerScope),
    workspaces: z.array(z.object({ workspace: workspaceSlug, versions: z.array(policyVersion).max(BACKUP_LIMITS.versionsPerScope) })).max(BACKUP_LIMITS.workspaces),
  }),
  clients: z.array(backupClient).max(BACKUP_LIMITS.clients),
  signingKeys: z.array(backupSigningKey).max(BACKUP_LIMITS.signingKeys),
  /** Set when private keys were exported: the recipient key's thumbprint and the JWE key-management algorithm. */
  privateKeys: z.object({ recipientKid: z.string().max(64), alg: z.enum(["ECDH-ES+A256KW", "RSA-OAEP-256"]) }).nullable(),
});

export type BackupDocument = z.infer<typeof backupDocument>;
export type BackupClient = z.infer<typeof backupClient>;
export type BackupSigningKey = z.infer<typeof backupSigningKey>;
