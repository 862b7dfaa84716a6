/**
 * A batch's Distributed Map item and its end (ADR 160). `advanceBatchItem` is the item
 * processor's one task, called until its run has finished: the first call starts the item's run
 * through `startRun` (the API's own path: the batch's version, input validation, agent pins,
 * budget), marked with the batch and index; later calls report the run's status. A retried call
 * finds the run the first one started (`runs_batch_item` is unique), so an item never starts two.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { AuthContext } from '../auth/context';
import { batches, runs } from '../db/schema';
import { BudgetExceeded, Conflict, NotFound, ValidationError } from '../errors';
import type { Platform } from '../platform/platform';
import { cancelRun } from '../runs/cancel-run';
import { startRun } from '../runs/start-run';
import { countsOf } from './batches';
import { isTerminalRun } from '../runs/run-status';

export interface BatchItem {
  tenantId: string;
  batchId: string;
  index: number;
  input: Record<string, unknown>;
}

/** The item's state: `done` ends the item's polling; an item is a success only when its run is. */
export interface ItemOutcome {
  index: number;
  /** The item's run; empty when none was started (the batch was cancelled, or the start refused). */
  runId: string;
  status: string;
  done: boolean;
  error?: string;
}

export function batchAuth(tenantId: string, batchId: string): AuthContext {
  return { tenantId, userId: null, role: 'dev', via: 'token', actor: `batch:${batchId}` };
}

async function itemRun(p: Platform, auth: AuthContext, batchId: string, index: number) {
  const [found] = await p.db.withTenant(auth, (tx) =>
    tx
      .select({ id: runs.id, status: runs.status })
      .from(runs)
      .where(and(eq(runs.batchId, batchId), eq(runs.batchIndex, index))),
  );
  return found;
}

export async function advanceBatchItem(p: Platform, item: BatchItem): Promise<ItemOutcome> {
  const { tenantId, batchId, index } = item;
  const auth = batchAuth(tenantId, batchId);
  const outcome = (run: { id: string; status: string }): ItemOutcome => ({
    index,
    runId: run.id,
    status: run.status,
    done: isTerminalRun(run.status),
  });
  const existing = await itemRun(p, auth, batchId, index);
  if (existing) return outcome(existing);

  const [batch] = await p.db.withTenant(auth, (tx) =>
    tx.select().from(batches).where(eq(batches.id, batchId)),
  );
  if (batch?.status !== 'RUNNING')
    return {
      index,
      runId: '',
      status: 'NOT_STARTED',
      done: true,
      error: batch ? `the batch is ${batch.status}` : 'the batch no longer exists',
    };
  try {
    await startRun(p, auth, batch.workflowId, item.input, {
      version: batch.workflowVersion,
      batch: { id: batchId, index },
    });
  } catch (error) {
    // A concurrent retry of this item won the unique (batch, index): report its run.
    const raced = await itemRun(p, auth, batchId, index);
    if (raced) return outcome(raced);
    // The workflow changed under the batch (deleted, out of budget): this item has no run.
    if (
      error instanceof ValidationError ||
      error instanceof NotFound ||
      error instanceof BudgetExceeded
    )
      return { index, runId: '', status: 'NOT_STARTED', done: true, error: error.message };
    throw error;
  }
  const started = await itemRun(p, auth, batchId, index);
  if (!started) throw new Error(`batch ${batchId} item ${index}: the started run is missing`);
  // A cancel that committed while this run was being started may not have seen it: cancel it here.
  const [now] = await p.db.withTenant(auth, (tx) =>
    tx.select({ status: batches.status }).from(batches).where(eq(batches.id, batchId)),
  );
  if (now?.status === 'CANCELLED' && !isTerminalRun(started.status)) {
    await cancelRun(p, auth, started.id).catch((error) => {
      if (!(error instanceof Conflict)) throw error;
    });
    const settled = await itemRun(p, auth, batchId, index);
    if (settled) return outcome(settled);
  }
  return outcome(started);
}

/**
 * After the Distributed Map: the batch COMPLETED (each item's outcome is its run's), or FAILED
 * when the map itself failed (the item list unreadable, the engine refusing). A cancelled batch
 * stays cancelled.
 */
export async function finalizeBatch(
  p: Platform,
  event: {
    tenantId: string;
    batchId: string;
    error?: { Error?: string; Cause?: string };
    /** From an execution-status event: only the batch's own execution settles it. */
    executionId?: string;
  },
) {
  const auth = batchAuth(event.tenantId, event.batchId);
  return p.db.withTenant(auth, async (tx) => {
    const own = event.executionId ? sql`${batches.executionId} = ${event.executionId}` : sql`true`;
    const failed = event.error
      ? {
          name: event.error.Error ?? 'BatchFailed',
          message: (event.error.Cause ?? 'the batch state machine failed').slice(0, 2000),
        }
      : null;
    await tx
      .update(batches)
      .set({
        status: failed ? 'FAILED' : 'COMPLETED',
        error: failed,
        finishedAt: new Date(p.now()),
      })
      .where(and(eq(batches.id, event.batchId), eq(batches.status, 'RUNNING'), own));
    const [row] = await tx.select().from(batches).where(eq(batches.id, event.batchId));
    if (!row) throw new NotFound('batch not found');
    return { status: row.status, counts: (await countsOf(tx, [row])).get(row.id) };
  });
}
