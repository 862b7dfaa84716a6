-- Step payloads above the inline threshold live in the artifacts bucket (issue 10, ADR 105): the
-- row keeps pointers {key, bytes, sha256, preview} per field (prompt, output, toolTurns).
ALTER TABLE run_steps ADD COLUMN payloads jsonb;
