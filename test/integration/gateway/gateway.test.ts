/**
 * The LLM gateway end to end: the real local stack (API → ASL in aws-local-stepfunctions → task
 * handlers → real SDKs) against the loopback provider fakes, with tenant keys stored through the API.
 * Fallback with costs, budgets stopping a step before any HTTP call, the circuit breaker, structured
 * output, and provider keys never showing up in logs, responses, errors, run state or the audit log.
 */
import { afterAll, beforeAll, beforeEach, expect, test } from '@jest/globals';
import { and, eq } from 'drizzle-orm';
import { budgetReservations } from '../../../shared/db/schema-gateway';
import { runs, usageRecords } from '../../../shared/db/schema';
import { preparedRecordId } from '../../../shared/llm/attempt-outcomes';
import {
  createAnthropicFake,
  createGeminiFake,
  createOpenAIFake,
  type FakeProviderServer,
} from '../../fakes/providers';
import { startTestStack, type TestStack } from '../../support/stack';

/** Deliberately unlike any vendor's key format, so only real care keeps them out of text. */
const KEYS = {
  openai: 'tk-openai-Zq81LmX0pW4vB7nR2sY9',
  anthropic: 'tk-anthropic-Hc5Dk2Lm9QxT3vW8',
  gemini: 'tk-gemini-Ru4Wn7Pb2Xz6Mk9Jq1',
} as const;

let stack: TestStack;
let token: string;
let tenantId: string;
const fakes = {} as Record<keyof typeof KEYS, FakeProviderServer>;
const logs: string[] = [];
const seen: string[] = [];
/** The platform clock runs ahead of the wall clock by this much: tests skip waits instead of sleeping. */
let clockAheadMs = 0;

async function call(method: string, path: string, body?: unknown) {
  const res = await stack.call(method, path, { token, body });
  seen.push(JSON.stringify(res.body ?? ''));
  return res;
}
async function agent(slug: string, spec: Record<string, unknown>) {
  const res = await call('POST', '/v1/agents', {
    slug,
    name: slug,
    systemPrompt: `${slug} agent`,
    ...spec,
  });
  expect(res.status).toBe(201);
}
async function workflow(slug: string, agentSlug: string, extra: Record<string, unknown> = {}) {
  const res = await call('POST', '/v1/workflows', {
    slug,
    name: slug,
    nodes: [
      { id: 'only', type: 'agent', agent: agentSlug, prompt: 'Review {{input.pr}}', ...extra },
    ],
    edges: [],
  });
  expect(res.status).toBe(201);
  return res.body.id as string;
}
async function runFlow(slug: string) {
  const started = await call('POST', `/v1/workflows/${slug}/runs`, {
    input: { pr: 'PR #7: add dark mode' },
  });
  expect(started.status).toBe(202);
  const done = await stack.waitForRun(token, started.body.runId, 30_000);
  const full = await call('GET', `/v1/runs/${started.body.runId}`);
  const events = await call('GET', `/v1/runs/${started.body.runId}/events`);
  expect(full.body.status).toBe(done.status);
  return {
    run: full.body,
    events: events.body.items as Array<{ type: string; message: string; data?: any }>,
  };
}
async function usageRows(runId: string) {
  return stack.platform.db.withTenant({ tenantId }, (tx) =>
    tx
      .select()
      .from(usageRecords)
      .where(and(eq(usageRecords.runId, runId)))
      .orderBy(usageRecords.attempt),
  );
}

beforeAll(async () => {
  const [o, a, g] = await Promise.all([
    createOpenAIFake({ apiKey: KEYS.openai }),
    createAnthropicFake({ apiKey: KEYS.anthropic }),
    createGeminiFake({ apiKey: KEYS.gemini }),
  ]);
  Object.assign(fakes, { openai: o, anthropic: a, gemini: g });
  stack = await startTestStack({
    env: { LOG_LEVEL: 'debug' },
    logSink: (line) => logs.push(line),
    now: () => Date.now() + clockAheadMs,
  });
  token = await stack.adminToken();
  tenantId = (await call('GET', '/v1/me')).body.tenant.id;
  for (const provider of ['openai', 'anthropic', 'gemini'] as const) {
    const res = await call('PUT', `/v1/providers/${provider}/key`, {
      apiKey: KEYS[provider],
      baseUrl: fakes[provider].baseUrl,
    });
    expect(res.status).toBe(200);
  }
});

