/**
 * Firing a schedule's slot (ADR 121). The same code runs for the EventBridge Scheduler target in
 * AWS and the local runtime's timer. A slot starts at most one run: the run start is claimed with
 * the idempotency key `schedule:<id>:<slot>` (two timers or a retried invocation replay the same
 * run), and the row only moves on from the slot it was at. The next slot is computed after now,
 * so slots missed while nothing ran collapse into this one firing.
 */
import { and, eq, sql } from 'drizzle-orm';
import type { AuthContext } from '../auth/context';
import { rowsOf } from '../db/client';
import { schedules } from '../db/schema';
import { BudgetExceeded, NotFound, ValidationError } from '../errors';
import type { Platform } from '../platform/platform';
import { startRun } from '../runs/start-run';
import { nextFireAfter } from './schedules';

export interface Firing {
  tenantId: string;
  scheduleId: string;
  /** The slot this firing is for (the row's `next_fire_at` when the timer was armed). */
  slot: Date;
}

export type FiringOutcome =
  | { outcome: 'started'; runId: string }
  | { outcome: 'not-started'; reason: string }
  | { outcome: 'stale'; reason: string };

export function scheduleAuth(tenantId: string, scheduleId: string): AuthContext {
  return { tenantId, userId: null, role: 'dev', via: 'token', actor: `schedule:${scheduleId}` };
}

export async function fireSchedule(p: Platform, firing: Firing): Promise<FiringOutcome> {
  const { tenantId, scheduleId, slot } = firing;
  const auth = scheduleAuth(tenantId, scheduleId);
  const [row] = await p.db.withTenant(auth, (tx) =>
    tx.select().from(schedules).where(eq(schedules.id, scheduleId)),
  );
  // A timer armed before a change (or a second timer after the first moved on) fires nothing.
  if (!row) return { outcome: 'stale', reason: 'the schedule no longer exists' };
  if (!row.enabled) return { outcome: 'stale', reason: 'the schedule is disabled' };
  if (row.nextFireAt?.getTime() !== slot.getTime())
    return { outcome: 'stale', reason: `the schedule is due at ${row.nextFireAt?.toISOString()}` };

  let result: FiringOutcome;
  try {
    const started = await startRun(p, auth, row.workflowId, row.input as Record<string, unknown>, {
      version: row.workflowVersion ?? undefined,
      idempotencyKey: `schedule:${scheduleId}:${slot.toISOString()}`,
      schedule: { id: scheduleId, slot },
    });
    result = { outcome: 'started', runId: started.runId };
  } catch (error) {
    // The workflow changed under the schedule (input, deleted, budget): recorded, not retried.
    if (
      !(error instanceof ValidationError) &&
      !(error instanceof NotFound) &&
      !(error instanceof BudgetExceeded)
    )
      throw error;
    result = { outcome: 'not-started', reason: error.message };
  }

  const next = nextFireAfter(row, new Date(Math.max(slot.getTime(), p.now())));
  const moved = await p.db.withTenant(auth, (tx) =>
    tx
      .update(schedules)
      .set({
        nextFireAt: next,
        lastFiredAt: slot,
        ...(result.outcome === 'started'
          ? { lastRunId: result.runId, lastError: null }
          : { lastError: result.outcome === 'not-started' ? result.reason : null }),
      })
      .where(and(eq(schedules.id, scheduleId), eq(schedules.nextFireAt, slot)))
      .returning({ id: schedules.id }),
  );
  if (moved.length) await p.scheduleTimers.arm({ tenantId, scheduleId }, next);
  return result;
}

/**
 * Fires every schedule due by now, across tenants (the local timer, and in AWS the periodic
 * safety net behind EventBridge Scheduler). Returns what each firing did.
 */
export async function fireDueSchedules(
  p: Platform,
  limit = 100,
): Promise<(FiringOutcome & { scheduleId: string })[]> {
  const now = new Date(p.now());
  // Epoch milliseconds as text: the same on every driver (pg, PGlite, the Data API).
  const due = rowsOf<{ id: string; tenant_id: string; at_ms: string }>(
    await p.db.withoutTenant((tx) =>
      tx.execute(
        sql`select id, tenant_id, (extract(epoch from next_fire_at) * 1000)::bigint::text as at_ms
            from schedules_due(${now.toISOString()}::timestamptz, ${limit}::int)`,
      ),
    ),
  );
  const out: (FiringOutcome & { scheduleId: string })[] = [];
  for (const s of due) {
    try {
      const fired = await fireSchedule(p, {
        tenantId: s.tenant_id,
        scheduleId: s.id,
        slot: new Date(Number(s.at_ms)),
      });
      out.push({ ...fired, scheduleId: s.id });
    } catch (error) {
      // One schedule's failure (e.g. the engine refused the run) does not hold up the others.
      p.log.error('schedule firing failed', { scheduleId: s.id, error });
      out.push({ outcome: 'not-started', reason: 'the firing failed', scheduleId: s.id });
    }
  }
  return out;
}
