/**
 * One invocation of an agent step through the gateway (ADR 010-013): walk the fallback chain from
 * the step's own attempt records, skip entries whose circuit breaker is open (recorded as
 * `skipped`, CircuitOpen, cost 0), reserve the budget estimate BEFORE any HTTP call
 * (BudgetExceeded is recorded as `blocked` and nothing reaches the provider), make exactly one
 * provider call, validate structured output, report the outcome to the breaker and price the
 * tokens. `StepCall.run` reads as that list: nextAttempt → holdBudget → passBreaker → callProvider.
 *
 * Writes two things itself, committed before the provider call: the budget reservation (so
 * concurrent steps see it) and an `in_flight` usage record of the attempt (so a call in flight when
 * the process dies is found and charged at its estimate on recovery, see
 * shared/runs/engine/interrupted-attempts.ts); each in its own short transaction (`runStepCall`) or
 * in the caller's step preparation (`prepareStepCall`, ADR 165). The caller upserts `rows` (one usage record per
 * attempt, skipped/blocked included; the real call's row replaces the in-flight one by id), settles
 * `reservationIds` and appends `events` in ONE transaction.
 */
import { randomUUID } from 'node:crypto';
import {
  InvalidRequest,
  ProviderThrottled,
  ProviderUnavailable,
  isAppError,
  BudgetExceeded,
  ProviderNotConfigured,
} from '../errors';
import { parseModelRef } from './model-ref';
import { metrics } from '../observability/metrics';
import { inSpan } from '../observability/tracing';
import type { Tx } from '../db/client';
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
import { costOf, findPrice, roundUsd, SIMULATOR_PRICE, type Price } from './prices';
import { DEFAULT_MAX_TOKENS } from './providers/common';
import { estimateTokens } from './providers/simulator';
import { tenantProviderCredentials } from './tenant-credentials';
import type { ModelCallRequest, ModelCallResult } from './types';
import { type AttemptRow, attemptRecordWrite } from './attempt-record-write';
import { runPrebuilt, type StatementPart } from '../db/prebuilt-statement';
import { attemptReservationId, IN_FLIGHT, PREPARED } from './attempt-outcomes';

/** Error names the ASL RunAgentStep Retry block retries (besides Lambda's own). */
export const RETRYABLE_STEP_ERRORS: ReadonlySet<string> = new Set([
  'ProviderThrottled',
  'ProviderUnavailable',
  'OutputSchemaMismatch',
]);

/**
 * Thrown when a retryable error hits the step's attempt limit (or the chain has nowhere left to
 * go), so the ASL Retry stops and Catch records it.
 */
export class RetriesExhausted extends Error {
  override readonly name = 'RetriesExhausted';
}

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
  /**
   * Where a streamed attempt's partial output goes while the model generates (ADR 142). Given,
   * plain-text calls stream; the sink is opened per attempt and ended with its outcome.
   */
  partialOutput?: (attempt: number, modelRef: string) => PartialOutputSink;
  /**
   * The id of the step's prepared record (ADR 186): this walk's first usage record takes it, so
   * the record is written over, not beside.
   */
  takesOver?: string;
}

