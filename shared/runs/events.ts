import { and, asc, eq, gt, is, SQL, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { runPrebuilt, shapeOf, type StatementPart, valuesOf } from '../db/prebuilt-statement';
import { runEvents, runs } from '../db/schema';

export interface RunEventInput {
  tenantId: string;
  runId: string;
  stepId?: string | null;
  nodeId?: string | null;
  type: string;
  message: string;
  data?: Record<string, unknown>;
}

/** A data-modifying statement an event rides with: prebuilt, or built for this call (`SQL`). */
export type Alongside = StatementPart | SQL;

/** The second key of a run's event lock (the first is the run's id). */
const EVENT_LOCK = '70';

const partOf = (w: Alongside): StatementPart =>
  is(w, SQL) ? { shape: undefined, build: () => w, values: {} } : w;

/**
 * The timeline the console shows: one row per thing that happened to a run.
 *
 * `seq` is an identity: two transactions appending to the same run can commit out of seq order,
 * and a reader resuming "after seq N" (polling, SSE Last-Event-ID) would skip the late one for
 * good. A writer holds the run's event lock in shared mode from before its seq is drawn until it
 * ends, so writers never wait on each other; a reader takes it exclusively first, which waits for
 * the writers in flight (`awaitEventWriters`, ADRs 070 and 177).
 */
export async function appendEvent(
  tx: Tx,
  e: RunEventInput,
  alongside: readonly Alongside[] = [],
): Promise<void> {
  const event = ph('event_');
  await runPrebuilt(
    tx,
    'run_event',
    eventStatement(e, alongside.map(partOf), {
      sql: () => sql`${event('type')}, ${event('message')}, ${event('data')}::jsonb`,
      values: { event_type: e.type, event_message: e.message, event_data: jsonOf(e) },
    }),
  );
}

/**
 * `appendEvent` for an event that depends on a write in the same statement: `decider` (a CTE that
 * returns at most one row with a `status`) runs with the `alongside` writes, and the event is
 * `when.event` if that status is `when.status`, else `otherwise` (same run, step and node). One
 * round trip where a write, then its event, were two (issue 12).
 */
export async function appendEventOnStatus(
  tx: Tx,
  decider: StatementPart,
  when: { status: string; event: RunEventInput },
  otherwise: RunEventInput,
  alongside: readonly Alongside[] = [],
  /** An event of the same run that follows this one (the next step's start, ADR 186). */
  followedBy?: RunEventInput,
): Promise<void> {
  const [a, b] = [ph('when_'), ph('else_')];
  const pick = (field: string) =>
    sql`case when decider.status = ${a('status')} then ${a(field)} else ${b(field)} end`;
  const { event } = when;
  await runPrebuilt(
    tx,
    'run_event',
    eventStatement(
      otherwise,
      alongside.map(partOf),
      {
        sql: () => sql`${pick('type')}, ${pick('message')}, ${pick('data')}::jsonb`,
        values: {
          when_status: when.status,
          when_type: event.type,
          when_message: event.message,
          when_data: jsonOf(event),
          else_type: otherwise.type,
          else_message: otherwise.message,
          else_data: jsonOf(otherwise),
        },
      },
      decider,
      followedBy,
    ),
  );
}

/** Placeholders named with `prefix`. */
const ph = (prefix: string) => (name: string) => sql.placeholder(prefix + name);

/**
 * One statement: the row comes out of the lock's CTE, so the identity is drawn after the lock is
 * held (every statement is a round trip on the Data API). `alongside`, data-modifying statements
 * the event goes with, ride in the same round trip as CTEs (each always runs). `values` gives the
 * type, message and data; they may read `decider`, a CTE joined to the lock's row.
 */
function eventStatement(
  e: RunEventInput,
  alongside: readonly StatementPart[],
  /** Built only when the statement's shape is first rendered. */
  values: { sql: () => SQL; values: Record<string, unknown> },
  decider?: StatementPart,
  /** A second event of the same run, drawn its seq after the first. */
  next?: RunEventInput,
): StatementPart {
  const parts = decider ? [...alongside, decider] : alongside;
  const id = ph('id_');
  const then = ph('then_');
  const label = `${decider ? 'decided_event' : 'event'}${next ? '+event' : ''}`;
  return {
    // The decider, when there is one, is the last part: the label keeps the forms apart.
    shape: shapeOf(label, parts),
    build: (tx) => {
      const also = sql.join(
        alongside.map((w, i) => sql`, ${sql.raw(`alongside_${i}`)} as (${w.build(tx)})`),
        sql``,
      );
      const decided = decider ? sql`, decider as (${decider.build(tx)})` : sql``;
      const from = decider ? sql`run_lock left join decider on true` : sql`run_lock`;
      // UNION ALL yields its rows in order, so the second event's seq is drawn after the first's.
      const second = next
        ? sql`
    union all select ${id('tenant')}::uuid, ${id('run')}::uuid, ${then('step')}::uuid, ${then('node')}, ${then('type')}, ${then('message')}, ${then('data')}::jsonb
    from run_lock`
        : sql``;
      return sql`with run_lock as (select pg_advisory_xact_lock_shared(hashtextextended(${id('run')}::text, ${sql.raw(EVENT_LOCK)})))${also}${decided}
    insert into run_events (tenant_id, run_id, step_id, node_id, type, message, data)
    select ${id('tenant')}::uuid, ${id('run')}::uuid, ${id('step')}::uuid, ${id('node')}, ${values.sql()}
    from ${from}${second}`;
    },
    values: {
      ...valuesOf(parts),
      ...values.values,
      id_tenant: e.tenantId,
      id_run: e.runId,
      id_step: e.stepId ?? null,
      id_node: e.nodeId ?? null,
      ...(next
        ? {
            then_step: next.stepId ?? null,
            then_node: next.nodeId ?? null,
            then_type: next.type,
            then_message: next.message,
            then_data: jsonOf(next),
          }
        : {}),
    },
  };
}

const jsonOf = (e: RunEventInput) => (e.data === undefined ? null : JSON.stringify(e.data));

/**
 * Waits until no transaction is writing this run's events: every seq drawn so far is then
 * committed or rolled back, and none is drawn until this transaction ends, so a read in a later
 * statement of it sees every event up to the last it returns (ADR 177). Returns the run's status
 * as this statement found it, before the wait (null when the run is not visible).
 */
export async function awaitEventWriters(tx: Tx, runId: string): Promise<string | null> {
  // A one-row subquery with a volatile function is run once, before the join reads the run.
  const [row] = await tx
    .select({ status: runs.status })
    .from(
      sql`(select pg_advisory_xact_lock(hashtextextended(${runId}::text, ${sql.raw(EVENT_LOCK)}))) as writers`,
    )
    .leftJoin(runs, eq(runs.id, runId));
  return row?.status ?? null;
}

/**
 * A page of the run's events after the cursor `after`, in seq order. Waits for the run's event
 * writers first, unless the caller has (`awaitEventWriters` earlier in the same transaction).
 */
export async function listEvents(
  tx: Tx,
  runId: string,
  after: number,
  limit: number,
  { writersAwaited = false }: { writersAwaited?: boolean } = {},
) {
  if (!writersAwaited) await awaitEventWriters(tx, runId);
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
