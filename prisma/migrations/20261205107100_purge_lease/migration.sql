-- Fencing of purge runs (server/deletion/purge.ts): each run takes the next lease generation and
-- every write it makes requires that generation still to be the newest, so a worker that froze and
-- lost its job to another worker cannot write when it resumes.
ALTER TABLE "tenant_deletions" ADD COLUMN "lease_generation" INTEGER NOT NULL DEFAULT 0;