beforeEach(() => {
  for (const f of Object.values(fakes)) f.reset();
});

afterAll(async () => {
  await stack?.close();
  await Promise.all(Object.values(fakes).map((f) => f.close()));
});

test('provider keys: stored per tenant, listed by last 4 only, deletable, audited', async () => {
  const list = await call('GET', '/v1/providers');
  const viewer = await stack.call('PUT', '/v1/providers/openai/key', {
    token: 'nope',
    body: { apiKey: 'x'.repeat(20) },
  });
  const bad = await call('PUT', '/v1/providers/openai/key', {
    apiKey: 'tk-short-but-fine-123',
    baseUrl: 'http://169.254.169.254/latest',
  });

  expect(list.status).toBe(200);
  const openai = list.body.items.find((i: any) => i.provider === 'openai');
  expect(openai).toMatchObject({
    configured: 'tenant',
    simulated: false,
    last4: `…${KEYS.openai.slice(-4)}`,
    baseUrl: fakes.openai.baseUrl,
    circuit: 'closed',
  });
  expect(Date.parse(openai.setAt)).toBeGreaterThan(0);
  expect(list.body.items.find((i: any) => i.provider === 'compatible')).toMatchObject({
    configured: 'none',
    simulated: true,
  });
  expect(viewer.status).toBe(401);
  expect(bad.status).toBe(400);

  // A key set and deleted again: the provider falls back to the simulator.
  const set = await call('PUT', '/v1/providers/compatible/key', {
    apiKey: 'tk-compatible-temp-0000',
  });
  const del = await call('DELETE', '/v1/providers/compatible/key');
  const again = await call('DELETE', '/v1/providers/compatible/key');
  const audit = await call('GET', '/v1/audit?limit=50');
  expect(set.body).toMatchObject({ provider: 'compatible', configured: 'tenant', last4: '…0000' });
  expect(del.status).toBe(204);
  expect(again.status).toBe(404);
  expect(audit.body.items.map((e: any) => e.action)).toEqual(
    expect.arrayContaining(['provider.key.set', 'provider.key.delete']),
  );
});

