/**
 * A prebuilt statement (prebuilt-statement.ts, ADR 172) writes exactly what drizzle's own builder
 * writes: each call's own values (the first call's are not kept in the text), SQL NULL for null
 * (not jsonb `null`), a JSON string as a string, timestamps and money as given. On PGlite,
 * PostgreSQL and the Data API, whichever the suite runs on.
 */
import { randomUUID } from 'node:crypto';
import { eq, getTableColumns, sql } from 'drizzle-orm';
import { rowsOf, type Tx } from '../../../shared/db/client';
import { runPrebuilt, type StatementPart, withWrites } from '../../../shared/db/prebuilt-statement';
import { runSteps, runs, usageRecords } from '../../../shared/db/schema';
import { type AttemptRow, attemptRecordWrite } from '../../../shared/llm/attempt-record-write';
import { runCostWrite } from '../../../shared/runs/engine/run-writes';
import { stepCallWrite } from '../../../shared/runs/engine/step-writes';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
const TENANT = randomUUID();
const RUN = randomUUID();
const STEPS = [randomUUID(), randomUUID(), randomUUID()];

beforeAll(async () => {
  stack = await startTestStack();
  const owner = stack.platform.db.owner;
  const slug = `prebuilt-w-${TENANT.slice(0, 8)}`;
  await owner.execute(
    sql`insert into tenants (id, slug, name) values (${TENANT}::uuid, ${slug}, ${slug})`,
  );
  const workflow = randomUUID();
  await owner.execute(
    sql`insert into workflows (id, tenant_id, slug, current_version, published_version) values (${workflow}::uuid, ${TENANT}::uuid, 'w', 1, 1)`,
  );
  await owner.execute(
    sql`insert into runs (id, tenant_id, workflow_id, workflow_version, agent_versions, status, input, cost_usd)
        values (${RUN}::uuid, ${TENANT}::uuid, ${workflow}::uuid, 1, '{}'::jsonb, 'RUNNING', '{}'::jsonb, 0.5)`,
  );
  for (const [i, step] of STEPS.entries())
    await owner.execute(
      sql`insert into run_steps (id, tenant_id, run_id, node_id, type, status, input_tokens, cost_usd)
          values (${step}::uuid, ${TENANT}::uuid, ${RUN}::uuid, ${`n${i}`}, 'agent', 'RUNNING', 5, 0.25)`,
    );
});
afterAll(async () => stack?.close());

const inTenant = <T>(fn: (tx: Tx) => Promise<T>) =>
  stack.platform.db.withTenant({ tenantId: TENANT }, fn);

const row = (attempt: number, more: Partial<AttemptRow> = {}): AttemptRow => ({
  id: randomUUID(),
  tenantId: TENANT,
  runId: RUN,
  stepId: STEPS[0],
  executionId: `exec-${attempt}`,
  attempt,
  provider: 'openai',
  model: 'gpt-4.1-mini',
  modelRef: 'openai:gpt-4.1-mini',
  outcome: 'success',
  latencyMs: 10 * attempt,
  inputTokens: attempt,
  outputTokens: 2 * attempt,
  costUsd: 0.000125 * attempt,
  createdAt: new Date(`2026-11-30T09:0${attempt}:00.123Z`),
  ...more,
});

const { id: _id, ...RECORD } = getTableColumns(usageRecords);
const readRecord = (id: string) =>
  inTenant(async (tx) => {
    const [found] = await tx.select(RECORD).from(usageRecords).where(eq(usageRecords.id, id));
    return found;
  });

test("an attempt record writes what drizzle's insert writes, with each call's own values", async () => {
  // Prepare
  const first = row(1);
  const second = row(2, { errorName: 'ProviderError', errorMessage: '[1, 2]' });
  const third = row(3, { errorName: null, retryAfterMs: 1500 });
  const viaDrizzle = {
    ...row(3, { errorName: null, retryAfterMs: 1500, executionId: 'exec-drizzle' }),
    id: randomUUID(),
  };

  // Act: the first and third share a shape; the second has two more keys.
  await inTenant(async (tx) => {
    await runPrebuilt(tx, 'test_attempt', attemptRecordWrite(first, 'a_', { replace: false }));
    await runPrebuilt(tx, 'test_attempt', attemptRecordWrite(second, 'a_', { replace: false }));
    await runPrebuilt(tx, 'test_attempt', attemptRecordWrite(third, 'a_', { replace: false }));
    await tx.insert(usageRecords).values(viaDrizzle);
  });

  // Assess
  const [a, b, c, d] = await Promise.all(
    [first, second, third, viaDrizzle].map((r) => readRecord(r.id ?? '')),
  );
  expect(c).toEqual({ ...d, executionId: 'exec-3' });
  expect(a).toMatchObject({ attempt: 1, costUsd: 0.000125, latencyMs: 10, errorName: null });
  expect(a.createdAt).toEqual(new Date('2026-11-30T09:01:00.123Z'));
  expect(b).toMatchObject({ attempt: 2, errorName: 'ProviderError', errorMessage: '[1, 2]' });
  expect(c).toMatchObject({ attempt: 3, retryAfterMs: 1500, errorName: null, priced: true });
});

