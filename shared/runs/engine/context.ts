import { and, eq, getTableColumns, type SQL, sql } from 'drizzle-orm';
import type { AgentSpec } from '../../api/contracts/agents';
import type { WorkflowSpec } from '../../api/contracts/workflows';
import type { Tx } from '../../db/client';
import { decodeJsonRows, jsonRowsOf } from '../../db/json-rows';
import { placeholderFor, prebuiltSelect } from '../../db/prebuilt-select';
import { agentVersions, runSteps, runs, tenants, workflowVersions } from '../../db/schema';
import { policyFrom } from '../../pii/policy';
import { NotFound, ValidationError } from '../../errors';
import type { StepStatus } from '../../workflow/model';
import { conditionPaths } from '../../workflow/condition';
import type { PlanData } from '../../workflow/plan';
import { templateReferences } from '../../workflow/template';
import type { PinnedAgent } from '../start-run';
import { parsePayloads, resolvePayload, type PayloadPlatform } from '../step-payloads';

// The hot engine selects are built once per process and named (prebuilt-select.ts): node-postgres
// then parses and plans each once per connection. PGlite and the Data API do not use the name.
// Engine tasks name their columns: prompts and outputs of every step in every task would grow
// each response with the run and break the Data API's 1 MiB response limit (ADR 040). Outputs
// are read by `loadOutputs`, only for the steps a task references.
const { output: _runOutput, ...RUN_COLUMNS } = getTableColumns(runs);
// Pointers to payloads kept in S3 (ADR 105) are read with the outputs, not with every step.
const {
  prompt: _prompt,
  output: _output,
  payloads: _payloads,
  ...STEP_COLUMNS
} = getTableColumns(runSteps);

export type RunRow = Omit<typeof runs.$inferSelect, 'output'>;
export type StepRow = Omit<typeof runSteps.$inferSelect, 'prompt' | 'output' | 'payloads'>;

/**
 * Workflow and agent versions never change once written (a change is a new version), so each
 * process keeps the specs it has read, keyed by tenant, id and version: a run's tasks then read
 * only the rows that change. Bounded: the oldest entry goes first.
 */
const VERSION_CACHE_SIZE = 1000;
const versionCache = new Map<string, unknown>();

async function cachedVersion<T>(key: string, load: () => Promise<T | undefined>) {
  if (versionCache.has(key)) return versionCache.get(key) as T;
  const value = await load();
  if (value === undefined) return undefined;
  if (versionCache.size >= VERSION_CACHE_SIZE) {
    const oldest = versionCache.keys().next();
    if (!oldest.done) versionCache.delete(oldest.value);
  }
  versionCache.set(key, value);
  return value;
}

const specKey = (run: { tenantId: string; workflowId: string; workflowVersion: number }) =>
  `workflow/${run.tenantId}/${run.workflowId}/${run.workflowVersion}`;

/** A workflow version's spec if this process has read it (the cache holds what was read). */
function cachedWorkflowSpec(key: string): WorkflowSpec | undefined {
  return versionCache.get(key) as WorkflowSpec | undefined;
}

/** The run's pinned workflow version's spec, if this process has read it. */
export const cachedSpecOf = (run: RunRow): WorkflowSpec | undefined =>
  cachedWorkflowSpec(specKey(run));

/** The pinned workflow version's spec, from the process cache or Postgres. */
export async function loadWorkflowSpec(tx: Tx, run: RunRow): Promise<WorkflowSpec> {
  const spec = await cachedVersion(specKey(run), async () => {
    const [wv] = await tx
      .select({ spec: workflowVersions.spec })
      .from(workflowVersions)
      .where(
        and(
          eq(workflowVersions.workflowId, run.workflowId),
          eq(workflowVersions.version, run.workflowVersion),
        ),
      );
    return wv ? (wv.spec as WorkflowSpec) : undefined;
  });
  if (!spec)
    throw new NotFound(`workflow version ${run.workflowVersion} of run ${run.id} not found`);
  return spec;
}