test('a primary throttled twice falls back and succeeds; trace, events and usage show all three attempts with their costs', async () => {
  // Prepare
  await agent('fallbacker', {
    model: 'openai:gpt-4.1-mini',
    fallbacks: ['anthropic:claude-sonnet-4', 'gemini:gemini-2.5-flash'],
    parameters: { maxTokens: 800 },
  });
  await workflow('fallback-flow', 'fallbacker');
  fakes.openai.enqueue(
    { kind: 'throttle', retryAfterMs: '40' },
    { kind: 'throttle', retryAfter: '0' },
  );
  fakes.anthropic.enqueue({
    kind: 'success',
    reply: { text: 'LGTM', usage: { input: 800, cached: 200, output: 500 } },
  });

  // Act
  const { run, events } = await runFlow('fallback-flow');
  const rows = await usageRows(run.id);
  const usage = await call('GET', `/v1/usage?groupBy=run,provider,model`);

  // Assess
  expect(run.status).toBe('SUCCEEDED');
  const step = run.steps[0];
  expect(
    step.attempts.map((a: any) => [a.provider, a.model, a.outcome, a.errorName ?? null]),
  ).toEqual([
    ['openai', 'gpt-4.1-mini', 'error', 'ProviderThrottled'],
    ['openai', 'gpt-4.1-mini', 'error', 'ProviderThrottled'],
    ['anthropic', 'claude-sonnet-4', 'success', null],
  ]);
  // claude-sonnet-4: (1000 − 200) × $3 + 200 × $0.30 + 500 × $15 per million
  const expected = (800 * 3 + 200 * 0.3 + 500 * 15) / 1e6;
  expect(step.attempts.map((a: any) => a.costUsd)).toEqual([0, 0, expected]);
  expect(step.attempts[2]).toMatchObject({ inputTokens: 1000, outputTokens: 500 });
  expect(step.costUsd).toBeCloseTo(expected, 6);
  expect(run.costUsd).toBeCloseTo(expected, 6);
  expect(step).toMatchObject({ provider: 'anthropic', model: 'claude-sonnet-4', output: 'LGTM' });
  expect(rows.map((r) => [r.modelRef, r.outcome, r.retryAfterMs, r.priced])).toEqual([
    ['openai:gpt-4.1-mini', 'error', 40, true],
    ['openai:gpt-4.1-mini', 'error', 0, true],
    ['anthropic:claude-sonnet-4', 'success', null, true],
  ]);
  expect(rows[2].cachedInputTokens).toBe(200);
  // Retry-After honoured: the second call came no earlier than 40 ms after the first failed.
  expect(rows[1].createdAt.getTime() - rows[0].createdAt.getTime()).toBeGreaterThanOrEqual(40);
  const fallback = events.find((e) => e.type === 'step.fallback');
  expect(fallback?.data).toEqual({
    from: 'openai:gpt-4.1-mini',
    to: 'anthropic:claude-sonnet-4',
    reason: 'ProviderThrottled',
    count: 2,
  });
  expect(fakes.openai.calls).toBe(2);
  expect(fakes.anthropic.calls).toBe(1);
  expect(fakes.gemini.calls).toBe(0);
  for (const f of Object.values(fakes)) expect(f.violations).toEqual([]);
  const mine = usage.body.items.filter((i: any) => i.runId === run.id);
  expect(mine.find((i: any) => i.provider === 'openai')).toMatchObject({
    attempts: 2,
    failedAttempts: 2,
    costUsd: 0,
  });
  expect(mine.find((i: any) => i.provider === 'anthropic')).toMatchObject({
    attempts: 1,
    failedAttempts: 0,
    costUsd: expected,
    inputTokens: 1000,
    outputTokens: 500,
  });
});

test('a budget stops a step before any HTTP call reaches the provider; raising it lets the step run and settles', async () => {
  // Prepare: gpt-4.1 at $8/M output × 4000 max tokens ≈ $0.032 estimate > $0.01 budget
  await agent('spender', {
    model: 'openai:gpt-4.1',
    fallbacks: ['anthropic:claude-sonnet-4'],
    parameters: { maxTokens: 4000 },
  });
  await workflow('budgeted', 'spender');
  const put = await call('PUT', '/v1/budgets', {
    workflows: [{ workflow: 'budgeted', monthlyLimitUsd: 0.01 }],
  });
  const asViewer = await stack.call('PUT', '/v1/budgets', { body: { monthlyLimitUsd: 1 } });

  // Act
  const blocked = await runFlow('budgeted');
  const callsWhileBlocked = fakes.openai.calls + fakes.anthropic.calls + fakes.gemini.calls;
  await call('PUT', '/v1/budgets', {
    monthlyLimitUsd: 100,
    workflows: [{ workflow: 'budgeted', monthlyLimitUsd: 1 }],
  });
  const allowed = await runFlow('budgeted');
  const budgets = await call('GET', '/v1/budgets');
  const inFlight = await stack.platform.db.withTenant({ tenantId }, (tx) =>
    tx.select().from(budgetReservations),
  );

  // Assess
  expect(put.status).toBe(200);
  expect(asViewer.status).toBe(401);
  expect(callsWhileBlocked).toBe(0);
  expect(blocked.run.status).toBe('FAILED');
  expect(blocked.run.steps[0].error.name).toBe('BudgetExceeded');
  expect(blocked.run.steps[0].attempts).toEqual([
    expect.objectContaining({
      provider: 'openai',
      outcome: 'blocked',
      errorName: 'BudgetExceeded',
      costUsd: 0,
    }),
  ]);
  expect(blocked.events.map((e) => e.type)).toContain('step.budget_exceeded');
  expect(allowed.run.status).toBe('SUCCEEDED');
  expect(fakes.openai.calls).toBe(1);
  expect(inFlight).toEqual([]);
  const line = budgets.body.workflows.find((w: any) => w.workflowSlug === 'budgeted');
  expect(line.monthlyLimitUsd).toBe(1);
  expect(line.spentUsd).toBeCloseTo(allowed.run.costUsd, 6);
  expect(line.spentUsd).toBeGreaterThan(0);
  expect(budgets.body.tenant.monthlyLimitUsd).toBe(100);
});

