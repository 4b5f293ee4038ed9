-- audit_text_search() (migration 20261208100000) chooses how to find a free-text page (issue 16:
-- p95 < 25 ms, a rare term in a tenant with 1M events took 30–50 ms, and 14 ms on tenants of 2,000).
--
-- The trigram index answers `col ILIKE '%target-4242%'` by intersecting the posting lists of every
-- trigram of the term. In an audit trail most of those belong to words that nearly every event
-- shares ("tar", "arg", "get" of "target-…"), lists as long as the tenant's history, which GIN reads
-- whole for candidates spread over it. Only the rare part narrows anything. So the function now:
--   * samples the tenant's newest 200 events (one short walk of (tenant_id, id));
--   * walks the tenant's newest events, index unused, when the tenant is small (≤ 10,000 events in
--     its chain) or the term is common (≥ 5 of the sample: the page is near);
--   * otherwise goes through the trigram index (never a walk: the term is rare among recent events),
--     looking up only the term's piece that is rarest in the sample (a run of letters and digits
--     with the literal character on each side, ties to the longest) when that piece is rare there
--     too, and checks the whole term on the rows found. The piece is part of the term, so every row
--     that matches the term matches the piece: the same rows, fewer of the index's lists read.
-- The results are exactly those of the whole ILIKE (the whole term is always checked); only the
-- work to find them changes. The tenant still comes from the transaction's scope, never an argument.
--
-- The chain head's seq is the tenant's size (an upper bound once retention purged old events);
-- credo_audit_search reads it under audit_chain_heads' own tenant_isolation policy.
GRANT SELECT ON "audit_chain_heads" TO credo_audit_search;

CREATE OR REPLACE FUNCTION audit_text_search(
  p_pattern text, p_from timestamptz, p_to timestamptz, p_actor text, p_actor_pattern text,
  p_action_from text, p_action_to text, p_target_type text, p_target_id text, p_outcome text,
  p_before bigint, p_limit integer
) RETURNS SETOF bigint
  LANGUAGE plpgsql STABLE SECURITY DEFINER
  SET search_path = pg_catalog, pg_temp
  AS $$
DECLARE
  v_tenant uuid := public.app_current_tenant();
  v_events bigint;
  v_actions text[];
  v_types text[];
  v_targets text[];
  v_common boolean;
  v_piece text;
  v_best text;
  v_best_hits integer;
  v_hits integer;
  v_index text;
  v_text text;
  v_sql text;