// The run and its steps in one statement (ADR 171): planning reads both on every completion.
// The sub-select names `runs.id` itself: drizzle writes a lone table's columns unqualified, and
// a bare "id" there would be the step's.
const selectRunWithSteps = prebuiltSelect(
  'engine_run_with_steps',
  {
    run: RUN_COLUMNS,
    steps: jsonRowsOf(STEP_COLUMNS, 's', sql`from run_steps s where s.run_id = runs.id`),
  },
  (tx, fields) =>
    tx
      .select(fields)
      .from(runs)
      .where(eq(runs.id, placeholderFor(runs.id, 'runId'))),
);

// The same with the tenant's PII policy, for the step a completion prepares for (ADR 181).
const selectRunWithStepsAndPolicy = prebuiltSelect(
  'engine_run_with_steps_policy',
  {
    run: RUN_COLUMNS,
    piiPolicy: tenants.piiPolicy,
    steps: jsonRowsOf(STEP_COLUMNS, 's', sql`from run_steps s where s.run_id = runs.id`),
  },
  (tx, fields) =>
    tx
      .select(fields)
      .from(runs)
      .innerJoin(tenants, eq(tenants.id, runs.tenantId))
      .where(eq(runs.id, placeholderFor(runs.id, 'runId'))),
);

/** The run, its pinned workflow version and its steps (no prompts, no outputs): what planning starts from. */
export async function loadRunContext(tx: Tx, runId: string) {
  const [row] = await selectRunWithSteps(tx, { runId });
  if (!row) throw new NotFound(`run ${runId} not found`);
  return runContextOf(tx, row);
}

/** `loadRunContext` with the tenant's PII policy. */
export async function loadRunContextWithPolicy(tx: Tx, runId: string) {
  const [row] = await selectRunWithStepsAndPolicy(tx, { runId });
  if (!row) throw new NotFound(`run ${runId} not found`);
  return { ...(await runContextOf(tx, row)), piiPolicy: policyFrom(row.piiPolicy) };
}

async function runContextOf(tx: Tx, row: { run: RunRow; steps: unknown }) {
  const run: RunRow = row.run;
  const spec = await loadWorkflowSpec(tx, run);
  const steps = decodeJsonRows<StepRow>(STEP_COLUMNS, row.steps);
  return { run, spec, steps };
}

const OUTPUT_COLUMNS = {
  id: runSteps.id,
  nodeId: runSteps.nodeId,
  output: runSteps.output,
  payloads: runSteps.payloads,
  iteration: runSteps.iteration,
};
type OutputRow = {
  id: string;
  nodeId: string;
  output: unknown;
  payloads: unknown;
  iteration: number;
};

/**
 * The run's succeeded steps of `count` named nodes (placeholders node0…), oldest iteration first,
 * as one JSON array: a sub-select of a statement over `runs`.
 */
function outputsJson(count: number): SQL {
  if (!count) return sql`'[]'::json`;
  // One placeholder per id: the Data API takes no array parameters. `runs.id` by name: drizzle
  // writes a lone table's columns unqualified.
  const nodes = sql.join(
    Array.from({ length: count }, (_, i) => placeholderFor(runSteps.nodeId, `node${i}`)),
    sql`, `,
  );
  return jsonRowsOf(
    OUTPUT_COLUMNS,
    'o',
    sql`from run_steps o where o.run_id = runs.id and o.status = 'SUCCEEDED' and o.node_id in (${nodes})`,
    sql`o.iteration`,
  );
}

/** A statement per count of node ids: the text differs only by it. */
function perCount<T>(make: (count: number) => T): (count: number) => T {
  const made = new Map<number, T>();
  return (count) => {
    let m = made.get(count);
    if (!m) made.set(count, (m = make(count)));
    return m;
  };
}

const selectOutputs = perCount((count) =>
  prebuiltSelect(`engine_outputs_${count}`, { outputs: outputsJson(count) }, (tx, fields) =>
    tx
      .select(fields)
      .from(runs)
      .where(eq(runs.id, placeholderFor(runs.id, 'runId'))),
  ),
);

