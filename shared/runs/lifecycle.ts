/**
 * Starting, cancelling, re-running and approving runs. A run is the user's unit; it may span several
 * Step Functions executions (a re-run or an approval continues from the persisted state).
 */
import { createHash, randomUUID } from 'node:crypto';
import { metrics } from '../observability/metrics';
import { runIdFromActiveTrace } from '../observability/tracing';
import { and, eq, inArray, notInArray, sql } from 'drizzle-orm';
import type { WorkflowSpec } from '../api/contracts/workflows';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { agentStoreInstance } from '../catalog/agents';
import { workflowStoreInstance } from '../catalog/workflows';
import type { Tx } from '../db/client';
import { runSteps, runs } from '../db/schema';
import { Conflict, IdempotencyKeyReused, NotFound, ValidationError } from '../errors';
import { assertBudgetLeft } from '../llm/budgets';
import { claimKey, releaseKey } from '../idempotency/claims';
import type { Platform } from '../platform/platform';
import { validateRunInput } from '../workflow/validate';
import { descendantsOf } from '../workflow/graph';
import { latestSteps } from './engine/context';
import { settleInterruptedAttempts } from './engine/interrupted-attempts';
import { retryOnDeadlock } from '../db/deadlock';
import { appendEvent } from './events';
import { loadRunRow, loadSteps, runSummary } from './run-store';

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);
export const RUN_MACHINE = 'runWorkflow';

export interface PinnedAgent {
  agentId: string;
  version: number;
}

export async function startRun(
  p: Platform,
  auth: AuthContext,
  workflowIdOrSlug: string,
  input: Record<string, unknown>,
  options: {
    idempotencyKey?: string;
    version?: number;
    /** A scheduled firing marks its run with the schedule and slot (ADR 121). */
    schedule?: { id: string; slot: Date };
    /** A batch item marks its run with the batch and the input's index (ADR 160). */
    batch?: { id: string; index: number };
  } = {},
) {
  const { idempotencyKey, version, schedule, batch } = options;
  const runId = traceRunId();
  // The key remembers which request claimed it: the same key with another request is refused.
  const fingerprint = fingerprintOf({
    workflow: workflowIdOrSlug,
    version: version ?? null,
    input,
  });
  if (idempotencyKey) {
    const claim = await claimKey(
      p.dynamo,
      p.config.TABLE_NAME,
      `idem#${auth.tenantId}#run#${idempotencyKey}`,
      `${runId}#${fingerprint}`,
      24 * 3600,
      p.now(),
    );
    if (!claim.claimed) {
      const [earlierRun, earlierPrint] = claim.value.split('#');
      if (earlierPrint && earlierPrint !== fingerprint)
        throw new IdempotencyKeyReused(
          `Idempotency-Key was already used for a different request (run ${earlierRun}); use a new key`,
        );
      return { runId: earlierRun, status: 'QUEUED', replayed: true };
    }
  }
  try {
    await p.db.withTenant(auth, async (tx) => {
      // No version named: the published one (ADR 120).
      const wf = await workflowStoreInstance
        .getPublished(tx, auth.tenantId, workflowIdOrSlug, version)
        .catch(async (e) => {
          if (!(e instanceof NotFound) || version === undefined) throw e;
          await workflowStoreInstance.get(tx, auth.tenantId, workflowIdOrSlug);
          throw new ValidationError(`the workflow has no version ${version}`, [
            { path: 'version', message: `no version ${version}` },
          ]);
        });
      const issues = validateRunInput(wf.spec, input);
      if (issues.length)
        throw new ValidationError(
          `invalid run input: ${issues[0].path}: ${issues[0].message}`,
          issues,
        );
      const pinned = await pinAgents(tx, auth.tenantId, wf.spec);
      if (wf.spec.nodes.some((n) => n.type === 'agent' || n.type === 'router'))
        await assertBudgetLeft(tx, auth.tenantId, wf.id, new Date(p.now()));
      // The run, its steps and its first event in one statement (on the Data API one HTTPS call
      // where there were three); the foreign keys are checked at the statement's end.
      const run = tx
        .insert(runs)
        .values({
          id: runId,
          tenantId: auth.tenantId,
          workflowId: wf.id,
          workflowVersion: wf.version,
          agentVersions: pinned,
          status: 'QUEUED',
          input,
          createdBy: actorOf(auth),
          ...(schedule ? { scheduleId: schedule.id, scheduledFor: schedule.slot } : {}),
          ...(batch ? { batchId: batch.id, batchIndex: batch.index } : {}),
        })
        .getSQL();
      const steps = tx
        .insert(runSteps)
        .values(
          wf.spec.nodes.map((n) => ({
            tenantId: auth.tenantId,
            runId,
            nodeId: n.id,
            type: n.type,
            status: 'PENDING',
          })),
        )
        .getSQL();
      await appendEvent(
        tx,
        {
          tenantId: auth.tenantId,
          runId,
          type: 'run.queued',
          message: `run of ${wf.slug} v${wf.version} queued`,
          data: { workflowVersion: wf.version },
        },
        [run, steps],
      );
      await recordAudit(
        tx,
        {
          tenantId: auth.tenantId,
          actor: actorOf(auth),
          action: 'run.start',
          target: `run:${runId}`,
          data: { workflow: wf.slug, version: wf.version },
        },
        { endsTransaction: true },
      );
    });
  } catch (e) {
    if (idempotencyKey)
      await releaseKey(
        p.dynamo,
        p.config.TABLE_NAME,
        `idem#${auth.tenantId}#run#${idempotencyKey}`,
      );
    throw e;
  }
  await launch(p, auth.tenantId, runId, runId);
  metrics().count('runs_started');
  return { runId, status: 'QUEUED' };
}

