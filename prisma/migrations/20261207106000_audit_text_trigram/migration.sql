-- The audit viewer's free-text filter (issue 16): "found in the action, target type or target id",
-- case-insensitive (ILIKE '%…%' on each of the three columns, server/repos/audit-events.ts). Without
-- an index it read a tenant's whole history (p95 53 ms at 10k events per tenant, worse at 1M).
--
-- One GIN index led by tenant_id (btree_gin's uuid operator class) with a trigram entry per searched
-- column (pg_trgm): each ILIKE branch becomes a scan of this index for (tenant, trigrams), the three
-- are OR-ed as bitmaps, and GIN intersects the tenant's posting list with the trigrams' (skipping
-- through the tenant's list), so another tenant's events are never visited. Terms shorter than
-- three characters have no trigram: the planner keeps the (tenant_id, id) walk for those.
-- Known limit (measured, PostgreSQL 15): under row level security the planner may use a clause as
-- an index condition only if its operator is LEAKPROOF, and ILIKE (texticlike) is not, so the
-- runtime role's viewer query still filters the tenant's events and only roles outside RLS (the
-- owner, maintenance) get the index. Marking texticlike LEAKPROOF takes a superuser, which the
-- migrating owner is not; see issue 16's notes.
--
-- Both extensions are "trusted" since PostgreSQL 13: the migrating owner (a database owner with
-- CREATE, not a superuser) may create them. Embedded PGlite loads them from its contrib bundle
-- (server/db/pglite.ts passes them to every PGlite instance, the migrator's shadow included).
CREATE EXTENSION IF NOT EXISTS pg_trgm;
CREATE EXTENSION IF NOT EXISTS btree_gin;

CREATE INDEX "audit_events_text_trgm_idx" ON "audit_events" USING gin (
  "tenant_id" uuid_ops,
  "action" gin_trgm_ops,
  "target_type" gin_trgm_ops,
  "target_id" gin_trgm_ops
);

-- The viewer's action-prefix filter (issue 16: 4.1× raw SQL at p95). As LIKE 'client.%' it got no
-- statistics under row level security (textlike is not leakproof, so the planner may not use the
-- column's statistics for it): estimated at ~1 row, the planner sorted a bitmap scan of the tenant's
-- history instead of walking (tenant_id, id) backwards. The repository now sends the prefix as a
-- range, action >= 'client.' AND action < 'client/' (leakproof comparisons, statistics used); in
-- the "C" collation (code point order) that range is exactly the actions with the prefix, whatever
-- the database's default collation. Rebuilds the indexes on action (no table rewrite).
ALTER TABLE "audit_events" ALTER COLUMN "action" SET DATA TYPE VARCHAR(128) COLLATE "C";