// The step's context with the outputs its node reads, when the node is known beforehand (below).
const selectStepContext = perCount((count) =>
  prebuiltSelect(
    `engine_step_context_${count}`,
    {
      run: RUN_COLUMNS,
      step: STEP_COLUMNS,
      piiPolicy: tenants.piiPolicy,
      outputs: outputsJson(count),
    },
    (tx, fields) =>
      tx
        .select(fields)
        .from(runSteps)
        .innerJoin(runs, eq(runs.id, runSteps.runId))
        .innerJoin(tenants, eq(tenants.id, runs.tenantId))
        .where(
          and(
            eq(runSteps.id, placeholderFor(runSteps.id, 'stepId')),
            eq(runSteps.runId, placeholderFor(runSteps.runId, 'runId')),
          ),
        ),
  ),
);

/**
 * What the planner knew of a step it made ready: its node and its run's workflow version. A step
 * task that finds its step here (the same process planned it, as a warm Lambda often has) reads
 * its context and the outputs its node reads in one statement. Both facts never change; bounded,
 * the oldest entry goes first.
 */
const STEP_HINTS_SIZE = 5000;
const stepHints = new Map<string, { spec: string; nodeId: string }>();

/** Remembers the nodes of steps the planner made ready (see `stepHints`). */
export function rememberReadySteps(run: RunRow, steps: { id: string; nodeId: string }[]) {
  for (const step of steps) {
    if (stepHints.size >= STEP_HINTS_SIZE) {
      const oldest = stepHints.keys().next();
      if (!oldest.done) stepHints.delete(oldest.value);
    }
    stepHints.set(step.id, { spec: specKey(run), nodeId: step.nodeId });
  }
}

export type Outputs = Record<string, { output: unknown; iterations: unknown[] }>;

/**
 * The run, ONE of its steps and the tenant's PII policy, with the workflow spec: what a step task
 * starts from (the other steps' rows are the planner's business). `reads` names the outputs the
 * step's node reads; `outputs()` gives them, read with the context when the planner's hint names
 * the node, else by a second statement when first asked for (a task that stops early never reads
 * them).
 */
export async function loadStepContext(
  p: PayloadPlatform,
  tx: Tx,
  runId: string,
  stepId: string,
  reads: (node: WorkflowSpec['nodes'][number] | undefined) => string[],
) {
  const hint = stepHints.get(stepId);
  const hinted = hint ? cachedWorkflowSpec(hint.spec) : undefined;
  const readsOf = (spec: WorkflowSpec, nodeId: string) => [
    ...new Set(reads(spec.nodes.find((n) => n.id === nodeId))),
  ];
  const known = hint && hinted ? readsOf(hinted, hint.nodeId) : [];
  const [row] = await selectStepContext(known.length)(tx, {
    runId,
    stepId,
    ...Object.fromEntries(known.map((id, i) => [`node${i}`, id])),
  });
  if (!row) {
    const [run] = await tx.select({ id: runs.id }).from(runs).where(eq(runs.id, runId));
    if (!run) throw new NotFound(`run ${runId} not found`);
    throw new ValidationError(`step ${stepId} is not part of run ${runId}`);
  }
  const run: RunRow = row.run;
  const step: StepRow = row.step;
  const spec = await loadWorkflowSpec(tx, run);
  // The hint named this step's node in this run's version: `known` is what it reads.
  const preread =
    hinted !== undefined && hint?.nodeId === step.nodeId && hint.spec === specKey(run);
  return {
    run,
    step,
    spec,
    /** The tenant's PII policy, as stored (the same read as `tenantPiiPolicy`). */
    piiPolicy: policyFrom(row.piiPolicy),
    outputs: (): Promise<Outputs> =>
      preread
        ? outputsFrom(p, run, decodeJsonRows<OutputRow>(OUTPUT_COLUMNS, row.outputs), 'resolve')
        : loadOutputs(p, tx, run, readsOf(spec, step.nodeId)),
  };
}

/**
 * The outputs of the named steps that succeeded, keyed by node id: the latest iteration's as
 * `output`, the earlier ones (oldest first) as `iterations`. Outputs kept in S3 are read back
 * through the run's tenant (ADR 105); `reference` gives their pointer's summary instead (the
 * run's output row must stay small).
 */