/** Agent slug → the version to run now; steps read exactly these, whatever changes later. */
export async function pinAgents(
  tx: Tx,
  tenantId: string,
  spec: WorkflowSpec,
): Promise<Record<string, PinnedAgent>> {
  const pinned: Record<string, PinnedAgent> = {};
  for (const [i, node] of spec.nodes.entries()) {
    if ((node.type !== 'agent' && node.type !== 'router') || !node.agent || pinned[node.agent])
      continue;
    // The node's pinned version, else the agent's published one (ADR 120).
    const agent = await agentStoreInstance
      .getPublished(tx, tenantId, node.agent, node.agentVersion)
      .catch((e) => {
        throw e instanceof NotFound
          ? new ValidationError(
              `node "${node.id}" uses agent "${node.agent}", which no longer exists`,
              [{ path: `nodes[${i}].agent`, message: `unknown agent "${node.agent}"` }],
            )
          : e;
      });
    pinned[node.agent] = { agentId: agent.id, version: agent.version };
  }
  return pinned;
}

/** Starts an execution for the run; a failure to start fails the run with the reason instead of leaving it QUEUED. */
export async function launch(
  p: Platform,
  tenantId: string,
  runId: string,
  executionName: string,
): Promise<void> {
  try {
    const { executionId } = await p.executions.start(RUN_MACHINE, executionName, {
      tenantId,
      runId,
    });
    await p.db.withTenant({ tenantId }, async (tx) => {
      await tx
        .update(runs)
        .set({ executionIds: sql`${runs.executionIds} || ${JSON.stringify([executionId])}::jsonb` })
        .where(eq(runs.id, runId));
    });
  } catch (cause) {
    p.log.error('could not start execution', { runId, error: cause });
    await p.db.withTenant({ tenantId }, async (tx) => {
      await tx
        .update(runs)
        .set({
          status: 'FAILED',
          error: { name: 'StartFailed', message: 'the workflow engine did not accept the run' },
          finishedAt: new Date(p.now()),
        })
        .where(eq(runs.id, runId));
      await appendEvent(tx, {
        tenantId,
        runId,
        type: 'run.failed',
        message: 'the workflow engine did not accept the run',
      });
    });
    throw cause;
  }
}

