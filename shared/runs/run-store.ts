/** Reading runs and their steps in the API shape (shared/api/contracts/runs.ts). */
import { and, asc, desc, eq, getTableColumns, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { decodeJsonRows, jsonRowsOf } from '../db/json-rows';
import { placeholderFor, prebuiltSelect } from '../db/prebuilt-select';
import { afterCursor, keysetOrder, pageOf } from '../db/keyset';
import { runSteps, runs, usageRecords, workflows } from '../db/schema';
import { NotFound } from '../errors';
import type { RunStatus, StepStatus } from '../workflow/model';
import { loadWorkflowSpec } from './engine/context';
import { parsePayloads, resolvePayload, type PayloadPlatform } from './step-payloads';

type RunRow = typeof runs.$inferSelect;
type StepRow = typeof runSteps.$inferSelect;
type UsageRow = typeof usageRecords.$inferSelect;

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;
const iso = (d: Date | null | undefined) => (d ? d.toISOString() : undefined);
const omitUndefined = <T extends object>(o: T) =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined && v !== null)) as T;

export function runSummary(r: RunRow, workflowSlug: string) {
  return omitUndefined({
    id: r.id,
    workflowId: r.workflowId,
    workflowSlug,
    workflowVersion: r.workflowVersion,
    status: r.status as RunStatus,
    input: r.input,
    output: r.output ?? undefined,
    error: (r.error as { name: string; message: string } | null) ?? undefined,
    startedAt: r.startedAt.toISOString(),
    finishedAt: iso(r.finishedAt),
    costUsd: Number(r.costUsd),
    parentRunId: r.parentRunId ?? undefined,
    parentStepId: r.parentStepId ?? undefined,
    itemIndex: r.itemIndex ?? undefined,
    scheduleId: r.scheduleId ?? undefined,
    scheduledFor: iso(r.scheduledFor),
    batchId: r.batchId ?? undefined,
    batchIndex: r.batchIndex ?? undefined,
  });
}

/**
 * A step as the API shows it. A field kept in S3 (ADR 105) is its preview here, flagged in
 * `truncated` with its full size; `readStep` (one step) gives `full` values instead.
 */
export function stepView(
  s: StepRow,
  attempts: UsageRow[],
  full?: { prompt?: unknown; output?: unknown },
) {
  const pointers = parsePayloads(s.payloads);
  const truncated = omitUndefined({
    prompt: full?.prompt === undefined ? pointers.prompt?.bytes : undefined,
    output: full?.output === undefined ? pointers.output?.bytes : undefined,
  });
  const prompt = full?.prompt ?? s.prompt;
  return {
    ...omitUndefined({
      id: s.id,
      nodeId: s.nodeId,
      type: s.type,
      status: s.status as StepStatus,
      iteration: s.iteration,
      skipReason: s.skipReason ?? undefined,
      prompt: typeof prompt === 'string' ? prompt : undefined,
      output: full?.output ?? (pointers.output ? pointers.output.preview : (s.output ?? undefined)),
      error: (s.error as { name: string; message: string } | null) ?? undefined,
      startedAt: iso(s.startedAt),
      finishedAt: iso(s.finishedAt),
      provider: s.provider ?? undefined,
      model: s.model ?? undefined,
      pii:
        (s.pii as { masked: Record<string, number>; toProvider: Record<string, number> }) ??
        undefined,
    }),
    ...(Object.keys(truncated).length ? { truncated } : {}),
    inputTokens: s.inputTokens,
    outputTokens: s.outputTokens,
    costUsd: Number(s.costUsd),
    attempts: attempts.map((a, i) =>
      omitUndefined({
        n: i + 1,
        provider: a.provider,
        model: a.model,
        outcome: a.outcome,
        errorName: a.errorName ?? undefined,
        errorMessage: a.errorMessage ?? undefined,
        latencyMs: a.latencyMs,
        inputTokens: a.inputTokens,
        outputTokens: a.outputTokens,
        costUsd: Number(a.costUsd),
      }),
    ),
  };
}

export async function loadRunRow(tx: Tx, tenantId: string, runId: string): Promise<RunRow> {
  const [row] = await tx
    .select()
    .from(runs)
    .where(and(eq(runs.id, runId), eq(runs.tenantId, tenantId)));
  if (!row) throw new NotFound(`run ${runId} not found`);
  return row;
}

export async function loadSteps(tx: Tx, runId: string): Promise<StepRow[]> {
  return tx
    .select()
    .from(runSteps)
    .where(eq(runSteps.runId, runId))
    .orderBy(asc(runSteps.nodeId), asc(runSteps.iteration));
}

const CHILD_COLUMNS = {
  id: runs.id,
  parentStepId: runs.parentStepId,
  itemIndex: runs.itemIndex,
  status: runs.status,
};
const STEP_COLUMNS = getTableColumns(runSteps);
const USAGE_COLUMNS = getTableColumns(usageRecords);

