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
  await tx.execute(eventStatement(e, alongside, sql`${e.type}, ${e.message}, ${jsonOf(e)}`));
}

/**
 * `appendEvent` for an event that depends on a write in the same statement: `decider` (a CTE that
 * returns at most one row with a `status`) runs with the `alongside` writes, and the event is
 * `when.event` if that status is `when.status`, else `otherwise` (same run, step and node). One
 * round trip where a write, then its event, were two (issue 12).
 */
export async function appendEventOnStatus(
  tx: Tx,
  decider: SQL,
  when: { status: string; event: RunEventInput },
  otherwise: RunEventInput,
  alongside: readonly SQL[] = [],
): Promise<void> {
  const pick = (a: SQL | string, b: SQL | string) =>
    sql`case when decider.status = ${when.status} then ${a} else ${b} end`;
  const { event } = when;
  await tx.execute(
    eventStatement(
      otherwise,
      alongside,
      sql`${pick(event.type, otherwise.type)}, ${pick(event.message, otherwise.message)}, ${pick(jsonOf(event), jsonOf(otherwise))}`,
      decider,
    ),
  );
}

/**
 * One statement: the row comes out of the lock's CTE, so the identity is drawn after the lock is
 * held (every statement is a round trip on the Data API). `alongside`, data-modifying statements
 * the event goes with, ride in the same round trip as CTEs (each always runs). `values` gives the
 * type, message and data; they may read `decider`, a CTE joined to the lock's row.
 */
function eventStatement(e: RunEventInput, alongside: readonly SQL[], values: SQL, decider?: SQL) {
  const also = sql.join(
    alongside.map((w, i) => sql`, ${sql.raw(`alongside_${i}`)} as (${w})`),
    sql``,
  );
  const decided = decider ? sql`, decider as (${decider})` : sql``;
  const from = decider ? sql`run_lock left join decider on true` : sql`run_lock`;
  return preparedByText(sql`with run_lock as (select pg_advisory_xact_lock(hashtextextended(${e.runId}::text, 70)))${also}${decided}
    insert into run_events (tenant_id, run_id, step_id, node_id, type, message, data)
    select ${e.tenantId}::uuid, ${e.runId}::uuid, ${e.stepId ?? null}::uuid, ${e.nodeId ?? null}, ${values}
    from ${from}`);
}

const jsonOf = (e: RunEventInput) =>
  sql`${e.data === undefined ? null : JSON.stringify(e.data)}::jsonb`;

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