export async function cancelRun(p: Platform, auth: AuthContext, runId: string) {
  // A step completing meanwhile locks the same rows (its step, then the run) in the other order:
  // PostgreSQL may abort this transaction as the deadlock's victim (CI's PostgreSQL pass did).
  const { run, executions } = await retryOnDeadlock(() => cancelInTx(p, auth, runId));
  // Counted once the cancel committed: a deadlock's victim is run again and would count twice.
  metrics().count('runs_finished', 1, { status: 'CANCELLED' });
  // Stopping is best effort: the planner and steps also check the CANCELLED status.
  for (const id of executions)
    await p.executions
      .stop(id, 'cancelled')
      .catch((e) => p.log.warn('stop failed', { runId, error: e }));
  // Child runs of sub-workflow and map steps go with their parent (each nests at most 5 deep).
  const children = await p.db.withTenant(auth, (tx) =>
    tx
      .select({ id: runs.id })
      .from(runs)
      .where(
        and(
          eq(runs.parentRunId, runId),
          notInArray(runs.status, ['SUCCEEDED', 'FAILED', 'CANCELLED']),
        ),
      ),
  );
  for (const child of children)
    await cancelRun(p, auth, child.id).catch((e) => {
      if (!(e instanceof Conflict)) throw e;
    });
  return runSummary(run, '');
}

/**
 * A new run of the same pinned versions that reuses the finished outputs before `fromStep`. With a
 * new `input` it is a fork: outputs computed from the old input are reused only before an explicit
 * `fromStep`, and the new run's timeline records the fork.
 */
export async function rerun(
  p: Platform,
  auth: AuthContext,
  runId: string,
  options: { fromStep?: string; input?: Record<string, unknown> } = {},
) {
  const { fromStep, input } = options;
  const newRunId = traceRunId();
  await p.db.withTenant(auth, async (tx) => {
    const old = await loadRunRow(tx, auth.tenantId, runId);
    if (!TERMINAL.has(old.status))
      throw new Conflict(`run is ${old.status}; cancel it or wait before re-running`);
    const wf = await workflowStoreInstance.get(
      tx,
      auth.tenantId,
      old.workflowId,
      old.workflowVersion,
    );
    const steps = await loadSteps(tx, runId);
    const fork = input !== undefined;
    if (fork) {
      const issues = validateRunInput(wf.spec, input);
      if (issues.length)
        throw new ValidationError(
          `invalid run input: ${issues[0].path}: ${issues[0].message}`,
          issues,
        );
    }
    const start = fromStep ?? (fork ? undefined : steps.find((s) => s.status === 'FAILED')?.nodeId);
    if (fromStep && !wf.spec.nodes.some((n) => n.id === fromStep))
      throw new ValidationError(`no step "${fromStep}" in this workflow`, [
        { path: 'fromStep', message: 'not a node of the workflow version of this run' },
      ]);
    const redo = start ? descendantsOf(wf.spec, start) : new Set(wf.spec.nodes.map((n) => n.id));
    if (start) redo.add(start);
    await tx.insert(runs).values({
      id: newRunId,
      tenantId: auth.tenantId,
      workflowId: old.workflowId,
      workflowVersion: old.workflowVersion,
      agentVersions: old.agentVersions,
      status: 'QUEUED',
      input: fork ? input : old.input,
      rerunOf: old.id,
      createdBy: actorOf(auth),
    });
    const latest = latestSteps(steps);
    await tx.insert(runSteps).values(
      wf.spec.nodes.flatMap((n) => {
        const prev = latest.get(n.id);
        const reuse = prev && prev.status === 'SUCCEEDED' && !redo.has(n.id);
        // A reused node keeps every iteration it ran, so templates still reach the earlier ones.
        return reuse
          ? steps
              .filter((s) => s.nodeId === n.id && s.status === 'SUCCEEDED')
              .map((s) => ({
                tenantId: auth.tenantId,
                runId: newRunId,
                nodeId: n.id,
                type: n.type,
                status: 'SUCCEEDED',
                iteration: s.iteration,
                prompt: s.prompt,
                output: s.output,
                // The pointers of payloads kept in S3 (same tenant; the objects are shared).
                payloads: s.payloads,
                provider: s.provider,
                model: s.model,
                startedAt: s.startedAt,
                finishedAt: s.finishedAt,
              }))
          : [
              {
                tenantId: auth.tenantId,
                runId: newRunId,
                nodeId: n.id,
                type: n.type,
                status: 'PENDING',
              },
            ];
      }),
    );
    await appendEvent(tx, {
      tenantId: auth.tenantId,
      runId: newRunId,
      type: 'run.queued',
      message: `${fork ? 'fork' : 're-run'} of ${runId}${fork ? ' with new input' : ''}${start ? ` from step ${start}` : ''}`,
      data: { rerunOf: runId, fromStep: start ?? null, fork },
    });
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'run.rerun',
      target: `run:${newRunId}`,
      data: { rerunOf: runId, fromStep: start ?? null, fork },
    });
  });
  await launch(p, auth.tenantId, newRunId, newRunId);
  return { runId: newRunId, status: 'QUEUED' };
}

