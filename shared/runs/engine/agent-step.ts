import { asc, and, eq, sql } from 'drizzle-orm';
import { runSteps, runs, usageRecords } from '../../db/schema';
import { ValidationError } from '../../errors';
import { settleReservation } from '../../llm/budgets';
import type { PriorAttempt } from '../../llm/fallback';
import { runStepCall } from '../../llm/step-call';
import type { Platform } from '../../platform/platform';
import { promptWithKnowledge } from '../../rag/agent-context';
import { renderTemplate } from '../../workflow/template';
import { appendEvent } from '../events';
import { loadPinnedAgent, loadRunContext } from './context';

export { RetriesExhausted } from '../../llm/step-call';

export interface StepTaskInput {
  tenantId: string;
  runId: string;
  stepId: string;
  executionId: string;
}

/** Attempts a step gets before a retryable failure becomes final, unless the node sets maxAttempts. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** The ASL Retry allows 4 retries (5 invocations): a longer chain cannot use more. */
const MAX_DEFAULT_ATTEMPTS = 5;

/**
 * One invocation of one agent step. The prompt is rendered from the run input and finished outputs;
 * the gateway (shared/llm/step-call) walks the fallback chain from this step's attempt records,
 * skips open circuit breakers, reserves the budget and makes at most one provider call, outside any
 * transaction; every attempt (skipped and budget-blocked ones too) is recorded with its cost.
 * Idempotent under at-least-once delivery: a finished step is not run again.
 */
