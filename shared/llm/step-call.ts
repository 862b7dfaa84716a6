/**
 * One invocation of an agent step through the gateway (ADR 010-013): walk the fallback chain from
 * the step's own attempt records, skip entries whose circuit breaker is open (recorded as `skipped`,
 * CircuitOpen, cost 0), reserve the budget estimate BEFORE any HTTP call (BudgetExceeded is recorded
 * as `blocked` and nothing reaches the provider), make exactly one provider call, validate structured
 * output, report the outcome to the breaker and price the tokens.
 *
 * Writes nothing itself except the budget reservation (its own short transaction, committed before
 * the call so concurrent steps see it): the caller writes `rows` (one usage record per attempt,
 * skipped/blocked included), settles `reservationIds` and appends `events` in ONE transaction.
 */
import {
  InvalidRequest,
  ProviderThrottled,
  ProviderUnavailable,
  isAppError,
  BudgetExceeded,
} from '../errors';
import type { Platform } from '../platform/platform';
import { reserveBudget } from './budgets';
import {
  CircuitBreaker,
  breakerOptions,
  type BreakerOptions,
  type Permit,
} from './circuit-breaker';
import { planNextAttempt, realAttempts, type PriorAttempt } from './fallback';
import {
  invokeEntry,
  resolveEntry,
  type AttemptOutcome,
  type GatewayDeps,
  type ResolvedEntry,
} from './gateway';
import { costOf, findPrice, roundUsd, type Price } from './prices';
import { DEFAULT_MAX_TOKENS } from './providers/common';
import { estimateTokens } from './providers/simulator';
import { validateStructuredOutput } from './structured-output';
import { tenantProviderCredentials } from './tenant-credentials';
import type { ModelCallRequest, ModelCallResult } from './types';
import type { usageRecords } from '../db/schema';

/** Error names the ASL RunAgentStep Retry block retries (besides Lambda's own). */
export const RETRYABLE_STEP_ERRORS: ReadonlySet<string> = new Set([
  'ProviderThrottled',
  'ProviderUnavailable',
  'OutputSchemaMismatch',
]);

/** Thrown when a retryable error hits the step's attempt limit (or the chain has nowhere left to go), so the ASL Retry stops and Catch records it. */
export class RetriesExhausted extends Error {
  override readonly name = 'RetriesExhausted';
}

export type AttemptRow = typeof usageRecords.$inferInsert;

export interface StepEvent {
  type: string;
  message: string;
  data: Record<string, unknown>;
}

export interface StepCallInput {
  tenantId: string;
  workflowId: string;
  runId: string;
  stepId: string;
  nodeId: string;
  executionId: string;
  chain: string[];
  /** This step's earlier attempts in this execution, oldest first. */
  prior: PriorAttempt[];
  /** The `attempt` number the next usage record gets (rows so far + 1). */
  nextRow: number;
  maxAttempts: number;
  request: Omit<ModelCallRequest, 'model'>;
}

export interface StepCallResult {
  rows: AttemptRow[];
  events: StepEvent[];
  reservationIds: string[];
  /** The real call, if one was made. */
  outcome?: AttemptOutcome;
  /** Parsed output (JSON for structured output, else text) when the call succeeded. */
  output?: unknown;
  /** The error the task throws (named, for the ASL), if any. */
  error?: Error;
  costUsd: number;
}