async function chainFlow(slug: string, agentSlug: string) {
  const res = await call('POST', '/v1/workflows', {
    slug,
    name: slug,
    nodes: [
      { id: 'draft', type: 'agent', agent: agentSlug, prompt: 'Review {{input.pr}}' },
      { id: 'polish', type: 'agent', agent: agentSlug, prompt: 'Polish: {{steps.draft.output}}' },
    ],
    edges: [{ from: 'draft', to: 'polish' }],
  });
  expect(res.status).toBe(201);
}

/** Each step's usage records as [whether its id is the step's prepared record's, outcome]. */
async function preparedOrNot(runId: string, steps: Array<{ id: string; nodeId: string }>) {
  const [row] = await stack.platform.db.owner
    .select({ executionIds: runs.executionIds })
    .from(runs)
    .where(eq(runs.id, runId));
  const [executionId] = row.executionIds as string[];
  const rows = await usageRows(runId);
  return Object.fromEntries(
    steps.map((s) => [
      s.nodeId,
      rows
        .filter((u) => u.stepId === s.id)
        .map((u) => [u.id === preparedRecordId(s.id, executionId), u.outcome]),
    ]),
  );
}

test("a chain on a real provider: the next step's call is prepared, reserved and settled in the completion before it (ADR 186)", async () => {
  // Prepare: gpt-4.1 at $8/M output × 500 max tokens ≈ $0.004 estimate a step
  await agent('chainer', { model: 'openai:gpt-4.1', parameters: { maxTokens: 500 } });
  await chainFlow('prepared-chain', 'chainer');
  await call('PUT', '/v1/budgets', {
    monthlyLimitUsd: 100,
    workflows: [{ workflow: 'prepared-chain', monthlyLimitUsd: 1 }],
  });

  // Act
  const { run } = await runFlow('prepared-chain');

  // Assess: each step's only record is its prepared one (draft's by the Plan turn, ADR 187;
  // polish's by draft's completion), answered and priced; no reservation is left, and the
  // workflow's spend is the run's cost
  expect(run.status).toBe('SUCCEEDED');
  expect(fakes.openai.calls).toBe(2);
  expect(await preparedOrNot(run.id, run.steps)).toEqual({
    draft: [[true, 'success']],
    polish: [[true, 'success']],
  });
  expect(run.steps.map((s: any) => s.attempts[0].costUsd > 0)).toEqual([true, true]);
  const reserved = await stack.platform.db.withTenant({ tenantId }, (tx) =>
    tx.select().from(budgetReservations),
  );
  expect(reserved).toEqual([]);
  const budgets = await call('GET', '/v1/budgets');
  const line = budgets.body.workflows.find((w: any) => w.workflowSlug === 'prepared-chain');
  expect(line.spentUsd).toBeCloseTo(run.costUsd, 6);
});

test('a budget the completion cannot reserve for the next step leaves that step to prepare itself, nothing recorded early', async () => {
  // Prepare: room for one step's estimate (≈ $0.004) while the one before still holds its own
  await agent('tight', { model: 'openai:gpt-4.1', parameters: { maxTokens: 500 } });
  await chainFlow('tight-chain', 'tight');
  await call('PUT', '/v1/budgets', {
    monthlyLimitUsd: 100,
    workflows: [{ workflow: 'tight-chain', monthlyLimitUsd: 0.006 }],
  });

  // Act
  const { run, events } = await runFlow('tight-chain');

  // Assess: the Plan turn prepared draft; polish was not prepared (draft's reservation was still
  // held), then reserved and ran in its own task once draft's had settled; nothing says blocked
  expect(run.status).toBe('SUCCEEDED');
  expect(await preparedOrNot(run.id, run.steps)).toEqual({
    draft: [[true, 'success']],
    polish: [[false, 'success']],
  });
  expect(events.map((e) => e.type)).not.toContain('step.budget_exceeded');
});

