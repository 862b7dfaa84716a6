/**
 * Schedules (ADR 121): a workflow run on a 5-field cron in an IANA time zone. The row keeps its
 * next firing; every change re-arms the schedule's timer in the same transaction, so a timer
 * that cannot be set leaves no half-written schedule.
 */
import { and, eq, isNull } from 'drizzle-orm';
import type { ScheduleCreateBody, SchedulePatchBody } from '../api/contracts/schedules';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { workflowStoreInstance } from '../catalog/workflows';
import type { Tx } from '../db/client';
import { afterCursor, keysetOrder, pageOf } from '../db/keyset';
import { schedules, workflows } from '../db/schema';
import { NotFound, ValidationError } from '../errors';
import type { Platform } from '../platform/platform';
import { validateRunInput } from '../workflow/validate';
import { nextFirings, parseCron } from './cron';

type Row = typeof schedules.$inferSelect;
const UPCOMING = 5;
const iso = (d: Date | null) => (d ? d.toISOString() : null);

/** The firing after `after`, or null when the schedule is off. */
export function nextFireAfter(
  row: Pick<Row, 'cron' | 'timezone' | 'enabled'>,
  after: Date,
): Date | null {
  if (!row.enabled) return null;
  return nextFirings(parseCron(row.cron), row.timezone, after)[0] ?? null;
}

function view(row: Row, workflowSlug: string) {
  return {
    id: row.id,
    workflowId: row.workflowId,
    workflowSlug,
    version: row.workflowVersion,
    cron: row.cron,
    timezone: row.timezone,
    input: row.input as Record<string, unknown>,
    enabled: row.enabled,
    nextFireAt: iso(row.nextFireAt),
    upcoming: row.nextFireAt
      ? nextFirings(parseCron(row.cron), row.timezone, row.nextFireAt, UPCOMING).map((d) =>
          d.toISOString(),
        )
      : [],
    lastFiredAt: iso(row.lastFiredAt),
    lastRunId: row.lastRunId,
    lastError: row.lastError,
    createdAt: row.createdAt.toISOString(),
    updatedAt: row.updatedAt.toISOString(),
  };
}
export type ScheduleView = ReturnType<typeof view>;

/** The workflow version a schedule runs must exist and accept the schedule's input. */
async function checkTarget(
  tx: Tx,
  tenantId: string,
  workflowIdOrSlug: string,
  version: number | null,
  input: Record<string, unknown>,
) {
  const wf = await workflowStoreInstance.get(tx, tenantId, workflowIdOrSlug).catch((e) => {
    throw e instanceof NotFound
      ? new ValidationError(`no workflow "${workflowIdOrSlug}"`, [
          { path: 'workflowId', message: 'no such workflow in this tenant' },
        ])
      : e;
  });
  const runs = await workflowStoreInstance
    .getPublished(tx, tenantId, wf.id, version ?? undefined)
    .catch((e) => {
      throw e instanceof NotFound
        ? new ValidationError(`workflow "${wf.slug}" has no version ${version}`, [
            { path: 'version', message: `no saved version ${version}` },
          ])
        : e;
    });
  const issues = validateRunInput(runs.spec, input);
  if (issues.length)
    throw new ValidationError(
      `the input does not fit workflow "${wf.slug}" v${runs.version}: ${issues[0].path}: ${issues[0].message}`,
      issues,
    );
  return wf;
}

async function loadRow(tx: Tx, tenantId: string, id: string) {
  const [found] = await tx
    .select({ s: schedules, slug: workflows.slug })
    .from(schedules)
    .innerJoin(workflows, eq(workflows.id, schedules.workflowId))
    .where(and(eq(schedules.tenantId, tenantId), eq(schedules.id, id)));
  if (!found) throw new NotFound('schedule not found');
  return found;
}