// A poll of a run (the console, the CLI, `GET /v1/runs/{id}`) in one statement: the run, its
// workflow's slug, its steps, its children and its steps' attempts, the last three as JSON
// aggregates (ADR 171). `runs.id` by name in the sub-selects: drizzle writes a lone table's
// columns unqualified.
const selectRunView = prebuiltSelect(
  'run_view',
  {
    run: getTableColumns(runs),
    slug: sql`(select w.slug from workflows w where w.id = runs.workflow_id)`,
    steps: jsonRowsOf(
      STEP_COLUMNS,
      's',
      sql`from run_steps s where s.run_id = runs.id`,
      sql`s.node_id, s.iteration`,
    ),
    children: jsonRowsOf(
      CHILD_COLUMNS,
      'c',
      sql`from runs c where c.parent_run_id = runs.id and c.parent_step_id is not null`,
      sql`c.item_index`,
    ),
    attempts: jsonRowsOf(
      USAGE_COLUMNS,
      'u',
      sql`from usage_records u where u.step_id in (select s2.id from run_steps s2 where s2.run_id = runs.id)`,
      sql`u.created_at`,
    ),
  },
  (tx, fields) =>
    tx
      .select(fields)
      .from(runs)
      .where(
        and(
          eq(runs.id, placeholderFor(runs.id, 'runId')),
          eq(runs.tenantId, placeholderFor(runs.tenantId, 'tenantId')),
        ),
      ),
);

export async function readRun(tx: Tx, tenantId: string, runId: string) {
  const [row] = await selectRunView(tx, { runId, tenantId });
  if (!row) throw new NotFound(`run ${runId} not found`);
  const { run } = row;
  // Steps in the order the workflow declares its nodes, not by node id (the version's spec is
  // immutable, so a process reads it once).
  const spec = await loadWorkflowSpec(tx, run);
  const order = new Map(spec.nodes.map((n, i) => [n.id, i]));
  const rank = (nodeId: string) => order.get(nodeId) ?? order.size;
  const steps = decodeJsonRows<StepRow>(STEP_COLUMNS, row.steps).sort(
    (a, b) => rank(a.nodeId) - rank(b.nodeId),
  );
  const children = decodeJsonRows<Pick<RunRow, keyof typeof CHILD_COLUMNS>>(
    CHILD_COLUMNS,
    row.children,
  );
  const attempts = decodeJsonRows<UsageRow>(USAGE_COLUMNS, row.attempts);
  return {
    ...runSummary(run, typeof row.slug === 'string' ? row.slug : ''),
    steps: steps.map((s) => {
      const view = stepView(
        s,
        attempts.filter((a) => a.stepId === s.id),
      );
      const mine = children.filter((c) => c.parentStepId === s.id);
      return mine.length
        ? {
            ...view,
            children: mine.map((c) =>
              omitUndefined({ runId: c.id, index: c.itemIndex ?? undefined, status: c.status }),
            ),
          }
        : view;
    }),
  };
}

/** One step with its prompt and output in full, those kept in S3 read through the run's tenant. */
export async function readStep(
  p: PayloadPlatform,
  tx: Tx,
  tenantId: string,
  runId: string,
  stepId: string,
) {
  await loadRunRow(tx, tenantId, runId);
  // A step id, or a node id (its latest iteration).
  const [step] = await tx
    .select()
    .from(runSteps)
    .where(
      and(
        eq(runSteps.runId, runId),
        UUID.test(stepId) ? eq(runSteps.id, stepId) : eq(runSteps.nodeId, stepId),
      ),
    )
    .orderBy(desc(runSteps.iteration))
    .limit(1);
  if (!step) throw new NotFound(`step ${stepId} not found in run ${runId}`);
  const pointers = parsePayloads(step.payloads);
  const attempts = await tx
    .select()
    .from(usageRecords)
    .where(eq(usageRecords.stepId, step.id))
    .orderBy(asc(usageRecords.createdAt));
  return stepView(step, attempts, {
    prompt: pointers.prompt ? await resolvePayload(p, tenantId, pointers.prompt) : undefined,
    output: pointers.output ? await resolvePayload(p, tenantId, pointers.output) : undefined,
  });
}

export async function listRuns(
  tx: Tx,
  tenantId: string,
  q: {
    limit: number;
    cursor?: string;
    status?: string;
    workflowId?: string;
    scheduleId?: string;
    batchId?: string;
  },
) {
  const key = { at: runs.startedAt, id: runs.id };
  const rows = await tx
    .select({ run: runs, slug: workflows.slug })
    .from(runs)
    .innerJoin(workflows, eq(workflows.id, runs.workflowId))
    .where(
      and(
        eq(runs.tenantId, tenantId),
        q.status ? eq(runs.status, q.status) : undefined,
        q.scheduleId ? eq(runs.scheduleId, q.scheduleId) : undefined,
        q.batchId ? eq(runs.batchId, q.batchId) : undefined,
        q.workflowId
          ? UUID.test(q.workflowId)
            ? eq(runs.workflowId, q.workflowId)
            : // A scalar sub-select, not the join's slug: the id is then known before the scan,
              // which can walk runs_workflow_started instead of the tenant's runs (migration 0172).
              sql`${runs.workflowId} = (select w2.id from workflows w2 where w2.tenant_id = ${tenantId}::uuid and w2.slug = ${q.workflowId} and w2.deleted_at is null)`
          : undefined,
        afterCursor(key, q.cursor),
      ),
    )
    .orderBy(...keysetOrder(key))
    .limit(q.limit + 1);
  const page = pageOf(rows, q.limit, (r) => ({ at: r.run.startedAt, id: r.run.id }));
  return {
    items: page.rows.map((r) => runSummary(r.run, r.slug)),
    ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}),
  };
}