test('a failure while preparing the next step does not lose the answer: that step prepares itself', async () => {
  // Prepare: the breaker's second read fails: the first is the Plan turn's, preparing draft (ADR
  // 187); the second the one draft's completion makes for polish
  await agent('unlucky', { model: 'openai:gpt-4.1', parameters: { maxTokens: 500 } });
  await chainFlow('unlucky-chain', 'unlucky');
  const { dynamo } = stack.platform;
  const send = dynamo.send.bind(dynamo);
  let breakerReads = 0;
  dynamo.send = ((command: { input?: { Key?: { pk?: { S?: string } } } }) => {
    if (command.input?.Key?.pk?.S?.startsWith('breaker#openai') && ++breakerReads === 2)
      return Promise.reject(new Error('the breaker table throttled this read'));
    return send(command as never);
  }) as typeof dynamo.send;

  // Act
  const { run } = await runFlow('unlucky-chain').finally(() => {
    dynamo.send = send;
  });

  // Assess: draft's answer was recorded once (one call each), polish prepared itself
  expect(run.status).toBe('SUCCEEDED');
  expect(breakerReads).toBeGreaterThanOrEqual(3);
  expect(fakes.openai.calls).toBe(2);
  expect(await preparedOrNot(run.id, run.steps)).toEqual({
    draft: [[true, 'success']],
    polish: [[false, 'success']],
  });
  expect(logs.some((l) => l.includes('next step not prepared'))).toBe(true);
});

test('structured output: a mismatching answer is OutputSchemaMismatch, moves to the next model, and is final on the last one', async () => {
  // Prepare
  const outputSchema = {
    type: 'object',
    properties: {
      verdict: { type: 'string', enum: ['approve', 'reject'] },
      score: { type: 'integer', minimum: 0, maximum: 10 },
    },
    required: ['verdict', 'score'],
    additionalProperties: false,
  };
  await agent('judge', {
    model: 'openai:gpt-4.1-mini',
    fallbacks: ['anthropic:claude-sonnet-4'],
    outputSchema,
  });
  await agent('lone-judge', { model: 'openai:gpt-4.1-mini', outputSchema });
  await workflow('judge-flow', 'judge');
  await workflow('lone-judge-flow', 'lone-judge');
  fakes.openai.enqueue({ kind: 'success', reply: { json: { verdict: 'maybe', score: 3 } } });
  fakes.anthropic.enqueue({ kind: 'success', reply: { json: { verdict: 'approve', score: 9 } } });

  // Act
  const fell = await runFlow('judge-flow');
  fakes.openai.enqueue({ kind: 'success', reply: { json: { verdict: 'approve' } } });
  const lone = await runFlow('lone-judge-flow');

  // Assess
  expect(fell.run.status).toBe('SUCCEEDED');
  expect(fell.run.steps[0].output).toEqual({ verdict: 'approve', score: 9 });
  expect(
    fell.run.steps[0].attempts.map((a: any) => [a.provider, a.outcome, a.errorName ?? null]),
  ).toEqual([
    ['openai', 'error', 'OutputSchemaMismatch'],
    ['anthropic', 'success', null],
  ]);
  expect(fell.run.steps[0].attempts[0].errorMessage).toContain('verdict');
  expect(fell.run.steps[0].attempts[0].costUsd).toBeGreaterThan(0); // the wrong answer was still paid for
  expect(lone.run.status).toBe('FAILED');
  expect(lone.run.steps[0].attempts).toHaveLength(1);
  expect(lone.run.steps[0].error.name).toBe('RetriesExhausted');
  expect(lone.run.steps[0].error.message).toContain('OutputSchemaMismatch');
});

