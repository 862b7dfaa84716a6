-- Tenants store rerank API keys like provider keys (issue 16, ADR 151): the key in the secret
-- store, last 4 and base URL here.
ALTER TABLE provider_keys DROP CONSTRAINT IF EXISTS provider_keys_provider_check;
--> statement-breakpoint
ALTER TABLE provider_keys ADD CONSTRAINT provider_keys_provider_check
  CHECK (provider IN ('openai', 'anthropic', 'gemini', 'compatible', 'cohere', 'voyage', 'jina'));