export async function listSchedules(
  p: Platform,
  auth: AuthContext,
  q: { limit: number; cursor?: string; workflowId?: string },
) {
  return p.db.withTenant(auth, async (tx) => {
    const key = { at: schedules.createdAt, id: schedules.id };
    const after = afterCursor(key, q.cursor);
    const wf = q.workflowId
      ? await workflowStoreInstance.get(tx, auth.tenantId, q.workflowId)
      : undefined;
    const rows = await tx
      .select({ s: schedules, slug: workflows.slug })
      .from(schedules)
      .innerJoin(workflows, eq(workflows.id, schedules.workflowId))
      .where(
        and(
          eq(schedules.tenantId, auth.tenantId),
          isNull(workflows.deletedAt),
          wf ? eq(schedules.workflowId, wf.id) : undefined,
          after,
        ),
      )
      .orderBy(...keysetOrder(key))
      .limit(q.limit + 1);
    const page = pageOf(rows, q.limit, (r) => ({ at: r.s.createdAt, id: r.s.id }));
    const items = page.rows.map((r) => view(r.s, r.slug));
    return { items, ...(page.nextCursor ? { nextCursor: page.nextCursor } : {}) };
  });
}

export async function getSchedule(p: Platform, auth: AuthContext, id: string) {
  return p.db.withTenant(auth, async (tx) => {
    const found = await loadRow(tx, auth.tenantId, id);
    return view(found.s, found.slug);
  });
}

export async function createSchedule(p: Platform, auth: AuthContext, body: ScheduleCreateBody) {
  return p.db.withTenant(auth, async (tx) => {
    const version = body.version ?? null;
    const wf = await checkTarget(tx, auth.tenantId, body.workflowId, version, body.input);
    const next = nextFireAfter(body, new Date(p.now()));
    const [row] = await tx
      .insert(schedules)
      .values({
        tenantId: auth.tenantId,
        workflowId: wf.id,
        workflowVersion: version,
        cron: body.cron,
        timezone: body.timezone,
        input: body.input,
        enabled: body.enabled,
        nextFireAt: next,
        createdBy: actorOf(auth),
      })
      .returning();
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'schedule.create',
      target: `schedule:${row.id}`,
      data: { workflow: wf.slug, cron: body.cron, timezone: body.timezone, enabled: body.enabled },
    });
    await p.scheduleTimers.arm({ tenantId: auth.tenantId, scheduleId: row.id }, next);
    return view(row, wf.slug);
  });
}

export async function updateSchedule(
  p: Platform,
  auth: AuthContext,
  id: string,
  patch: SchedulePatchBody,
) {
  return p.db.withTenant(auth, async (tx) => {
    const { s: current } = await loadRow(tx, auth.tenantId, id);
    const merged = {
      workflowId: patch.workflowId ?? current.workflowId,
      version: patch.version === undefined ? current.workflowVersion : patch.version,
      cron: patch.cron ?? current.cron,
      timezone: patch.timezone ?? current.timezone,
      input: patch.input ?? (current.input as Record<string, unknown>),
      enabled: patch.enabled ?? current.enabled,
    };
    const wf = await checkTarget(
      tx,
      auth.tenantId,
      merged.workflowId,
      merged.version,
      merged.input,
    );
    // A change takes effect from now: the next firing is recomputed, missed ones are not replayed.
    const next = nextFireAfter(merged, new Date(p.now()));
    const [row] = await tx
      .update(schedules)
      .set({
        workflowId: wf.id,
        workflowVersion: merged.version,
        cron: merged.cron,
        timezone: merged.timezone,
        input: merged.input,
        enabled: merged.enabled,
        nextFireAt: next,
        updatedAt: new Date(p.now()),
      })
      .where(eq(schedules.id, current.id))
      .returning();
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'schedule.update',
      target: `schedule:${row.id}`,
      data: { fields: Object.keys(patch), enabled: row.enabled },
    });
    await p.scheduleTimers.arm({ tenantId: auth.tenantId, scheduleId: row.id }, next);
    return view(row, wf.slug);
  });
}

export async function deleteSchedule(p: Platform, auth: AuthContext, id: string): Promise<void> {
  await p.db.withTenant(auth, async (tx) => {
    const { s: current, slug } = await loadRow(tx, auth.tenantId, id);
    await tx.delete(schedules).where(eq(schedules.id, current.id));
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'schedule.delete',
      target: `schedule:${current.id}`,
      data: { workflow: slug, cron: current.cron },
    });
    await p.scheduleTimers.arm({ tenantId: auth.tenantId, scheduleId: current.id }, null);
  });
}