test('circuit breaker: opens after N failures, skips without calling, half-opens after the cooldown and closes on success', async () => {
  // Prepare: threshold 2, cooldown 60 s for this test only (the breaker reads the platform config at each call)
  const config = stack.platform.config;
  const saved = {
    threshold: config.LLM_BREAKER_THRESHOLD,
    cooldown: config.LLM_BREAKER_COOLDOWN_MS,
  };
  Object.assign(config, { LLM_BREAKER_THRESHOLD: 2, LLM_BREAKER_COOLDOWN_MS: 60_000 });
  await agent('geminist', {
    model: 'gemini:gemini-2.5-flash',
    fallbacks: ['anthropic:claude-sonnet-4'],
  });
  await workflow('breaker-flow', 'geminist');
  fakes.gemini.setDefault({ kind: 'serverError', status: 503 });

  try {
    // Act + Assess: two failures open the breaker
    const first = await runFlow('breaker-flow');
    const second = await runFlow('breaker-flow');
    expect(first.run.status).toBe('SUCCEEDED');
    expect(
      second.run.steps[0].attempts.map((a: any) => [a.provider, a.outcome, a.errorName ?? null]),
    ).toEqual([
      ['gemini', 'error', 'ProviderUnavailable'],
      ['anthropic', 'success', null],
    ]);
    expect(second.events.map((e) => e.type)).toContain('provider.circuit_opened');
    expect(
      (await call('GET', '/v1/providers')).body.items.find((i: any) => i.provider === 'gemini')
        .circuit,
    ).toBe('open');
    expect(fakes.gemini.calls).toBe(2);

    // open: skipped without a call, cost 0, the fallback answers in the same invocation
    const third = await runFlow('breaker-flow');
    expect(third.run.status).toBe('SUCCEEDED');
    expect(
      third.run.steps[0].attempts.map((a: any) => [
        a.provider,
        a.outcome,
        a.errorName ?? null,
        a.costUsd,
      ]),
    ).toEqual([
      ['gemini', 'skipped', 'CircuitOpen', 0],
      ['anthropic', 'success', null, third.run.steps[0].attempts[1].costUsd],
    ]);
    expect(fakes.gemini.calls).toBe(2);

    // half-open after the cooldown (the platform clock moves past it): one probe; its success closes the breaker
    clockAheadMs += 60_100;
    expect(
      (await call('GET', '/v1/providers')).body.items.find((i: any) => i.provider === 'gemini')
        .circuit,
    ).toBe('half_open');
    fakes.gemini.setDefault({ kind: 'success' });
    const fourth = await runFlow('breaker-flow');
    expect(fourth.run.steps[0].attempts.map((a: any) => [a.provider, a.outcome])).toEqual([
      ['gemini', 'success'],
    ]);
    expect(fourth.events.map((e) => e.type)).toContain('provider.circuit_closed');
    expect(
      (await call('GET', '/v1/providers')).body.items.find((i: any) => i.provider === 'gemini')
        .circuit,
    ).toBe('closed');
    expect(fakes.gemini.calls).toBe(3);
  } finally {
    Object.assign(config, {
      LLM_BREAKER_THRESHOLD: saved.threshold,
      LLM_BREAKER_COOLDOWN_MS: saved.cooldown,
    });
    fakes.gemini.setDefault({ kind: 'success' });
  }
});