/** Upper bound of a call's cost: the whole prompt uncached plus every allowed output token. */
export function estimateCost(
  price: Price | undefined,
  request: Omit<ModelCallRequest, 'model'>,
): number {
  if (!price) return 0;
  const promptText = `${request.system ?? ''}${request.messages.map((m) => m.content).join('')}${request.outputSchema ? JSON.stringify(request.outputSchema) : ''}${request.tools ? JSON.stringify(request.tools) : ''}`;
  return costOf(price, {
    inputTokens: estimateTokens(promptText) + 8 * request.messages.length,
    outputTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    cachedInputTokens: 0,
  });
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runStepCall(
  p: Platform,
  input: StepCallInput,
  options: { breaker?: BreakerOptions } = {},
): Promise<StepCallResult> {
  const deps: GatewayDeps = {
    config: p.config,
    tenantCredentials: (provider) => tenantProviderCredentials(p, input.tenantId, provider),
    now: p.now,
  };
  const breaker = new CircuitBreaker(
    p.dynamo,
    p.config.TABLE_NAME,
    options.breaker ?? breakerOptions(p.config),
  );
  const res: StepCallResult = { rows: [], events: [], reservationIds: [], costUsd: 0 };
  const history = [...input.prior];
  const skippedNow = new Set<number>();
  let rowNo = input.nextRow;
  let lastAt = 0;
  /** Rows of one step are ordered by created_at: keep it strictly increasing within a call. */
  const stamp = () => new Date((lastAt = Math.max(p.now(), lastAt + 1)));
  const base = {
    tenantId: input.tenantId,
    workflowId: input.workflowId,
    runId: input.runId,
    stepId: input.stepId,
    executionId: input.executionId,
  };
  const rowModel = (e: ResolvedEntry) =>
    e.simulated && e.provider !== 'simulator' ? `${e.modelRef} (simulated)` : e.model;

  for (;;) {
    const plan = planNextAttempt(input.chain.length, history, p.now());
    if (plan.exhausted) {
      res.error = new RetriesExhausted(plan.reason);
      return res;
    }
    if (skippedNow.has(plan.chainIndex)) {
      // Every entry left to try has an open breaker: let the ASL back off and come back.
      res.error = new ProviderUnavailable(
        `every remaining provider in the chain has an open circuit breaker (${[...skippedNow].map((i) => input.chain[i]).join(', ')})`,
      );
      return res;
    }
    const modelRef = input.chain[plan.chainIndex];
    if (plan.reason) {
      const from = input.chain[plan.reason.from];
      res.events.push({
        type: 'step.fallback',
        message: `${input.nodeId} falls back from ${from} to ${modelRef}: ${plan.reason.errorName}${plan.reason.count > 1 ? ` ×${plan.reason.count}` : ''}`,
        data: { from, to: modelRef, reason: plan.reason.errorName, count: plan.reason.count },
      });
    }
    const entry = await resolveEntry(deps, modelRef);
    const rowId = rowNo++;

    // Budget first: a step that would exceed it fails before anything reaches the provider.
    let price: Price | undefined;
    const reservationId = `${input.stepId}:${input.executionId}:${rowId}`;
    try {
      price = await p.db.withTenant({ tenantId: input.tenantId }, async (tx) => {
        const found = await findPrice(
          tx,
          input.tenantId,
          entry.simulated ? 'simulator' : entry.provider,
          entry.model,
          new Date(p.now()),
        );
        if (entry.simulated) return found; // the simulator is free: no reservation
        if (
          await reserveBudget(tx, {
            tenantId: input.tenantId,
            workflowId: input.workflowId,
            reservationId,
            estimateUsd: estimateCost(found, input.request),
            at: new Date(p.now()),
          })
        )
          res.reservationIds.push(reservationId);
        return found;
      });
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      res.rows.push({
        ...base,
        attempt: rowId,
        provider: entry.provider,
        model: rowModel(entry),
        modelRef,
        outcome: 'blocked',
        errorName: e.name,
        errorMessage: e.message.slice(0, 1000),
        latencyMs: 0,
        costUsd: 0,
        priced: true,
        createdAt: stamp(),
      });
      res.events.push({
        type: 'step.budget_exceeded',
        message: `${input.nodeId}: ${e.message}`,
        data: { modelRef },
      });
      res.error = e;
      return res;
    }

    // Circuit breaker: an open provider is skipped without a call.
    let permit: Permit | undefined;
    const breakerKey = CircuitBreaker.key(
      entry.provider,
      entry.keySource === 'tenant' ? `tenant:${input.tenantId}` : 'env',
    );
    if (!entry.simulated) {
      permit = await breaker.acquire(breakerKey, p.now());
      if (!permit.allowed) {
        const at = stamp();
        res.rows.push({
          ...base,
          attempt: rowId,
          provider: entry.provider,
          model: entry.model,
          modelRef,
          outcome: 'skipped',
          errorName: 'CircuitOpen',
          errorMessage: `circuit breaker for ${entry.provider} is ${permit.state}: skipped without calling the provider`,
          latencyMs: 0,
          costUsd: 0,
          priced: true,
          createdAt: at,
        });
        res.events.push({
          type: 'step.attempt_skipped',
          message: `${input.nodeId} skipped ${modelRef}: circuit breaker ${permit.state}`,
          data: { modelRef, provider: entry.provider, state: permit.state },
        });
        history.push({
          chainIndex: plan.chainIndex,
          outcome: 'skipped',
          errorName: 'CircuitOpen',
          endedAt: at.getTime(),
        });
        skippedNow.add(plan.chainIndex);
        continue;
      }
    }

    if (plan.waitMs > 0) await sleep(plan.waitMs); // the rest of the provider's Retry-After
    const outcome = await invokeEntry(deps, entry, input.request, realAttempts(history) + 1);
    res.outcome = outcome;
    let error: Error | undefined = outcome.error;
    if (!error && outcome.result) {
      try {
        res.output = input.request.outputSchema
          ? validateStructuredOutput(outcome.result.text, input.request.outputSchema)
          : outcome.result.text;
      } catch (e) {
        error = isAppError(e)
          ? e
          : new InvalidRequest(`output validation failed: ${(e as Error).message}`);
      }
    }
    if (permit) {
      const transition = await breaker.record(breakerKey, permit, outcome.error?.name, p.now());
      if (transition)
        res.events.push({
          type: `provider.circuit_${transition}`,
          message: `circuit breaker for ${entry.provider} ${transition}${permit.probe ? ' after a half-open probe' : ''}`,
          data: { provider: entry.provider, transition, probe: permit.probe },
        });
    }

    const tokens = usageOf(outcome.result);
    const costUsd = price ? costOf(price, tokens) : 0;
    res.costUsd = costUsd;
    const endedAt = stamp();
    res.rows.push({
      ...base,
      attempt: rowId,
      provider: outcome.provider,
      model: rowModel(entry),
      modelRef,
      outcome: error ? 'error' : 'success',
      errorName: error?.name ?? null,
      errorMessage: error?.message.slice(0, 1000) ?? null,
      retryAfterMs: error instanceof ProviderThrottled ? (error.retryAfterMs ?? null) : null,
      latencyMs: Math.round(outcome.latencyMs),
      ...tokens,
      costUsd: roundUsd(costUsd),
      priced: price !== undefined,
      createdAt: endedAt,
    });
    history.push({
      chainIndex: plan.chainIndex,
      outcome: error ? 'error' : 'success',
      errorName: error?.name,
      retryAfterMs: error instanceof ProviderThrottled ? error.retryAfterMs : undefined,
      endedAt: endedAt.getTime(),
    });
    p.log.info('llm attempt', {
      tenantId: input.tenantId,
      runId: input.runId,
      stepId: input.stepId,
      modelRef,
      provider: outcome.provider,
      outcome: error ? 'error' : 'success',
      errorName: error?.name,
      error: error?.message,
      latencyMs: Math.round(outcome.latencyMs),
      inputTokens: tokens.inputTokens,
      outputTokens: tokens.outputTokens,
      costUsd,
    });
    if (price === undefined && !entry.simulated) {
      res.events.push({
        type: 'step.unpriced',
        message: `${entry.provider}:${entry.model} has no price: metered in tokens only until an admin prices it`,
        data: { modelRef },
      });
    }

    if (error && RETRYABLE_STEP_ERRORS.has(error.name)) {
      const used = realAttempts(history);
      const next = planNextAttempt(input.chain.length, history, p.now());
      if (used >= input.maxAttempts)
        error = new RetriesExhausted(
          `${error.name} on attempt ${used} of ${input.maxAttempts}: ${error.message}`,
        );
      else if (next.exhausted)
        error = new RetriesExhausted(`${error.name}: ${next.reason}: ${error.message}`);
    }
    res.error = error;
    return res;
  }
}

function usageOf(r: ModelCallResult | undefined) {
  return {
    inputTokens: r?.inputTokens ?? 0,
    outputTokens: r?.outputTokens ?? 0,
    cachedInputTokens: r?.cachedInputTokens ?? 0,
  };
}
