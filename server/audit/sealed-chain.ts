// A purged tenant's audit trail: its events are gone by design (server/deletion/purge.ts), but the
// chain head was sealed when the purge started and survives with the tombstone. Walking such a
// chain would report "tail_truncated at event 1" — noise that hides a real break. Instead, a
// deleted tenant's chain is checked as SEALED: the head row must equal the seal in the deletion
// record AND in the platform-signed deletion receipt, and no event may remain or appear after it.
import type { TenantScope } from "../db/doors";
import { verifyChain, type ChainVerification } from "./chain";
import { verifyReceipt, type SignedReceipt } from "../deletion/receipt";

export interface TenantChainVerification extends ChainVerification {
  /** True when the tenant was purged and its sealed head matches the signed receipt. */
  sealed: boolean;
}

function result(base: Partial<ChainVerification> & Pick<ChainVerification, "intact" | "message" | "headSeq">, sealed: boolean): TenantChainVerification {
  return {
    checked: 0,
    unchained: 0,
    firstBrokenSeq: null,
    problem: null,
    purgedThroughSeq: null,
    latestCheckpoint: null,
    fromSeq: "0",
    headHash: null,
    ...base,
    sealed,
  };
}

/** verifyChain for live tenants; the seal check for purged ones. */
export async function verifyTenantChain(scope: TenantScope): Promise<TenantChainVerification> {
  const tenant = await scope.db.tenant.findUnique({ where: { id: scope.tenantId }, select: { status: true, deletedAt: true } });
  if (tenant?.status !== "deleted") return { ...(await verifyChain(scope)), sealed: false };

  const head = await scope.db.auditChainHead.findUnique({ where: { tenantId: scope.tenantId }, select: { seq: true, headHash: true } });
  const headSeq = String(head?.seq ?? 0n);
  const headHex = head ? Buffer.from(head.headHash).toString("hex") : "";
  const broken = (message: string) => result({ intact: false, headSeq, firstBrokenSeq: headSeq, problem: "head_mismatch", message }, false);

  const deletion = await scope.db.tenantDeletion.findFirst({
    where: { targetTenantId: scope.tenantId, status: "completed" },
    orderBy: { completedAt: "desc" },
    select: { chainSeq: true, chainHeadHash: true, receipt: true, completedAt: true },
  });
  if (!deletion?.receipt) return broken("The tenant is deleted but has no completed deletion with a receipt: the seal cannot be checked.");
  let signed: SignedReceipt;
  try {
    signed = JSON.parse(deletion.receipt) as SignedReceipt;
    await verifyReceipt(signed);
  } catch {
    return broken("The deletion receipt's platform signature does not verify: the seal cannot be trusted.");
  }
  const seal = signed.receipt.auditChain;
  if (seal.seq !== headSeq || seal.headHash !== headHex) {
    return broken(`The sealed chain head (event ${headSeq}) differs from the one the signed deletion receipt records (event ${seal.seq}): the head was rewritten.`);
  }
  if (String(deletion.chainSeq ?? "") !== seal.seq || Buffer.from(deletion.chainHeadHash ?? new Uint8Array()).toString("hex") !== seal.headHash) {
    return broken("The deletion record's seal differs from its signed receipt.");
  }
  const remaining = await scope.db.auditEvent.count({ where: { tenantId: scope.tenantId } });
  if (remaining > 0) return broken(`${remaining} audit event${remaining === 1 ? "" : "s"} exist after the purge sealed the chain.`);
  const when = deletion.completedAt ? ` on ${deletion.completedAt.toISOString()}` : "";
  return result(
    {
      intact: true,
      headSeq,
      headHash: headHex || null,
      message: `Sealed: the tenant was purged${when}; its chain ended at event ${headSeq}, as the signed deletion receipt records.`,
    },
    true,
  );
}