export async function loadOutputs(
  p: PayloadPlatform,
  tx: Tx,
  run: { id: string; tenantId: string },
  nodeIds: string[],
  offloaded: 'resolve' | 'reference' = 'resolve',
): Promise<Outputs> {
  if (!nodeIds.length) return {};
  const unique = [...new Set(nodeIds)];
  const [row] = await selectOutputs(unique.length)(tx, {
    runId: run.id,
    ...Object.fromEntries(unique.map((id, i) => [`node${i}`, id])),
  });
  return outputsFrom(
    p,
    run,
    row ? decodeJsonRows<OutputRow>(OUTPUT_COLUMNS, row.outputs) : [],
    offloaded,
  );
}

async function outputsFrom(
  p: PayloadPlatform,
  run: { id: string; tenantId: string },
  stored: OutputRow[],
  offloaded: 'resolve' | 'reference',
): Promise<Outputs> {
  const rows = await Promise.all(
    stored.map(async (r) => {
      const pointer = parsePayloads(r.payloads).output;
      if (!pointer) return r;
      if (offloaded === 'reference')
        return {
          ...r,
          output: { truncated: true, stepId: r.id, bytes: pointer.bytes, preview: pointer.preview },
        };
      return { ...r, output: await resolvePayload(p, run.tenantId, pointer) };
    }),
  );
  const out: Outputs = {};
  for (const r of rows) {
    const prior = out[r.nodeId];
    out[r.nodeId] = {
      output: r.output,
      iterations: prior ? [...prior.iterations, prior.output] : [],
    };
  }
  return out;
}

/** The step ids a template (or a JSON of templates) reads with `{{steps.<id>.output…}}`. */
export function referencedSteps(template: string): string[] {
  return templateReferences(template)
    .filter((r) => r.root === 'steps' && r.path[0] !== undefined)
    .map((r) => r.path[0]);
}

/** Each node's step of its latest iteration: the one the planner schedules and conditions read. */
export function latestSteps(steps: StepRow[]): Map<string, StepRow> {
  const latest = new Map<string, StepRow>();
  for (const s of steps) {
    const seen = latest.get(s.nodeId);
    if (!seen || seen.iteration < s.iteration) latest.set(s.nodeId, s);
  }
  return latest;
}

export function statusMap(steps: StepRow[]): Record<string, StepStatus> {
  return Object.fromEntries(
    [...latestSteps(steps).values()].map((s) => [s.nodeId, s.status as StepStatus]),
  );
}

/** The nodes whose outputs edge conditions read: what the planner loads. */
export function conditionNodes(spec: WorkflowSpec): string[] {
  return spec.edges.flatMap((e) =>
    e.if
      ? conditionPaths(e.if, '')
          .filter((c) => c.root === 'steps' && c.segments[0] !== undefined)
          .map((c) => c.segments[0])
      : [],
  );
}

/**
 * What templates and conditions read: the run input, the named nodes' latest succeeded outputs
 * with their earlier iterations, and each node's latest iteration number.
 */
export async function loadRunData(
  p: PayloadPlatform,
  tx: Tx,
  run: RunRow,
  steps: StepRow[],
  nodeIds: string[],
): Promise<PlanData> {
  const iterations: Record<string, number> = {};
  for (const s of latestSteps(steps).values()) iterations[s.nodeId] = s.iteration;
  return {
    input: run.input as Record<string, unknown>,
    steps: await loadOutputs(p, tx, run, nodeIds),
    iterations,
  };
}

export async function loadPinnedAgent(tx: Tx, run: RunRow, slug: string): Promise<AgentSpec> {
  const pin = (run.agentVersions as Record<string, PinnedAgent>)[slug];
  if (!pin) throw new NotFound(`agent ${slug} is not pinned in run ${run.id}`);
  const spec = await cachedVersion(
    `agent/${run.tenantId}/${pin.agentId}/${pin.version}`,
    async () => {
      const [row] = await tx
        .select({ spec: agentVersions.spec })
        .from(agentVersions)
        .where(and(eq(agentVersions.agentId, pin.agentId), eq(agentVersions.version, pin.version)));
      return row ? (row.spec as AgentSpec) : undefined;
    },
  );
  if (!spec) throw new NotFound(`agent ${slug} v${pin.version} not found`);
  return spec;
}