/** Settles a WAITING approval step and continues the run in a new execution (continue-as-new). */
export async function decideApproval(
  p: Platform,
  auth: AuthContext,
  runId: string,
  stepRef: string,
  approved: boolean,
  comment?: string,
) {
  const executionName = `${runId.slice(0, 36)}-${Date.now().toString(36)}`;
  await p.db.withTenant(auth, async (tx) => {
    const run = await loadRunRow(tx, auth.tenantId, runId);
    if (run.status !== 'WAITING')
      throw new Conflict(`run is ${run.status}, not WAITING for an approval`);
    const step = [...(await loadSteps(tx, runId))]
      .sort((a, b) => b.iteration - a.iteration)
      .find((s) => s.id === stepRef || s.nodeId === stepRef);
    if (!step) throw new NotFound(`step ${stepRef} not found in run ${runId}`);
    if (step.status !== 'WAITING')
      throw new Conflict(`step ${step.nodeId} is ${step.status}, not WAITING`);
    const decision = { approved, by: actorOf(auth), comment: comment ?? null };
    // Conditional writes: of two answers racing (API, console, a comment), the second finds the
    // step or run no longer WAITING once the first commits, and is refused instead of launching twice.
    const settled = await tx
      .update(runSteps)
      .set(
        approved
          ? { status: 'SUCCEEDED', output: decision, finishedAt: new Date(p.now()) }
          : {
              status: 'FAILED',
              output: decision,
              error: { name: 'ApprovalRejected', message: comment ?? 'rejected' },
              finishedAt: new Date(p.now()),
            },
      )
      .where(and(eq(runSteps.id, step.id), eq(runSteps.status, 'WAITING')))
      .returning({ id: runSteps.id });
    if (!settled.length) throw new Conflict(`step ${step.nodeId} was answered meanwhile`);
    const resumed = await tx
      .update(runs)
      .set({ status: 'RUNNING' })
      .where(and(eq(runs.id, runId), eq(runs.status, 'WAITING')))
      .returning({ id: runs.id });
    if (!resumed.length) throw new Conflict('run was answered meanwhile');
    await appendEvent(tx, {
      tenantId: auth.tenantId,
      runId,
      stepId: step.id,
      nodeId: step.nodeId,
      type: approved ? 'step.approved' : 'step.rejected',
      message: `${step.nodeId} ${approved ? 'approved' : 'rejected'} by ${actorOf(auth)}`,
      data: decision,
    });
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: approved ? 'run.approve' : 'run.reject',
      target: `run:${runId}`,
      data: { step: step.nodeId },
    });
  });
  await launch(p, auth.tenantId, runId, executionName);
  return { runId, status: 'RUNNING' };
}

