/** Continuing runs a crashed local runtime left unfinished. */
import { and, eq } from 'drizzle-orm';
import { runSteps, runs } from '../db/schema';
import type { Platform } from '../platform/platform';
import { settleInterruptedAttempts } from './engine/interrupted-attempts';
import { appendEvent } from './events';
import { launch } from './launch';

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
