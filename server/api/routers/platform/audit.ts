// platform.audit (security admins): the platform audit stream (sign-ins, sessions, account events,
// global policy changes, tenant deletions) — filtered, keyset-paged, verified, checkpointed — and the
// recent events inside tenants, across tenants.
import { createTRPCRouter, platformProcedure } from "../../trpc";
import { onPlatform } from "../../../db/doors";
import { listPlatformAuditEvents } from "../../../audit/platform-repository";
import { z } from "zod";
import { recordPlatformCheckpoint, verifyPlatformChain } from "../../../audit/platform-chain";
import { AppError } from "../../../isomorphic/errors";
import { platformAuditPage } from "../../../audit/platform-view";
import { auditListInput } from "../audit";

const reader = platformProcedure("platform.audit.read");

export const platformAuditRouter = createTRPCRouter({
  list: reader.input(auditListInput).query(({ input }) => onPlatform((db) => listPlatformAuditEvents(db, input))),

  /** Walks the whole platform chain against its signed checkpoints. */
  verify: reader.query(() => onPlatform((db) => verifyPlatformChain(db))),

  /** A signed head checkpoint now (after checking what was appended since the previous one). */
  checkpoint: platformProcedure("platform.audit.read").mutation(async () => {
    const r = await onPlatform((db) => recordPlatformCheckpoint(db));
    if (!r.verification.intact) throw new AppError("CONFLICT", `No checkpoint: ${r.verification.message}`);
    return { seq: r.seq, created: r.created };
  }),

  /** Recent audit events across tenants, newest first (regulated tenants: anonymous counts only). */
  tenantEvents: reader
    .input(z.object({ cursor: z.bigint().positive().nullish(), limit: z.number().int().min(1).max(100).default(50) }))
    .query(({ input }) => onPlatform((db) => platformAuditPage(db, input))),
});