BEGIN
  IF v_tenant IS NULL THEN
    RAISE EXCEPTION 'audit search needs a tenant scope' USING ERRCODE = 'insufficient_privilege';
  END IF;
  IF p_pattern IS NULL THEN
    RAISE EXCEPTION 'audit search needs a search term' USING ERRCODE = 'invalid_parameter_value';
  END IF;
  IF p_limit IS NULL OR p_limit NOT BETWEEN 1 AND 201 THEN
    RAISE EXCEPTION 'page size must be between 1 and 201' USING ERRCODE = 'invalid_parameter_value';
  END IF;

  SELECT h.seq INTO v_events FROM public.audit_chain_heads h WHERE h.tenant_id = v_tenant;
  IF coalesce(v_events, 0) > 10000 THEN
    SELECT array_agg(s.action), array_agg(s.target_type), array_agg(s.target_id)
      INTO v_actions, v_types, v_targets
      FROM (SELECT e.action, e.target_type, e.target_id FROM public.audit_events e
             WHERE e.tenant_id = v_tenant ORDER BY e.id DESC LIMIT 200) s;
    SELECT count(*) >= 5 INTO v_common
      FROM unnest(v_actions, v_types, v_targets) AS x(a, t, i)
     WHERE x.a ILIKE p_pattern OR x.t ILIKE p_pattern OR x.i ILIKE p_pattern;
    IF NOT v_common THEN
      -- Pieces: runs of letters and digits (what pg_trgm makes trigrams of) with the literal
      -- character on each side, if any (a word boundary: its padded trigrams are rarer). Escaped
      -- characters (\% \_ \\) and wildcards are never part of one.
      FOR v_piece IN
        SELECT m[1] FROM regexp_matches(p_pattern, '([^[:alnum:]%_\\]?[[:alnum:]]{3,}[^[:alnum:]%_\\]?)', 'g') AS m
      LOOP
        SELECT count(*) INTO v_hits
          FROM unnest(v_actions, v_types, v_targets) AS x(a, t, i)
         WHERE x.a ILIKE '%' || v_piece || '%' OR x.t ILIKE '%' || v_piece || '%' OR x.i ILIKE '%' || v_piece || '%';
        IF v_best IS NULL OR v_hits < v_best_hits OR (v_hits = v_best_hits AND length(v_piece) > length(v_best)) THEN
          v_best := v_piece;
          v_best_hits := v_hits;
        END IF;
      END LOOP;
      -- A piece as common as the term's words ("target-") narrows nothing: then all of the term's
      -- trigrams, as before.
      v_index := CASE WHEN v_best IS NULL OR v_best_hits >= 5 THEN p_pattern ELSE '%' || v_best || '%' END;
    END IF;
  END IF;

  -- The whole term: as the index's condition ($2), or checked on rows found otherwise (|| '' keeps
  -- an expression the index cannot answer, so the planner does not look all of its trigrams up).
  IF v_index IS NULL THEN
    v_text := ' AND ((e.action || '''') ILIKE $2 OR (e.target_type || '''') ILIKE $2 OR (e.target_id || '''') ILIKE $2)';
  ELSIF v_index = p_pattern THEN
    v_text := ' AND (e.action ILIKE $2 OR e.target_type ILIKE $2 OR e.target_id ILIKE $2)';
  ELSE
    v_text := ' AND (e.action ILIKE $14 OR e.target_type ILIKE $14 OR e.target_id ILIKE $14)'
      || ' AND ((e.action || '''') ILIKE $2 OR (e.target_type || '''') ILIKE $2 OR (e.target_id || '''') ILIKE $2)';
  END IF;
  -- Only the filters given, so each call is planned for its own values.
  v_sql := 'SELECT e.id FROM public.audit_events e WHERE e.tenant_id = $1'
    || v_text
    || CASE WHEN p_from IS NOT NULL THEN ' AND e.occurred_at >= $3' ELSE '' END
    || CASE WHEN p_to IS NOT NULL THEN ' AND e.occurred_at < $4' ELSE '' END
    || CASE WHEN p_actor IS NOT NULL THEN ' AND (e.actor_id = $5 OR e.actor_label ILIKE $6)' ELSE '' END
    || CASE WHEN p_action_from IS NOT NULL THEN ' AND e.action >= $7' ELSE '' END
    || CASE WHEN p_action_to IS NOT NULL THEN ' AND e.action < $8' ELSE '' END
    || CASE WHEN p_target_type IS NOT NULL THEN ' AND e.target_type = $9' ELSE '' END
    || CASE WHEN p_target_id IS NOT NULL THEN ' AND e.target_id = $10' ELSE '' END
    || CASE WHEN p_outcome IS NOT NULL THEN ' AND e.outcome::text = $11' ELSE '' END
    || CASE WHEN p_before IS NOT NULL THEN ' AND e.id < $12' ELSE '' END
    -- Through the index, the order is not the (tenant_id, id) index's own (id + 0): under this role
    -- the planner has no statistics for ILIKE and may otherwise walk a long history for a rare term.
    || CASE WHEN v_index IS NULL THEN ' ORDER BY e.id DESC' ELSE ' ORDER BY e.id + 0 DESC' END
    || ' LIMIT $13';
  RETURN QUERY EXECUTE v_sql
    USING v_tenant, p_pattern, p_from, p_to, p_actor, p_actor_pattern, p_action_from, p_action_to,
          p_target_type, p_target_id, p_outcome, p_before, p_limit, v_index;
END
$$;
