// The deletion receipt: what a purge deleted (kinds and counts), when, at whose request, and the
// tenant's sealed audit chain head — signed with the PLATFORM key (server/platform-keys/, a detached
// EdDSA JWS over the receipt's canonical JSON), verifiable offline against the public JWKS at
// GET /api/public/platform-keys with `npm run receipt:verify -- <file>`.
//
// No personal data: people appear as opaque user ids, never names or e-mail addresses; the free-text
// reason is not included.
import type { JSONWebKeySet } from "jose";
import { platformPublicJwks, signPlatformJson, verifyPlatformJws } from "../platform-keys";

export const RECEIPT_TYPE = "credo.tenant-deletion-receipt";
export const RECEIPT_JWS_TYP = "credo-deletion-receipt+json";

export interface DeletionReceipt {
  type: typeof RECEIPT_TYPE;
  version: 1;
  deletionId: string;
  tenant: { id: string; slug: string };
  requested: { at: string; byUserId: string | null };
  grace: { days: number; purgeAfter: string };
  purge: { startedAt: string; completedAt: string; executedBy: "credo purge worker" };
  /** Rows (or entries, for caches and files) deleted, per kind. */
  deleted: Record<string, number>;
  /** What the tenant held when the deletion was requested. */
  requestedCounts: Record<string, number>;
  cryptoShredded: string[];
  /** The tenant's audit hash chain, sealed when the purge started (its last event: tenant.purge_started). */
  auditChain: { seq: string; headHash: string };
  issuedAt: string;
}

/** The receipt as a file: the receipt and the platform's detached JWS over its canonical JSON. */
export interface SignedReceipt {
  receipt: DeletionReceipt;
  signature: string;
}

export async function signReceipt(receipt: DeletionReceipt): Promise<SignedReceipt> {
  return { receipt, signature: await signPlatformJson(receipt, { typ: RECEIPT_JWS_TYP }) };
}

/** Verifies a receipt file's signature (default: against this deployment's published keys). */
export async function verifyReceipt(file: unknown, jwks?: JSONWebKeySet): Promise<{ receipt: DeletionReceipt; kid: string }> {
  const f = file as Partial<SignedReceipt> | null;
  if (!f || typeof f !== "object" || typeof f.signature !== "string" || !f.receipt || typeof f.receipt !== "object") {
    throw new Error("Not a deletion receipt: expected {\"receipt\": {…}, \"signature\": \"…\"}.");
  }
  const verified = await verifyPlatformJws(f.signature, jwks ?? (await platformPublicJwks()), f.receipt);
  if (verified.typ !== RECEIPT_JWS_TYP || (verified.payload as DeletionReceipt).type !== RECEIPT_TYPE) {
    throw new Error("The signature is valid but does not belong to a deletion receipt.");
  }
  return { receipt: verified.payload as DeletionReceipt, kid: verified.kid };
}