/** A digest of a request that does not depend on the order of object keys. */
export function fingerprintOf(value: unknown): string {
  return createHash('sha256').update(canonical(value)).digest('base64url').slice(0, 32);
}
function canonical(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${JSON.stringify(k)}:${canonical((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value) ?? 'null';
}

/**
 * Continues a run that a crashed process left QUEUED or RUNNING (the local runtime calls this on
 * start): attempts that were in flight are charged at their estimate and their reservations
 * settled, steps that were running go back to PENDING, and a continuation execution plans from the
 * persisted state, as after an approval. Returns false when the run had settled meanwhile.
 */
export async function resumeRun(p: Platform, tenantId: string, runId: string): Promise<boolean> {
  const resumable = await p.db.withTenant({ tenantId }, async (tx) => {
    const [run] = await tx.select().from(runs).where(eq(runs.id, runId)).for('update');
    if (!run || !['QUEUED', 'RUNNING'].includes(run.status)) return false;
    const charged = await settleInterruptedAttempts(tx, tenantId, { runId });
    const reset = await tx
      .update(runSteps)
      .set({ status: 'PENDING' })
      .where(and(eq(runSteps.runId, runId), eq(runSteps.status, 'RUNNING')))
      .returning({ nodeId: runSteps.nodeId });
    await appendEvent(tx, {
      tenantId,
      runId,
      type: 'run.resumed',
      message: `the runtime restarted: the run continues from its persisted state (${reset.length} step(s) restarted, ${charged.count} interrupted attempt(s) charged)`,
      data: { restartedSteps: reset.map((s) => s.nodeId), interruptedAttempts: charged.count },
    });
    return true;
  });
  if (!resumable) return false;
  await launch(p, tenantId, runId, `${runId.slice(0, 36)}-resume-${p.now().toString(36)}`);
  return true;
}

let lastTraceRun: string | undefined;
/**
 * The id of a new run: the starting request's trace id when traces are on (so the run's spans join
 * that trace, ADR 075), else random. A second run in the same trace gets a random id.
 */
export function traceRunId(): string {
  const fromTrace = runIdFromActiveTrace();
  if (!fromTrace || fromTrace === lastTraceRun) return randomUUID();
  lastTraceRun = fromTrace;
  return fromTrace;
}

/** The cancellation's writes: the run, its unfinished steps, the event and the audit record. */
function cancelInTx(p: Platform, auth: AuthContext, runId: string) {
  return p.db.withTenant(auth, async (tx) => {
    const run = await loadRunRow(tx, auth.tenantId, runId);
    if (TERMINAL.has(run.status)) throw new Conflict(`run is already ${run.status}`);
    const [updated] = await tx
      .update(runs)
      .set({
        status: 'CANCELLED',
        finishedAt: new Date(p.now()),
        error: { name: 'RunCancelled', message: `cancelled by ${actorOf(auth)}` },
      })
      .where(eq(runs.id, runId))
      .returning();
    await tx
      .update(runSteps)
      .set({ status: 'SKIPPED', finishedAt: new Date(p.now()) })
      .where(and(eq(runSteps.runId, runId), inArray(runSteps.status, ['PENDING', 'WAITING'])));
    // In-flight steps settle now; a call that still returns adds its cost but not its success.
    await tx
      .update(runSteps)
      .set({ status: 'CANCELLED', finishedAt: new Date(p.now()) })
      .where(and(eq(runSteps.runId, runId), eq(runSteps.status, 'RUNNING')));
    await appendEvent(tx, {
      tenantId: auth.tenantId,
      runId,
      type: 'run.cancelled',
      message: `cancelled by ${actorOf(auth)}`,
    });
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'run.cancel',
      target: `run:${runId}`,
    });
    return { run: updated, executions: (run.executionIds as string[]) ?? [] };
  });
}
