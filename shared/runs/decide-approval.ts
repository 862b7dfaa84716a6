/** A person's answer to a run waiting on an approval step. */
import { and, eq } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { runSteps, runs } from '../db/schema';
import { Conflict, NotFound } from '../errors';
import type { Platform } from '../platform/platform';
import { appendEvent } from './events';
import { launch } from './launch';
import { loadRunRow, loadSteps } from './run-store';

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