test('a record that replaces another takes its id and every value it sets but its start, in place', async () => {
  // Prepare: the answer's record is made when the call ends, a minute after its in-flight one
  const inFlight = row(4, { outcome: 'in_flight', costUsd: 0.5, inputTokens: 100 });
  const answered = {
    ...row(4, { outcome: 'success', cachedInputTokens: 3 }),
    id: inFlight.id,
    createdAt: new Date('2026-11-30T09:05:00.123Z'),
  };

  // Act
  await inTenant((tx) =>
    runPrebuilt(tx, 'test_attempt', attemptRecordWrite(inFlight, 'a_', { replace: false })),
  );
  const updatedInPlace = await inTenant(async (tx) => {
    await runPrebuilt(tx, 'test_attempt', attemptRecordWrite(answered, 'a_', { replace: true }));
    // This transaction's own counts: an update in place (HOT) adds no entry to any index.
    const [counted] = rowsOf<{ hot: string | number }>(
      await tx.execute(
        sql`select pg_stat_get_xact_tuples_hot_updated('usage_records'::regclass) as hot`,
      ),
    );
    return Number(counted.hot);
  });

  // Assess
  expect(await readRecord(inFlight.id ?? '')).toMatchObject({
    outcome: 'success',
    costUsd: 0.0005,
    inputTokens: 4,
    cachedInputTokens: 3,
    createdAt: inFlight.createdAt,
  });
  expect(updatedInPlace).toBe(1);
});

const readStep = (id: string) =>
  inTenant(async (tx) => {
    const [step] = await tx.select().from(runSteps).where(eq(runSteps.id, id));
    // The JSON type as stored, beside what drizzle reads.
    const [stored] = rowsOf<{ type: string | null }>(
      await tx.execute(
        sql`select jsonb_typeof(output) as type from run_steps where id = ${id}::uuid`,
      ),
    );
    return { ...step, outputType: stored.type };
  });

test("a step's completion with its writes ahead of it: a JSON string stays a string, null is SQL NULL", async () => {
  // Prepare
  const pii = { masked: { email: 1 }, toProvider: {} };
  const finishedAt = new Date('2026-11-30T09:30:00.456Z');
  const answer = (output: unknown) => ({ output, provider: 'openai', model: 'm', finishedAt });
  const meter = { inputTokens: 3, outputTokens: 4, costUsd: 0.1, pii };
  const completion = (step: string, output: unknown): StatementPart =>
    withWrites([runCostWrite(RUN, 0.1)], stepCallWrite(step, meter, answer(output)));

  // Act
  await inTenant(async (tx) => {
    await runPrebuilt(tx, 'test_completion', completion(STEPS[1], '123'));
    await runPrebuilt(tx, 'test_completion', completion(STEPS[2], null));
    await runPrebuilt(tx, 'test_metered', stepCallWrite(STEPS[0], { ...meter, costUsd: 0 }));
  });

  // Assess
  const [one, two, metered] = await Promise.all(STEPS.slice(1).concat(STEPS[0]).map(readStep));
  expect(one).toMatchObject({
    status: 'SUCCEEDED',
    outputType: 'string',
    inputTokens: 8,
    outputTokens: 4,
    costUsd: 0.35,
    pii,
    provider: 'openai',
    finishedAt,
  });
  expect(two).toMatchObject({ status: 'SUCCEEDED', output: null, outputType: null });
  expect(metered).toMatchObject({ status: 'RUNNING', inputTokens: 8, costUsd: 0.25, pii });
  const [run] = await inTenant((tx) => tx.select().from(runs).where(eq(runs.id, RUN)));
  expect(run.costUsd).toBeCloseTo(0.7, 6);
});

test('a part built for one call (no shape) is rendered with its own values every time', async () => {
  // Prepare
  const inline = (tokens: number): StatementPart => ({
    shape: undefined,
    build: (tx) =>
      tx.update(runSteps).set({ outputTokens: tokens }).where(eq(runSteps.id, STEPS[0])).getSQL(),
    values: {},
  });

  // Act
  await inTenant((tx) => runPrebuilt(tx, 'test_inline', inline(41)));
  const first = (await readStep(STEPS[0])).outputTokens;
  await inTenant((tx) => runPrebuilt(tx, 'test_inline', inline(42)));

  // Assess
  expect([first, (await readStep(STEPS[0])).outputTokens]).toEqual([41, 42]);
});
