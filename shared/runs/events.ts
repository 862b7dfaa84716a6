import { and, asc, eq, gt, type SQL, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { preparedByText } from '../db/pg-prepared-by-text';
import { runEvents } from '../db/schema';

export interface RunEventInput {
  tenantId: string;
  runId: string;
  stepId?: string | null;
  nodeId?: string | null;
  type: string;
  message: string;
  data?: Record<string, unknown>;
}

/**
 * The timeline the console shows: one row per thing that happened to a run.
 *
 * `seq` is an identity: two transactions appending to the same run could otherwise commit out of
 * seq order, and a reader resuming "after seq N" (polling, SSE Last-Event-ID) would skip the late
 * one for good. A per-run transaction lock taken before the seq is drawn makes a run's events
 * commit in seq order (ADR 070).
 */
export async function appendEvent(
  tx: Tx,
  e: RunEventInput,
  alongside: readonly SQL[] = [],
): Promise<void> {
  // One statement: the row comes out of the lock's CTE, so the identity is drawn after the lock
  // is held (every statement is a round trip on the Data API). `alongside`, data-modifying
  // statements the event goes with, ride in the same round trip as CTEs (each always runs).
  const data = e.data === undefined ? null : JSON.stringify(e.data);
  const also = sql.join(
    alongside.map((w, i) => sql`, ${sql.raw(`alongside_${i}`)} as (${w})`),
    sql``,
  );
  await tx.execute(
    preparedByText(sql`with run_lock as (select pg_advisory_xact_lock(hashtextextended(${e.runId}::text, 70)))${also}
    insert into run_events (tenant_id, run_id, step_id, node_id, type, message, data)
    select ${e.tenantId}::uuid, ${e.runId}::uuid, ${e.stepId ?? null}::uuid, ${e.nodeId ?? null}, ${e.type}, ${e.message}, ${data}::jsonb
    from run_lock`),
  );
}

export async function listEvents(tx: Tx, runId: string, after: number, limit: number) {
  const rows = await tx
    .select()
    .from(runEvents)
    .where(and(eq(runEvents.runId, runId), gt(runEvents.seq, after)))
    .orderBy(asc(runEvents.seq))
    .limit(limit);
  const items = rows.map((r) => ({
    seq: r.seq,
    type: r.type,
    ...(r.stepId ? { stepId: r.stepId } : {}),
    ...(r.nodeId ? { nodeId: r.nodeId } : {}),
    message: r.message,
    ...(r.data ? { data: r.data } : {}),
    at: r.createdAt.toISOString(),
  }));
  return { items, nextAfter: items.length ? items[items.length - 1].seq : after };
}