/** One attempt's partial output on its way to the timeline (shared/runs/engine/partial-output). */
export interface PartialOutputSink {
  onText(delta: string): void;
  /**
   * The attempt is over: stop flushing and wait for a write in flight. Returns the events its
   * record adds (in the same transaction): the rest of the text when it answered, or a visible
   * discard when it failed.
   */
  end(result: { answered: true } | { answered: false; reason: string }): Promise<StepEvent[]>;
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

/** The token counts an estimate is priced from: the whole prompt uncached, every allowed output token. */
export function estimateTokensOf(request: Omit<ModelCallRequest, 'model'>): {
  inputTokens: number;
  outputTokens: number;
  cachedInputTokens: number;
} {
  const promptText = [
    request.system ?? '',
    // Tool turns (ADR 130) count too: the calls the model made and the results it reads back.
    ...request.messages.map(
      (m) =>
        m.content +
        (m.toolCalls ? JSON.stringify(m.toolCalls) : '') +
        (m.toolResults ?? []).map((r) => r.content).join(''),
    ),
    request.outputSchema ? JSON.stringify(request.outputSchema) : '',
    request.tools ? JSON.stringify(request.tools) : '',
  ].join('');
  return {
    inputTokens: estimateTokens(promptText) + 8 * request.messages.length,
    outputTokens: request.maxTokens ?? DEFAULT_MAX_TOKENS,
    cachedInputTokens: 0,
  };
}

/** Upper bound of a call's cost: the whole prompt uncached plus every allowed output token. */
export function estimateCost(
  price: Price | undefined,
  request: Omit<ModelCallRequest, 'model'>,
): number {
  if (!price) return 0;
  return costOf(price, estimateTokensOf(request));
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export async function runStepCall(
  p: Platform,
  input: StepCallInput,
  options: { breaker?: BreakerOptions } = {},
): Promise<StepCallResult> {
  return new StepCall(p, input, options.breaker ?? breakerOptions(p.config)).run();
}

/** A walk stopped at an attempt, with its in-flight record written in the caller's transaction. */
export interface PreparedStepCall {
  /** The provider call (if the walk found one), outside any transaction. */
  finish(): Promise<StepCallResult>;
}

/**
 * The walk up to the provider call inside the caller's transaction (the step's preparation): the
 * budget reservation and the in-flight record commit with it, one transaction fewer per step
 * (ADR 165). A Retry-After still to wait out writes its in-flight record after the wait, alone.
 */
export async function prepareStepCall(
  p: Platform,
  tx: Tx,
  input: StepCallInput,
  options: {
    breaker?: BreakerOptions;
    /** Takes the in-flight record's insert to send with the caller's next statement, in `tx`. */
    defer?: (write: StatementPart) => void;
  } = {},
): Promise<PreparedStepCall> {
  const call = new StepCall(p, input, options.breaker ?? breakerOptions(p.config));
  const ready = await call.walk(tx, options.defer);
  return {
    finish: async () => {
      if (ready) await call.callProvider(ready);
      return call.result;
    },
  };
}

/**
 * The walk of a step its predecessor's completion prepares (ADR 186), only when it goes straight
 * to a call: the chain's next entry is configured, its breaker closed, the budget holds the
 * estimate and no Retry-After is pending. The in-flight record (outcome `prepared`) goes to
 * `defer`. Anything else (a skip, a fallback, a block, a half-open probe) gives undefined with
 * nothing written and no permit taken: the step's own task walks as usual.
 */
export async function prepareCleanStepCall(
  p: Platform,
  tx: Tx,
  input: StepCallInput,
  defer: (write: StatementPart) => void,
  options: { breaker?: BreakerOptions } = {},
): Promise<PreparedStepCall | undefined> {
  const call = new StepCall(p, input, options.breaker ?? breakerOptions(p.config));
  const ready = await call.cleanWalk(tx);
  if (!ready) return undefined;
  defer(call.preparedWrite(ready));
  return { finish: () => call.callProvider(ready).then(() => call.result) };
}

/** The attempt a walk stopped at; `recorded` once its in-flight record is written. */
interface ReadyAttempt {
  attempt: Attempt;
  price: Price | undefined;
  permit: Permit | undefined;
  recorded: boolean;
}

/** The chain entry one attempt uses, and the number of the usage record it writes. */
interface Attempt {
  modelRef: string;
  chainIndex: number;
  /** The rest of a provider's Retry-After, waited out before the call. */
  waitMs: number;
  entry: ResolvedEntry;
  rowId: number;
  /** The usage record's id: the in-flight record written before the call is replaced by it. */
  rowUuid: string;
}

/**
 * One invocation's walk down the chain. `run` is the whole story; each step it names records what
 * it decided (rows, events, history) on the result and says whether the walk goes on.
 */
class StepCall {
  private readonly res: StepCallResult = { rows: [], events: [], reservationIds: [], costUsd: 0 };
  private readonly history: PriorAttempt[];
  /** Chain entries skipped in this invocation because their breaker is open. */
  private readonly skippedNow = new Set<number>();
  /** Chain entries skipped because nothing may answer for them: index → why. */
  private readonly notConfigured = new Map<number, string>();
  private readonly deps: GatewayDeps;
  private readonly breaker: CircuitBreaker;
  private rowNo: number;
  private lastAt = 0;

  constructor(
    private readonly p: Platform,
    private readonly input: StepCallInput,
    breaker: BreakerOptions,
  ) {
    this.history = [...input.prior];
    this.rowNo = input.nextRow;
    this.deps = {
      config: p.config,
      tenantCredentials: (provider) => tenantProviderCredentials(p, input.tenantId, provider),
      now: p.now,
    };
    this.breaker = new CircuitBreaker(p.dynamo, p.config.TABLE_NAME, breaker);
  }

  async run(): Promise<StepCallResult> {
    const ready = await this.walk();
    if (ready) await this.callProvider(ready);
    return this.res;
  }

  get result(): StepCallResult {
    return this.res;
  }

  /**
   * Steps 1-3: the attempt to call, or none. Given the caller's transaction, the budget is held in
   * it and, with no Retry-After to wait out, the in-flight record is written there too (ADR 165).
   */
  async walk(tx?: Tx, defer?: (write: StatementPart) => void): Promise<ReadyAttempt | undefined> {
    for (;;) {
      const attempt = await this.nextAttempt();
      if (!attempt) return undefined;
      if (attempt === 'skipped') continue;
      const budget = await this.holdBudget(attempt, tx);
      if (!budget.reserved) return undefined;
      const permit = await this.passBreaker(attempt);
      if (permit === 'skipped') continue;
      const ready = { attempt, price: budget.price, permit, recorded: false };
      if (tx && attempt.waitMs === 0) {
        const insert = this.inFlightWrite(attempt, budget.price);
        if (defer) defer(insert);
        else await runPrebuilt(tx, 'attempt_record', insert);
        ready.recorded = true;
      }
      return ready;
    }
  }

  /**
   * Steps 1-3 when nothing but a call may come of them (`prepareCleanStepCall`): the breaker is
   * asked before the budget, and only whether it is closed, so giving up writes nothing.
   */
  async cleanWalk(tx: Tx): Promise<ReadyAttempt | undefined> {
    const attempt = await this.nextAttempt();
    if (!attempt || attempt === 'skipped' || attempt.waitMs > 0 || this.res.events.length)
      return undefined;
    let permit: Permit | undefined;
    if (!attempt.entry.simulated) {
      permit = await this.breaker.acquire(this.breakerKey(attempt.entry), this.p.now(), {
        probe: false,
      });
      if (!permit.allowed) return undefined;
    }
    const budget = await this.holdBudget(attempt, tx, { prepared: true });
    if (!budget.reserved) return undefined;
    return { attempt, price: budget.price, permit, recorded: true };
  }

  /** The in-flight record of a step its predecessor prepared (outcome `prepared`, ADR 186). */
  preparedWrite(ready: ReadyAttempt): StatementPart {
    const row = { ...this.inFlightRow(ready.attempt, ready.price), outcome: PREPARED };
    return attemptRecordWrite(row, 'prepared_', { replace: false });
  }

  /**
   * Step 1: which entry next, or none (the step is exhausted, or every entry left is open or has
   * no key), or `skipped` (this entry has no key and nothing may stand in: the walk moves on).
   */
  private async nextAttempt(): Promise<Attempt | undefined | 'skipped'> {
    const { chain, nodeId } = this.input;
    const plan = planNextAttempt(chain.length, this.history, this.p.now());
    if (plan.exhausted) {
      this.res.error = new RetriesExhausted(plan.reason);
      return undefined;
    }
    if (this.skippedNow.has(plan.chainIndex)) {
      // No entry of the chain has a key (and no simulator may stand in): permanent, fail fast.
      if ([...this.skippedNow].every((i) => this.notConfigured.has(i))) {
        const why = new Set([...this.skippedNow].map((i) => this.notConfigured.get(i)));
        this.res.error = new ProviderNotConfigured([...why].join('; '));
        return undefined;
      }
      // Every entry left to try has an open breaker: let the ASL back off and come back.
      const open = [...this.skippedNow].map((i) => chain[i]).join(', ');
      this.res.error = new ProviderUnavailable(
        `every remaining provider in the chain has an open circuit breaker (${open})`,
      );
      return undefined;
    }
    const modelRef = chain[plan.chainIndex];
    if (plan.reason) {
      const { from: fromIndex, errorName, count } = plan.reason;
      const from = chain[fromIndex];
      this.event(
        'step.fallback',
        `${nodeId} falls back from ${from} to ${modelRef}: ${errorName}${times(count)}`,
        { from, to: modelRef, reason: errorName, count },
      );
    }
    let entry: ResolvedEntry;
    try {
      entry = await resolveEntry(this.deps, modelRef);
    } catch (e) {
      if (!(e instanceof ProviderNotConfigured)) throw e;
      this.skipUnconfigured(modelRef, plan.chainIndex, e);
      return 'skipped';
    }
    const rowId = this.rowNo++;
    return {
      modelRef,
      chainIndex: plan.chainIndex,
      waitMs: plan.waitMs,
      entry,
      rowId,
      rowUuid: this.takenOver(rowId) ?? randomUUID(),
    };
  }

  /** Like an open breaker: recorded as skipped, and the chain moves on to an entry with a key. */
  private skipUnconfigured(modelRef: string, chainIndex: number, e: ProviderNotConfigured): void {
    const { tenantId, workflowId, runId, stepId, executionId, nodeId } = this.input;
    const { provider, model } = parseModelRef(modelRef);
    const at = this.stamp();
    const attempt = this.rowNo++;
    const id = this.takenOver(attempt);
    this.res.rows.push({
      ...(id ? { id } : {}),
      tenantId,
      workflowId,
      runId,
      stepId,
      executionId,
      attempt,
      provider,
      model,
      modelRef,
      outcome: 'skipped',
      errorName: e.name,
      errorMessage: e.message.slice(0, 1000),
      latencyMs: 0,
      costUsd: 0,
      priced: true,
      createdAt: at,
    });
    this.event('step.attempt_skipped', `${nodeId} skipped ${modelRef}: ${e.message}`, {
      modelRef,
      provider,
      reason: e.name,
    });
    this.history.push({ chainIndex, outcome: 'skipped', errorName: e.name, endedAt: at.getTime() });
    this.skippedNow.add(chainIndex);
    this.notConfigured.set(chainIndex, e.message);
  }

  /**
   * Step 2: price the entry and reserve the budget estimate before anything reaches the provider.
   * A step that would exceed a budget is recorded as `blocked` and ends the invocation.
   */
  private async holdBudget(
    a: Attempt,
    outer?: Tx,
    /**
     * `prepared`: for a step its predecessor prepares (ADR 186); a block is not recorded, the
     * step's own task will walk again and record it.
     */
    { prepared = false }: { prepared?: boolean } = {},
  ): Promise<{ reserved: true; price: Price | undefined } | { reserved: false }> {
    const { tenantId, workflowId, stepId, executionId, request } = this.input;
    const reservationId = attemptReservationId({
      stepId,
      executionId,
      attempt: a.rowId,
      outcome: prepared ? PREPARED : undefined,
    });
    // The simulator is free: no price to look up, no reservation, so no transaction.
    if (a.entry.simulated) return { reserved: true, price: SIMULATOR_PRICE(a.entry.model) };
    try {
      const hold = async (tx: Tx) => {
        const found = await findPrice(
          tx,
          tenantId,
          a.entry.provider,
          a.entry.model,
          new Date(this.p.now()),
        );
        const estimateUsd = estimateCost(found, request);
        const at = new Date(this.p.now());
        if (await reserveBudget(tx, { tenantId, workflowId, reservationId, estimateUsd, at }))
          this.res.reservationIds.push(reservationId);
        return found;
      };
      // reserveBudget throws BudgetExceeded from JavaScript: the caller's transaction stays usable.
      const price = await (outer ? hold(outer) : this.p.db.withTenant({ tenantId }, hold));
      return { reserved: true, price };
    } catch (e) {
      if (!(e instanceof BudgetExceeded)) throw e;
      if (prepared) return { reserved: false };
      this.res.rows.push(
        this.row(a, {
          provider: a.entry.provider,
          outcome: 'blocked',
          errorName: e.name,
          errorMessage: e.message.slice(0, 1000),
          createdAt: this.stamp(),
        }),
      );
      this.event('step.budget_exceeded', `${this.input.nodeId}: ${e.message}`, {
        modelRef: a.modelRef,
      });
      this.res.error = e;
      return { reserved: false };
    }
  }

  /**
   * Step 3: ask the provider's circuit breaker. An open one is recorded as a `skipped` attempt
   * (CircuitOpen, cost 0) and the walk moves on without a call. The simulator has no breaker.
   */
  private async passBreaker(a: Attempt): Promise<Permit | undefined | 'skipped'> {
    if (a.entry.simulated) return undefined;
    const permit = await this.breaker.acquire(this.breakerKey(a.entry), this.p.now());
    if (permit.allowed) return permit;
    const at = this.stamp();
    const { provider } = a.entry;
    this.res.rows.push(
      this.row(a, {
        provider,
        outcome: 'skipped',
        errorName: 'CircuitOpen',
        errorMessage: `circuit breaker for ${provider} is ${permit.state}: ${SKIPPED_NOTE}`,
        createdAt: at,
      }),
    );
    this.event(
      'step.attempt_skipped',
      `${this.input.nodeId} skipped ${a.modelRef}: circuit breaker ${permit.state}`,
      { modelRef: a.modelRef, provider, state: permit.state },
    );
    this.history.push({
      chainIndex: a.chainIndex,
      outcome: 'skipped',
      errorName: 'CircuitOpen',
      endedAt: at.getTime(),
    });
    this.skippedNow.add(a.chainIndex);
    return 'skipped';
  }

  /** Step 4: the one provider call, its output validated, reported to the breaker and recorded. */
  async callProvider({ attempt: a, price, permit, recorded }: ReadyAttempt): Promise<void> {
    if (!recorded) {
      if (a.waitMs > 0) await sleep(a.waitMs); // the rest of the provider's Retry-After
      await this.p.db.withTenant({ tenantId: this.input.tenantId }, (tx) =>
        runPrebuilt(tx, 'attempt_record', this.inFlightWrite(a, price)),
      );
    }
    const { request } = this.input;
    const partial = this.input.partialOutput?.(a.rowId, a.modelRef);
    // One client span per provider call, inside the step attempt's span.
    const outcome = await inSpan(
      `llm ${a.entry.provider}`,
      { 'gen_ai.system': a.entry.provider, 'gen_ai.request.model': a.entry.model },
      async (span) => {
        const o = await invokeEntry(
          this.deps,
          a.entry,
          request,
          realAttempts(this.history) + 1,
          partial ? { onText: (d) => partial.onText(d) } : undefined,
        );
        // The provider that answered (the simulator stands in for providers without a key).
        span.updateName(`llm ${o.provider}`);
        span.setAttributes({
          'gen_ai.system': o.provider,
          'gen_ai.usage.input_tokens': o.result?.inputTokens ?? 0,
          'gen_ai.usage.output_tokens': o.result?.outputTokens ?? 0,
          'hishamos.outcome': o.error ? o.error.name : 'success',
        });
        return o;
      },
    );
    this.res.outcome = outcome;
    const error = outcome.error ?? (await this.validateOutput(outcome));
    if (partial)
      this.res.events.push(
        ...(await partial.end(
          error ? { answered: false, reason: error.name } : { answered: true },
        )),
      );
    if (permit) await this.reportToBreaker(a.entry, permit, outcome);
    this.recordAttempt(a, outcome, error, price);
    this.res.error = error && this.finalError(error);
  }

  /** The attempt's in-flight record, replaced by its outcome's (same id) when the call ends. */
  private inFlightWrite(a: Attempt, price: Price | undefined): StatementPart {
    const replace = a.rowUuid === this.input.takesOver;
    return attemptRecordWrite(this.inFlightRow(a, price), 'in_flight_', { replace });
  }

  /** The prepared record's id for the walk's first usage record (ADR 186). */
  private takenOver(attempt: number): string | undefined {
    return attempt === this.input.nextRow ? this.input.takesOver : undefined;
  }

  /**
   * The attempt exists before the call: its tokens hold the estimate's basis (the request's prompt
   * and its output allowance), priced on recovery if this process never comes back to replace it.
   */
  private inFlightRow(a: Attempt, price: Price | undefined): AttemptRow {
    return this.row(a, {
      id: a.rowUuid,
      provider: a.entry.provider,
      outcome: IN_FLIGHT,
      ...estimateTokensOf(this.input.request),
      priced: price !== undefined,
      createdAt: this.stamp(),
    });
  }

  /** Sets the parsed output; returns the error when the answer does not fit the output schema. */
  private async validateOutput(outcome: AttemptOutcome): Promise<Error | undefined> {
    if (!outcome.result) return undefined;
    const { outputSchema } = this.input.request;
    try {
      // Loaded on first use: zod's JSON Schema compiler is ~30 KiB of every cold start otherwise.
      this.res.output = outputSchema
        ? (await import('./structured-output')).validateStructuredOutput(
            outcome.result.text,
            outputSchema,
          )
        : outcome.result.text;
      return undefined;
    } catch (e) {
      return isAppError(e)
        ? e
        : new InvalidRequest(`output validation failed: ${(e as Error).message}`);
    }
  }

  /** The breaker hears only about the provider's own failure, not about our schema check. */
  private async reportToBreaker(
    entry: ResolvedEntry,
    permit: Permit,
    outcome: AttemptOutcome,
  ): Promise<void> {
    const transition = await this.breaker.record(
      this.breakerKey(entry),
      permit,
      outcome.error?.name,
      this.p.now(),
    );
    if (transition)
      metrics().gauge('circuit_breaker_open', transition === 'closed' ? 0 : 1, {
        provider: entry.provider,
      });
    if (transition)
      this.event(
        `provider.circuit_${transition}`,
        `circuit breaker for ${entry.provider} ${transition}${permit.probe ? PROBE_NOTE : ''}`,
        { provider: entry.provider, transition, probe: permit.probe },
      );
  }

  /** The usage record, the history entry, the log line and, for an unpriced model, an event. */
  private recordAttempt(
    a: Attempt,
    outcome: AttemptOutcome,
    error: Error | undefined,
    price: Price | undefined,
  ): void {
    const tokens = usageOf(outcome.result);
    const costUsd = price ? costOf(price, tokens) : 0;
    const retryAfterMs = error instanceof ProviderThrottled ? error.retryAfterMs : undefined;
    const outcomeName = error ? 'error' : 'success';
    const latencyMs = Math.round(outcome.latencyMs);
    const endedAt = this.stamp();
    this.res.costUsd = costUsd;
    this.res.rows.push(
      this.row(a, {
        id: a.rowUuid,
        provider: outcome.provider,
        outcome: outcomeName,
        errorName: error?.name ?? null,
        errorMessage: error?.message.slice(0, 1000) ?? null,
        retryAfterMs: retryAfterMs ?? null,
        latencyMs,
        ...tokens,
        costUsd: roundUsd(costUsd),
        priced: price !== undefined,
        createdAt: endedAt,
      }),
    );
    recordAttemptMetrics(outcome.provider, tokens, costUsd, error?.name);
    this.history.push({
      chainIndex: a.chainIndex,
      outcome: outcomeName,
      errorName: error?.name,
      retryAfterMs,
      endedAt: endedAt.getTime(),
    });
    const { tenantId, runId, stepId } = this.input;
    this.p.log.info('llm attempt', {
      tenantId,
      runId,
      stepId,
      modelRef: a.modelRef,
      provider: outcome.provider,
      outcome: outcomeName,
      errorName: error?.name,
      error: error?.message,
      latencyMs,
      inputTokens: tokens.inputTokens,
      outputTokens: tokens.outputTokens,
      costUsd,
    });
    if (price === undefined && !a.entry.simulated)
      this.event(
        'step.unpriced',
        `${a.entry.provider}:${a.entry.model} has no price: ${UNPRICED_NOTE}`,
        { modelRef: a.modelRef },
      );
  }

  /** A retryable error becomes RetriesExhausted once the step's attempts or the chain run out. */
  private finalError(error: Error): Error {
    if (!RETRYABLE_STEP_ERRORS.has(error.name)) return error;
    const used = realAttempts(this.history);
    const { maxAttempts, chain } = this.input;
    if (used >= maxAttempts)
      return new RetriesExhausted(
        `${error.name} on attempt ${used} of ${maxAttempts}: ${error.message}`,
      );
    const next = planNextAttempt(chain.length, this.history, this.p.now());
    if (next.exhausted)
      return new RetriesExhausted(`${error.name}: ${next.reason}: ${error.message}`);
    return error;
  }

  /** A usage record of this step: the ids every row repeats, plus what this attempt adds. */
  private row(
    a: Attempt,
    fields: Pick<AttemptRow, 'provider' | 'outcome' | 'createdAt'> & Partial<AttemptRow>,
  ): AttemptRow {
    const { tenantId, workflowId, runId, stepId, executionId } = this.input;
    const id = this.takenOver(a.rowId);
    return {
      ...(id ? { id } : {}),
      tenantId,
      workflowId,
      runId,
      stepId,
      executionId,
      attempt: a.rowId,
      model: rowModel(a.entry),
      modelRef: a.modelRef,
      latencyMs: 0,
      costUsd: 0,
      priced: true,
      ...fields,
    };
  }

  private event(type: string, message: string, data: Record<string, unknown>): void {
    this.res.events.push({ type, message, data });
  }

  private breakerKey(entry: ResolvedEntry): string {
    return CircuitBreaker.key(
      entry.provider,
      entry.keySource === 'tenant' ? `tenant:${this.input.tenantId}` : 'env',
    );
  }

  /** Rows of one step are ordered by created_at: keep it strictly increasing within a call. */
  private stamp(): Date {
    this.lastAt = Math.max(this.p.now(), this.lastAt + 1);
    return new Date(this.lastAt);
  }
}

const times = (count: number) => (count > 1 ? ` ×${count}` : '');
const PROBE_NOTE = ' after a half-open probe';
const SKIPPED_NOTE = 'skipped without calling the provider';
const UNPRICED_NOTE = 'metered in tokens only until an admin prices it';

const rowModel = (e: ResolvedEntry) =>
  e.simulated && e.provider !== 'simulator' ? `${e.modelRef} (simulated)` : e.model;

function usageOf(r: ModelCallResult | undefined) {
  return {
    inputTokens: r?.inputTokens ?? 0,
    outputTokens: r?.outputTokens ?? 0,
    cachedInputTokens: r?.cachedInputTokens ?? 0,
  };
}

function recordAttemptMetrics(
  provider: string,
  tokens: { inputTokens: number; outputTokens: number },
  costUsd: number,
  errorName: string | undefined,
) {
  const m = metrics();
  m.count('llm_attempts', 1, { provider, outcome: errorName ? 'error' : 'success' });
  m.count('llm_tokens', tokens.inputTokens, { provider, direction: 'input' });
  m.count('llm_tokens', tokens.outputTokens, { provider, direction: 'output' });
  if (costUsd) m.count('llm_cost_usd', costUsd, { provider });
  if (errorName) m.count('provider_errors', 1, { provider, error: errorName });
}
