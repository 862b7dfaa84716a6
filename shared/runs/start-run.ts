/** Starting a run: the workflow's published (or named) version, its agents pinned, one execution. */
import { randomUUID } from 'node:crypto';
import type { WorkflowSpec } from '../api/contracts/workflows';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { agentStoreInstance } from '../catalog/agents';
import { workflowStoreInstance } from '../catalog/workflows';
import type { Tx } from '../db/client';
import { insertWrite } from '../db/prebuilt-statement';
import { runSteps, runs } from '../db/schema';
import { IdempotencyKeyReused, NotFound, ValidationError } from '../errors';
import { claimKey, releaseKey } from '../idempotency/claims';
import { fingerprintOf } from '../idempotency/fingerprint';
import { assertBudgetLeft } from '../llm/budgets';
import { metrics } from '../observability/metrics';
import { runIdFromActiveTrace } from '../observability/tracing';
import type { Platform } from '../platform/platform';
import { validateRunInput } from '../workflow/validate';
import { appendEvent } from './events';
import { launch, plannedExecutionId } from './launch';

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
  // Recorded with the run's insert: no write after the execution starts (ADR 184).
  const executionId = plannedExecutionId(p, runId);
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
      // Prebuilt: its text is rendered once per shape (which columns, how many steps).
      const run = insertWrite(runs, 'run', [
        {
          id: runId,
          tenantId: auth.tenantId,
          workflowId: wf.id,
          workflowVersion: wf.version,
          agentVersions: pinned,
          status: 'QUEUED',
          input,
          createdBy: actorOf(auth),
          executionIds: executionId ? [executionId] : [],
          ...(schedule ? { scheduleId: schedule.id, scheduledFor: schedule.slot } : {}),
          ...(batch ? { batchId: batch.id, batchIndex: batch.index } : {}),
        },
      ]);
      const steps = insertWrite(
        runSteps,
        'step',
        wf.spec.nodes.map((n) => ({
          tenantId: auth.tenantId,
          runId,
          nodeId: n.id,
          type: n.type,
          status: 'PENDING',
        })),
      );
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
  await launch(p, auth.tenantId, runId, runId, executionId);
  metrics().count('runs_started');
  return { runId, status: 'QUEUED' };
}

/** Agent slug → the version to run now; steps read exactly these, whatever changes later. */
export async function pinAgents(
  tx: Tx,
  tenantId: string,
  spec: WorkflowSpec,
): Promise<Record<string, PinnedAgent>> {
  // The first node naming an agent decides its version: the node's pinned one, else the
  // published one (ADR 120). One read for all of them.
  const uses = new Map<string, { index: number; version?: number }>();
  for (const [index, node] of spec.nodes.entries())
    if ((node.type === 'agent' || node.type === 'router') && node.agent && !uses.has(node.agent))
      uses.set(node.agent, { index, version: node.agentVersion });
  const found = await agentStoreInstance.versionsToRun(
    tx,
    tenantId,
    [...uses].map(([ref, { version }]) => ({ ref, version })),
  );
  const pinned: Record<string, PinnedAgent> = {};
  for (const [slug, { index }] of uses) {
    const agent = found.get(slug);
    if (!agent)
      throw new ValidationError(
        `node "${spec.nodes[index].id}" uses agent "${slug}", which no longer exists`,
        [{ path: `nodes[${index}].agent`, message: `unknown agent "${slug}"` }],
      );
    pinned[slug] = { agentId: agent.id, version: agent.version };
  }
  return pinned;
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
