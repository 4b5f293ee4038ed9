-- credo_purge_table_batch (migration 20261206103100) returned 'lease_lost' when the checkpoint
-- UPDATE found no row AFTER the batch had deleted, and relied on its caller to roll back. A batch
-- now goes to the server as ONE round trip (BEGIN; scope; the batch; COMMIT in one simple-protocol
-- query, server/db/plain-door.ts), where nothing runs between the function and the COMMIT: so that
-- case raises instead, and the deletion rolls back with the transaction whatever the caller does.
-- (Under the FOR UPDATE lock, with lease and status checked just before, the branch cannot be
-- reached today; it stays fenced for whatever changes around it.) Everything else is unchanged;
-- CREATE OR REPLACE keeps the owner and the grants.
CREATE OR REPLACE FUNCTION credo_purge_table_batch(p_deletion uuid, p_lease integer, p_index integer, p_table text, p_limit integer,
                                        p_step text, p_next_step text, p_at timestamptz)
  RETURNS TABLE (state text, status text, step_index integer, deleted integer)
  LANGUAGE plpgsql SECURITY INVOKER
  SET search_path = pg_catalog, pg_temp
  AS $$
#variable_conflict use_column
DECLARE
  v_row record;
  v_n integer := 0;
  v_next integer;
BEGIN
  SELECT d.status, d.step_index, d.lease_generation INTO v_row FROM public.tenant_deletions d
   WHERE d.id = p_deletion AND d.target_tenant_id = public.app_current_tenant() FOR UPDATE;
  IF NOT FOUND THEN
    RETURN QUERY SELECT 'stopped'::text, NULL::text, NULL::integer, 0;
    RETURN;
  END IF;
  IF v_row.lease_generation <> p_lease THEN
    RETURN QUERY SELECT 'lease_lost'::text, v_row.status::text, v_row.step_index, 0;
    RETURN;
  END IF;
  IF v_row.status <> 'purging' THEN
    RETURN QUERY SELECT 'stopped'::text, v_row.status::text, NULL::integer, 0;
    RETURN;
  END IF;
  IF v_row.step_index <> p_index THEN
    RETURN QUERY SELECT 'moved'::text, v_row.status::text, v_row.step_index, 0;
    RETURN;
  END IF;
  -- A plan may name a table this deployment does not have (yet): nothing to delete.
  IF to_regclass('public.' || quote_ident(p_table)) IS NOT NULL THEN
    v_n := public.credo_purge_tenant_rows(p_table, p_limit);
  END IF;
  v_next := CASE WHEN v_n < p_limit THEN p_index + 1 ELSE p_index END;
  UPDATE public.tenant_deletions d SET
    deleted_counts = CASE WHEN to_regclass('public.' || quote_ident(p_table)) IS NULL THEN d.deleted_counts
                          ELSE d.deleted_counts || jsonb_build_object(p_table, coalesce((d.deleted_counts ->> p_table)::bigint, 0) + v_n) END,
    batches = d.batches + 1, step_index = v_next,
    step = CASE WHEN v_next = p_index THEN p_step ELSE p_next_step END,
    last_progress_at = p_at, last_error = NULL
   WHERE d.id = p_deletion AND d.status = 'purging' AND d.lease_generation = p_lease;
  IF NOT FOUND THEN
    -- Rows are already deleted: the batch must not commit without its checkpoint.
    RAISE EXCEPTION 'purge lease lost' USING HINT = 'credo_purge_lease_lost';
  END IF;
  RETURN QUERY SELECT 'ok'::text, 'purging'::text, v_next, v_n;
END
$$;