export async function runAgentStep(p: Platform, input: StepTaskInput): Promise<{ status: string }> {
  const prepared = await p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    const { run, spec, steps } = await loadRunContext(tx, input.runId);
    const step = steps.find((s) => s.id === input.stepId);
    if (!step) throw new ValidationError(`step ${input.stepId} is not part of run ${input.runId}`);
    if (run.status === 'CANCELLED' || step.status === 'SUCCEEDED' || step.status === 'SKIPPED')
      return { skip: step.status === 'SUCCEEDED' ? 'SUCCEEDED' : 'SKIPPED' } as const;
    const node = spec.nodes.find((n) => n.id === step.nodeId)!;
    const agent = await loadPinnedAgent(tx, run, node.agent!);
    const outputs = Object.fromEntries(
      steps.filter((s) => s.status === 'SUCCEEDED').map((s) => [s.nodeId, { output: s.output }]),
    );
    const prompt = renderTemplate(node.prompt ?? '{{input}}', {
      input: run.input as Record<string, unknown>,
      steps: outputs,
    });
    const chain = [agent.model, ...agent.fallbacks];
    const records = await tx
      .select()
      .from(usageRecords)
      .where(and(eq(usageRecords.stepId, step.id), eq(usageRecords.executionId, input.executionId)))
      .orderBy(asc(usageRecords.attempt));
    const prior: PriorAttempt[] = records.map((r) => ({
      chainIndex: Math.max(
        0,
        r.modelRef ? chain.indexOf(r.modelRef) : Math.min(r.attempt - 1, chain.length - 1),
      ),
      outcome: r.outcome as PriorAttempt['outcome'],
      errorName: r.errorName,
      retryAfterMs: r.retryAfterMs,
      endedAt: r.createdAt.getTime(),
    }));
    const attempt = records.length + 1;
    if (step.status !== 'RUNNING') {
      await tx
        .update(runSteps)
        .set({ status: 'RUNNING', prompt, startedAt: step.startedAt ?? new Date(p.now()) })
        .where(eq(runSteps.id, step.id));
    }
    await appendEvent(tx, {
      tenantId: input.tenantId,
      runId: run.id,
      stepId: step.id,
      nodeId: step.nodeId,
      type: attempt === 1 ? 'step.started' : 'step.retrying',
      message: attempt === 1 ? `${step.nodeId} started` : `${step.nodeId} attempt ${attempt}`,
    });
    return { run, step, node, agent, prompt, chain, prior, attempt } as const;
  });
  if ('skip' in prepared) return { status: prepared.skip! };
  const { run, step, node, agent, prompt, chain, prior, attempt } = prepared;
  // Retrieval happens before the call and outside any transaction (embedding the query may be remote).
  const content = await promptWithKnowledge(p, {
    tenantId: input.tenantId,
    runId: run.id,
    workflowId: run.workflowId,
    stepId: step.id,
    nodeId: step.nodeId,
    knowledgeBaseIds: agent.knowledgeBaseIds,
    prompt,
  });

  const call = await runStepCall(p, {
    tenantId: input.tenantId,
    workflowId: run.workflowId,
    runId: run.id,
    stepId: step.id,
    nodeId: step.nodeId,
    executionId: input.executionId,
    chain,
    prior,
    nextRow: attempt,
    maxAttempts:
      node.maxAttempts ??
      Math.min(MAX_DEFAULT_ATTEMPTS, Math.max(DEFAULT_MAX_ATTEMPTS, chain.length + 1)),
    request: {
      system: agent.systemPrompt,
      messages: [{ role: 'user', content }],
      temperature: agent.parameters.temperature,
      maxTokens: agent.parameters.maxTokens,
      outputSchema: agent.outputSchema,
    },
  });
  const { outcome, error } = call;

  await p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
    // The attempts' usage records and the settlement of their budget reservations: one transaction.
    if (call.rows.length) await tx.insert(usageRecords).values(call.rows).onConflictDoNothing();
    for (const id of call.reservationIds) await settleReservation(tx, id);
    const tokensIn = outcome?.result?.inputTokens ?? 0;
    const tokensOut = outcome?.result?.outputTokens ?? 0;
    const costUsd = call.costUsd;
    await tx
      .update(runSteps)
      .set({
        inputTokens: sql`${runSteps.inputTokens} + ${tokensIn}`,
        outputTokens: sql`${runSteps.outputTokens} + ${tokensOut}`,
        costUsd: sql`${runSteps.costUsd} + ${costUsd}`,
        ...(error || !outcome
          ? {}
          : {
              status: 'SUCCEEDED',
              output: call.output as unknown,
              provider: outcome.provider,
              model: outcome.model,
              finishedAt: new Date(p.now()),
            }),
      })
      .where(eq(runSteps.id, step.id));
    if (costUsd)
      await tx
        .update(runs)
        .set({ costUsd: sql`${runs.costUsd} + ${costUsd}` })
        .where(eq(runs.id, run.id));
    for (const e of call.events)
      await appendEvent(tx, {
        tenantId: input.tenantId,
        runId: run.id,
        stepId: step.id,
        nodeId: step.nodeId,
        ...e,
      });
    if (!outcome) return;
    const n = call.rows[call.rows.length - 1].attempt;
    await appendEvent(
      tx,
      error
        ? {
            tenantId: input.tenantId,
            runId: run.id,
            stepId: step.id,
            nodeId: step.nodeId,
            type: 'step.attempt_failed',
            message: `${step.nodeId} attempt ${n} on ${outcome.modelRef} failed: ${error.name}`,
            data: {
              attempt: n,
              provider: outcome.provider,
              model: outcome.model,
              errorName: error.name,
              costUsd,
            },
          }
        : {
            tenantId: input.tenantId,
            runId: run.id,
            stepId: step.id,
            nodeId: step.nodeId,
            type: 'step.succeeded',
            message: `${step.nodeId} succeeded on ${outcome.provider}:${outcome.model}${outcome.simulated ? ' (simulator)' : ''}`,
            data: {
              attempt: n,
              provider: outcome.provider,
              model: outcome.model,
              inputTokens: tokensIn,
              outputTokens: tokensOut,
              costUsd,
            },
          },
    );
  });

  if (error) throw error;
  return { status: 'SUCCEEDED' };
}
