/** Cancelling a run: its unfinished steps, its executions and its unfinished child runs. */
import { and, eq, inArray, notInArray } from 'drizzle-orm';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { retryOnDeadlock } from '../db/deadlock';
import { runSteps, runs } from '../db/schema';
import { Conflict } from '../errors';
import { metrics } from '../observability/metrics';
import type { Platform } from '../platform/platform';
import { appendEvent } from './events';
import { releasePreparedAttempts } from './engine/interrupted-attempts';
import { loadRunRow, runSummary } from './run-store';
import { isTerminalRun, TERMINAL_RUN_STATUSES } from './run-status';

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
      .where(and(eq(runs.parentRunId, runId), notInArray(runs.status, [...TERMINAL_RUN_STATUSES]))),
  );
  for (const child of children)
    await cancelRun(p, auth, child.id).catch((e) => {
      if (!(e instanceof Conflict)) throw e;
    });
  return runSummary(run, '');
}

/** The cancellation's writes: the run, its unfinished steps, the event and the audit record. */
function cancelInTx(p: Platform, auth: AuthContext, runId: string) {
  return p.db.withTenant(auth, async (tx) => {
    const run = await loadRunRow(tx, auth.tenantId, runId);
    if (isTerminalRun(run.status)) throw new Conflict(`run is already ${run.status}`);
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
    await releasePreparedAttempts(tx, runId);
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