test('prices: platform list prices are read-only; a tenant admin prices an unpriced model for the tenant', async () => {
  await agent('newbie', { model: 'openai:gpt-9-preview' });
  await workflow('unpriced-flow', 'newbie');
  const before = await runFlow('unpriced-flow');
  const put = await call('PUT', '/v1/prices/openai/gpt-9-preview', {
    inputPerMtok: 10,
    outputPerMtok: 20,
  });
  const put2 = await call('PUT', '/v1/prices/openai/gpt-9-preview', {
    inputPerMtok: 1,
    outputPerMtok: 2,
  });
  const after = await runFlow('unpriced-flow');
  const prices = await call('GET', '/v1/prices');
  const usage = await call('GET', '/v1/usage?groupBy=model');

  const [unpriced] = await usageRows(before.run.id);
  const [priced] = await usageRows(after.run.id);
  expect(unpriced).toMatchObject({ priced: false, costUsd: 0 });
  expect(unpriced.inputTokens).toBeGreaterThan(0);
  expect(before.events.map((e) => e.type)).toContain('step.unpriced');
  expect(put.body).toMatchObject({ version: 1, source: 'tenant', cachedInputPerMtok: 10 });
  expect(put2.body).toMatchObject({ version: 2 });
  expect(priced.priced).toBe(true);
  expect(priced.costUsd).toBeCloseTo((priced.inputTokens * 1 + priced.outputTokens * 2) / 1e6, 6);
  expect(prices.body.items.find((p: any) => p.model === 'gpt-9-preview')).toMatchObject({
    version: 2,
    source: 'tenant',
  });
  expect(prices.body.items.find((p: any) => p.model === 'claude-sonnet-4')).toMatchObject({
    source: 'platform',
    inputPerMtok: 3,
    outputPerMtok: 15,
  });
  expect(
    usage.body.items.find((i: any) => i.model === 'gpt-9-preview').unpricedAttempts,
  ).toBeGreaterThanOrEqual(1);
});

test('usage groups by workflow, step and day; failed attempts are charged to their step; bad groups are a 400', async () => {
  const report = await call('GET', '/v1/usage?groupBy=workflow,step,day');
  const bad = await call('GET', '/v1/usage?groupBy=planet');
  const empty = await call('GET', '/v1/usage?from=2020-01-01&to=2020-01-31&groupBy=provider');

  expect(report.status).toBe(200);
  const fallbackStep = report.body.items.find((i: any) => i.workflowSlug === 'fallback-flow');
  expect(fallbackStep).toMatchObject({
    nodeId: 'only',
    attempts: 3,
    failedAttempts: 2,
    day: new Date().toISOString().slice(0, 10),
  });
  expect(fallbackStep.costUsd).toBeCloseTo((800 * 3 + 200 * 0.3 + 500 * 15) / 1e6, 6);
  const breakerSteps = report.body.items.filter((i: any) => i.workflowSlug === 'breaker-flow');
  expect(breakerSteps.reduce((n: number, i: any) => n + i.skippedAttempts, 0)).toBe(1);
  const sum = report.body.items.reduce((n: number, i: any) => n + i.costUsd, 0);
  expect(report.body.total.costUsd).toBeCloseTo(sum, 5);
  expect(bad.status).toBe(400);
  expect(empty.body).toMatchObject({ items: [], total: { attempts: 0, costUsd: 0 } });
});

test('provider keys never appear in logs, API responses, errors, run state or the audit log', async () => {
  // Prepare: a careless upstream that echoes the key in its auth error
  await agent('echoer', { model: 'anthropic:claude-sonnet-4' });
  await workflow('echo-flow', 'echoer');
  fakes.anthropic.enqueue({ kind: 'auth', echoKey: true });

  // Act
  const { run, events } = await runFlow('echo-flow');
  const audit = await call('GET', '/v1/audit?limit=200');
  const rows = await usageRows(run.id);
  await stack.executions.idle();

  // Assess
  expect(run.steps[0].error.name).toBe('ProviderAuthError');
  expect(fakes.anthropic.calls).toBe(1);
  expect(JSON.stringify(fakes.anthropic.requests[0].headers)).toContain(KEYS.anthropic); // the key did travel, to the provider only
  const haystacks = [
    ...logs,
    ...seen,
    JSON.stringify(run),
    JSON.stringify(events),
    JSON.stringify(audit.body),
    JSON.stringify(rows),
  ];
  expect(logs.some((l) => l.includes('llm attempt') && l.includes('ProviderAuthError'))).toBe(true);
  expect(logs.some((l) => l.includes('task failed'))).toBe(true);
  for (const key of Object.values(KEYS)) {
    for (const text of haystacks) expect(text.includes(key)).toBe(false);
  }
  // The ASL state is ids only: the final execution state is logged at debug level and was scanned above.
  expect(logs.some((l) => l.includes('execution finished'))).toBe(true);
});
