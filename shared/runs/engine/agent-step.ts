import { and, count, eq, sql } from 'drizzle-orm';
import { runSteps, runs, usageRecords } from '../../db/schema';
import { InvalidRequest, RETRYABLE_ERROR_NAMES, ValidationError } from '../../errors';
import { callAttempt, type AttemptOutcome } from '../../llm/gateway';
import { tenantProviderCredentials } from '../../llm/tenant-credentials';
import type { Platform } from '../../platform/platform';
import { renderTemplate } from '../../workflow/template';
import { appendEvent } from '../events';
import { loadPinnedAgent, loadRunContext } from './context';

export interface StepTaskInput {
  tenantId: string;
  runId: string;
  stepId: string;
  executionId: string;
}

/** Attempts a step gets before a retryable failure becomes final, unless the node sets maxAttempts. */
export const DEFAULT_MAX_ATTEMPTS = 3;

/** Thrown when a retryable error hits the step's attempt limit, so the ASL Retry stops and Catch records it. */
export class RetriesExhausted extends Error {
  override readonly name = 'RetriesExhausted';
}

/**
 * One attempt of one agent step. The prompt is rendered from the run input and finished outputs,
 * the model is called outside any transaction, and the attempt is recorded whatever its outcome.
 * Idempotent under at-least-once delivery: a finished step is not run again.
 */
export async function runAgentStep(p: Platform, input: StepTaskInput): Promise<{ status: string }> {
  const prepared = await p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    const { run, spec, steps } = await loadRunContext(tx, input.runId);
    const step = steps.find((s) => s.id === input.stepId);
    if (!step) throw new ValidationError(`step ${input.stepId} is not part of run ${input.runId}`);
    if (run.status === 'CANCELLED' || step.status === 'SUCCEEDED' || step.status === 'SKIPPED') return { skip: step.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'SKIPPED' } as const;
    const node = spec.nodes.find((n) => n.id === step.nodeId)!;
    const agent = await loadPinnedAgent(tx, run, node.agent!);
    const outputs = Object.fromEntries(steps.filter((s) => s.status === 'SUCCEEDED').map((s) => [s.nodeId, { output: s.output }]));
    const prompt = renderTemplate(node.prompt ?? '{{input}}', { input: run.input as Record<string, unknown>, steps: outputs });
    const [{ n }] = await tx.select({ n: count() }).from(usageRecords).where(and(eq(usageRecords.stepId, step.id), eq(usageRecords.executionId, input.executionId)));
    const attempt = Number(n) + 1;
    if (step.status !== 'RUNNING') {
      await tx.update(runSteps).set({ status: 'RUNNING', prompt, startedAt: step.startedAt ?? new Date(p.now()) }).where(eq(runSteps.id, step.id));
    }
    await appendEvent(tx, { tenantId: input.tenantId, runId: run.id, stepId: step.id, nodeId: step.nodeId, type: attempt === 1 ? 'step.started' : 'step.retrying', message: attempt === 1 ? `${step.nodeId} started` : `${step.nodeId} attempt ${attempt}` });
    return { run, step, node, agent, prompt, attempt } as const;
  });
  if ('skip' in prepared) return { status: prepared.skip! };
  const { run, step, node, agent, prompt, attempt } = prepared;

  const outcome = await callAttempt(
    { config: p.config, tenantCredentials: (provider) => tenantProviderCredentials(p, input.tenantId, provider), now: p.now },
    [agent.model, ...agent.fallbacks],
    attempt,
    { system: agent.systemPrompt, messages: [{ role: 'user', content: prompt }], temperature: agent.parameters.temperature, maxTokens: agent.parameters.maxTokens, outputSchema: agent.outputSchema },
  );
  const output = outcome.result ? parseOutput(outcome, agent.outputSchema) : undefined;
  const error = outcome.error ?? (output instanceof Error ? output : undefined);

  await p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    const tokensIn = outcome.result?.inputTokens ?? 0;
    const tokensOut = outcome.result?.outputTokens ?? 0;
    const costUsd = 0; // priced by the gateway's price table (issue: LLM gateway); the simulator is free
    await tx.insert(usageRecords).values({
      tenantId: input.tenantId, workflowId: run.workflowId, runId: run.id, stepId: step.id, executionId: input.executionId, attempt,
      provider: outcome.provider, model: outcome.simulated && outcome.provider === 'simulator' && !outcome.modelRef.startsWith('simulator:') ? `${outcome.modelRef} (simulated)` : outcome.model,
      outcome: error ? 'error' : 'success', errorName: error?.name ?? null, errorMessage: error?.message.slice(0, 1000) ?? null,
      latencyMs: outcome.latencyMs, inputTokens: tokensIn, outputTokens: tokensOut, cachedInputTokens: outcome.result?.cachedInputTokens ?? 0, costUsd,
    }).onConflictDoNothing();
    await tx.update(runSteps).set({
      inputTokens: sql`${runSteps.inputTokens} + ${tokensIn}`, outputTokens: sql`${runSteps.outputTokens} + ${tokensOut}`, costUsd: sql`${runSteps.costUsd} + ${costUsd}`,
      ...(error ? {} : { status: 'SUCCEEDED', output: output as unknown, provider: outcome.provider, model: outcome.model, finishedAt: new Date(p.now()) }),
    }).where(eq(runSteps.id, step.id));
    await tx.update(runs).set({ costUsd: sql`${runs.costUsd} + ${costUsd}` }).where(eq(runs.id, run.id));
    await appendEvent(tx, error
      ? { tenantId: input.tenantId, runId: run.id, stepId: step.id, nodeId: step.nodeId, type: 'step.attempt_failed', message: `${step.nodeId} attempt ${attempt} on ${outcome.modelRef} failed: ${error.name}`, data: { attempt, provider: outcome.provider, model: outcome.model, errorName: error.name } }
      : { tenantId: input.tenantId, runId: run.id, stepId: step.id, nodeId: step.nodeId, type: 'step.succeeded', message: `${step.nodeId} succeeded on ${outcome.provider}:${outcome.model}${outcome.simulated ? ' (simulator)' : ''}`, data: { attempt, provider: outcome.provider, model: outcome.model, inputTokens: tokensIn, outputTokens: tokensOut } });
  });

  if (error) {
    const max = node.maxAttempts ?? DEFAULT_MAX_ATTEMPTS;
    if ((RETRYABLE_ERROR_NAMES as readonly string[]).includes(error.name) && attempt >= max) {
      throw new RetriesExhausted(`${error.name} on attempt ${attempt} of ${max}: ${error.message}`);
    }
    throw error;
  }
  return { status: 'SUCCEEDED' };
}

/** Text answers are kept as text; with an output schema the answer must be JSON (else InvalidRequest). */
function parseOutput(outcome: AttemptOutcome, schema: Record<string, unknown> | undefined): unknown {
  const text = outcome.result!.text;
  if (!schema) return text;
  try {
    return JSON.parse(text);
  } catch {
    return new InvalidRequest(`model answer is not the JSON the output schema asks for`);
  }
}
