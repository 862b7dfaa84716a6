-- Bounded full-text candidates for hybrid search (issue 6, ADR 034). Replaces
-- chunk_text_candidates (0004), which ranked every chunk matching ANY query term: at 100k chunks a
-- broad question matches ~10k chunks and ranking them took ~20 ms, so hybrid search missed its p95
-- goal of 25 ms.
--
-- chunk_text_search ranks exactly (the same tsquery and ts_rank as before) while the matches fit a
-- budget of rows, and otherwise narrows the candidate set by coverage tiers: chunks matching at
-- least 2 of the query's terms, then at least 3, … (an OR of the m-term conjunctions, which the GIN
-- index answers without touching the heap), until a tier fits the budget. ts_rank without length
-- normalisation gives a chunk matching m+1 terms a higher score than one matching m terms in almost
-- all cases (each matched term adds between 0.24 and 0.4 for body text, per query term), so the
-- top ranks come from the highest tier that still has candidates. Should the last tier hold fewer
-- candidates than asked for, the rest come from the (bounded, ranked) sample of the tier below.
-- Each tier reads at most budget + 1 heap rows, so the cost no longer grows with the corpus.
--
-- Security: SECURITY DEFINER so that `@@` can be an index condition (row-level security refuses
-- non-leakproof operators as index conditions). The function applies the tenant itself, from the
-- same transaction setting the RLS policies use (app_tenant_id(), never an argument): no argument
-- can widen it; the knowledge base, document and metadata arguments only narrow it. The query text
-- reaches SQL only as a bound parameter and through plainto_tsquery. Search joins the returned ids
-- back to `chunks` and `documents` under RLS, so isolation does not depend on this function alone.
DROP FUNCTION IF EXISTS chunk_text_candidates(uuid, tsquery, integer, jsonb, jsonb);
--> statement-breakpoint
CREATE OR REPLACE FUNCTION chunk_text_search(p_kb uuid, p_query text, p_limit integer, p_documents jsonb, p_metadata jsonb, p_budget integer DEFAULT 1000)
RETURNS TABLE (id uuid, rank real)
LANGUAGE plpgsql STABLE SECURITY DEFINER ROWS 50
-- A LIMIT over a large match set tempts the planner into a sequential scan that stops early; on a
-- selective query that scan reads the whole table. The GIN bitmap scan is bounded either way.
SET search_path = public SET enable_seqscan = off AS
$fn$
#variable_conflict use_column
DECLARE
  v_tenant uuid := app_tenant_id();
  v_any tsquery;
  v_items text[];
  v_n integer;
  v_m integer := 1;
  v_combos bigint;
  v_tier tsquery;
  v_budget integer := greatest(coalesce(p_budget, 1000), p_limit, 1);
  v_ids uuid[];
  v_ranks real[];
  v_prev_ids uuid[] := '{}';
  v_prev_ranks real[] := '{}';
  v_scan constant text := $q$
    SELECT coalesce(array_agg(s.id), '{}'), coalesce(array_agg(s.rank), '{}') FROM (
      SELECT c.id, ts_rank(c.tsv, $2) AS rank FROM chunks c
      WHERE c.tenant_id = $1 AND c.knowledge_base_id = $3 AND c.tsv @@ $4
        AND ($5::jsonb IS NULL OR c.document_id IN (SELECT (jsonb_array_elements_text($5))::uuid))
        AND ($6::jsonb IS NULL OR c.document_id IN (
          SELECT d.id FROM documents d WHERE d.tenant_id = $1 AND d.knowledge_base_id = $3 AND d.metadata @> $6))
      LIMIT $7) s $q$;
BEGIN
  IF v_tenant IS NULL OR p_kb IS NULL OR coalesce(p_limit, 0) < 1 THEN RETURN; END IF;
  -- Any query term may match (OR), as in 0004; phrases from compound words stay phrases.
  v_any := replace(plainto_tsquery('english', coalesce(p_query, ''))::text, ' & ', ' | ')::tsquery;
  v_items := ARRAY(SELECT DISTINCT btrim(x) FROM unnest(string_to_array(v_any::text, ' | ')) x WHERE btrim(x) <> '');
  v_n := coalesce(cardinality(v_items), 0);
  IF v_n = 0 THEN RETURN; END IF;
  v_tier := v_any;
  LOOP
    EXECUTE v_scan INTO v_ids, v_ranks USING v_tenant, v_any, p_kb, v_tier, p_documents, p_metadata, v_budget + 1;
    EXIT WHEN cardinality(v_ids) <= v_budget OR v_m >= v_n;
    -- The next tier is an OR of C(n, m + 1) conjunctions; past 64 of them it costs more than it saves.
    v_combos := 1;
    FOR k IN 1 .. v_m + 1 LOOP v_combos := v_combos * (v_n - k + 1) / k; END LOOP;
    EXIT WHEN v_combos > 64;
    v_prev_ids := v_ids;
    v_prev_ranks := v_ranks;
    v_m := v_m + 1;
    WITH RECURSIVE c(combo, last) AS (
      SELECT ARRAY[v_items[i]], i FROM generate_series(1, v_n) i
      UNION ALL
      SELECT c.combo || v_items[j], j FROM c, generate_series(c.last + 1, v_n) j WHERE cardinality(c.combo) < v_m)
    SELECT string_agg('(' || array_to_string(c.combo, ') & (') || ')', ' | ')::tsquery INTO v_tier
    FROM c WHERE cardinality(c.combo) = v_m;
  END LOOP;
  RETURN QUERY
    SELECT u.id, max(u.rank) AS rank FROM (
      SELECT * FROM unnest(v_ids, v_ranks) AS a(id, rank)
      UNION ALL
      SELECT * FROM unnest(v_prev_ids, v_prev_ranks) AS b(id, rank)) u
    GROUP BY u.id ORDER BY rank DESC, u.id LIMIT p_limit;
END
$fn$;
--> statement-breakpoint
REVOKE ALL ON FUNCTION chunk_text_search(uuid, text, integer, jsonb, jsonb, integer) FROM PUBLIC;
--> statement-breakpoint
GRANT EXECUTE ON FUNCTION chunk_text_search(uuid, text, integer, jsonb, jsonb, integer) TO hishamos_app;
