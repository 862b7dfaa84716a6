/**
 * Embedding calls are metered like model calls: one usage_records row per call attempt, with the
 * provider's token count. Cost comes from the gateway's versioned price table when it has a price
 * for the embedding model; otherwise the row is flagged unpriced (tokens are still counted).
 * No step_id: the agent step counts its own attempts by step_id, and embeddings are not attempts.
 */
import { sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../db/client';
import { usageRecords } from '../db/schema';
import { costOf, findPrice } from '../llm/prices';

export interface EmbeddingUsage {
  tenantId: string;
  provider: string;
  model: string;
  tokens: number;
  /** Generated tokens (the LLM reranker); embeddings have none. */
  outputTokens?: number;
  latencyMs: number;
  outcome: 'success' | 'error';
  errorName?: string;
  errorMessage?: string;
  /** Ingestion: `<execution id>#<batch>`, with attempt, makes a retried write idempotent. */
  executionId?: string;
  attempt?: number;
  runId?: string;
  workflowId?: string;
}

export async function recordEmbeddingUsage(tx: Tx, u: EmbeddingUsage): Promise<void> {
  if (u.executionId) {
    const seen = rowsOf(
      await tx.execute(
        sql`select 1 from usage_records where execution_id = ${u.executionId} and attempt = ${u.attempt ?? 1} and step_id is null limit 1`,
      ),
    );
    if (seen.length) return;
  }
  const price =
    u.provider === 'local' || u.provider === 'simulator'
      ? undefined
      : await findPrice(tx, u.tenantId, u.provider, u.model, new Date());
  const costUsd = price
    ? costOf(price, {
        inputTokens: u.tokens,
        outputTokens: u.outputTokens ?? 0,
        cachedInputTokens: 0,
      })
    : 0;
  await tx.insert(usageRecords).values({
    tenantId: u.tenantId,
    runId: u.runId ?? null,
    workflowId: u.workflowId ?? null,
    executionId: u.executionId ?? null,
    attempt: u.attempt ?? 1,
    provider: u.provider,
    model: u.model,
    outcome: u.outcome,
    errorName: u.errorName ?? null,
    errorMessage: u.errorMessage?.slice(0, 1000) ?? null,
    latencyMs: Math.max(0, Math.round(u.latencyMs)),
    inputTokens: u.tokens,
    outputTokens: u.outputTokens ?? 0,
    costUsd,
    // The local embedder is free by definition; a provider model without a price row is flagged.
    priced: u.provider === 'local' || u.provider === 'simulator' || price !== undefined,
  });
}
