/**
 * `GET /v1/usage`: cost and tokens from usage_records (one row per attempt), grouped by any of
 * workflow, run, step, provider, model and day (UTC). Failed attempts are charged to the step that
 * made them: they are rows of that step like any other. Skipped (open breaker) and blocked (budget)
 * attempts are counted apart and cost nothing.
 */
import { and, eq, isNull, sql, type SQL } from 'drizzle-orm';
import { workflows } from '../db/schema';
import type { Tx } from '../db/client';
import { rowsOf } from '../db/client';
import type { USAGE_GROUPS } from '../api/contracts/usage';
import { UsageRow } from '../api/contracts/usage';
import { monthStart } from './budgets';
import type { Platform } from '../platform/platform';
import { NotFound, ValidationError } from '../errors';
import type { AuthContext } from '../auth/context';

type Group = (typeof USAGE_GROUPS)[number];

const COLUMNS: Record<Group, { select: SQL; group: SQL; keys: string[] }> = {
  workflow: {
    select: sql`u.workflow_id::text as "workflowId", max(w.slug) as "workflowSlug"`,
    group: sql`u.workflow_id`,
    keys: ['workflowId', 'workflowSlug'],
  },
  run: { select: sql`u.run_id::text as "runId"`, group: sql`u.run_id`, keys: ['runId'] },
  step: {
    select: sql`u.step_id::text as "stepId", max(s.node_id) as "nodeId"`,
    group: sql`u.step_id`,
    keys: ['stepId', 'nodeId'],
  },
  provider: { select: sql`u.provider as "provider"`, group: sql`u.provider`, keys: ['provider'] },
  model: { select: sql`u.model as "model"`, group: sql`u.model`, keys: ['model'] },
  day: {
    select: sql`to_char(date_trunc('day', u.created_at at time zone 'UTC'), 'YYYY-MM-DD') as "day"`,
    group: sql`date_trunc('day', u.created_at at time zone 'UTC')`,
    keys: ['day'],
  },
};

const MEASURES = sql`
  coalesce(sum(u.cost_usd), 0)::float8 as "costUsd",
  coalesce(sum(u.input_tokens), 0)::float8 as "inputTokens",
  coalesce(sum(u.output_tokens), 0)::float8 as "outputTokens",
  coalesce(sum(u.cached_input_tokens), 0)::float8 as "cachedInputTokens",
  count(*) filter (where u.outcome in ('success', 'error'))::float8 as "attempts",
  count(*) filter (where u.outcome = 'error')::float8 as "failedAttempts",
  count(*) filter (where u.outcome in ('skipped', 'blocked'))::float8 as "skippedAttempts",
  count(*) filter (where not u.priced and u.outcome in ('success', 'error'))::float8 as "unpricedAttempts"`;

export interface UsageFilter {
  tenantId: string;
  from: Date;
  to: Date;
  groupBy: Group[];
  workflowId?: string;
}

export async function usageReport(tx: Tx, f: UsageFilter) {
  const where = sql`u.tenant_id = ${f.tenantId}::uuid and u.created_at >= ${f.from.toISOString()}::timestamptz and u.created_at < ${f.to.toISOString()}::timestamptz${f.workflowId ? sql` and u.workflow_id = ${f.workflowId}::uuid` : sql``}`;
  const from = sql`usage_records u left join workflows w on w.id = u.workflow_id left join run_steps s on s.id = u.step_id`;
  const groups = f.groupBy.map((g) => COLUMNS[g]);
  const items = groups.length
    ? rowsOf<Record<string, unknown>>(
        await tx.execute(
          sql`select ${sql.join(
            groups.map((g) => g.select),
            sql`, `,
          )}, ${MEASURES} from ${from} where ${where} group by ${sql.join(
            groups.map((g) => g.group),
            sql`, `,
          )} order by 1 nulls last limit 5000`,
        ),
      )
    : [];
  const [total] = rowsOf<Record<string, unknown>>(
    await tx.execute(sql`select ${MEASURES} from ${from} where ${where}`),
  );
  const clean = (r: Record<string, unknown>) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of Object.entries(r)) {
      if (v === null || v === undefined) continue;
      out[k] = [
        'costUsd',
        'inputTokens',
        'outputTokens',
        'cachedInputTokens',
        'attempts',
        'failedAttempts',
        'skippedAttempts',
        'unpricedAttempts',
      ].includes(k)
        ? Math.round(Number(v) * 1e6) / 1e6
        : String(v);
    }
    return out;
  };
  return {
    from: f.from.toISOString(),
    to: f.to.toISOString(),
    groupBy: f.groupBy,
    items: items.map((r) => UsageRow.parse(clean(r))),
    total: UsageRow.parse(clean(total ?? {})),
  };
}

/** Usage between `from` (default: the month's start) and `to` (a bare date means through that day). */
export async function usageForPeriod(
  platform: Platform,
  auth: AuthContext,
  query: { from?: string; to?: string; groupBy: Group[]; workflowId?: string },
) {
  const now = new Date(platform.now());
  const from = query.from ? new Date(query.from) : monthStart(now);
  const to = query.to
    ? new Date(
        /^\d{4}-\d{2}-\d{2}$/.test(query.to)
          ? Date.parse(query.to) + 86_400_000
          : Date.parse(query.to),
      )
    : new Date(now.getTime() + 1);
  if (!(from < to))
    throw new ValidationError('from must be before to', [
      { path: 'query.from', message: 'must be before to' },
    ]);
  return platform.db.withTenant(auth, async (tx) =>
    usageReport(tx, {
      tenantId: auth.tenantId,
      from,
      to,
      groupBy: query.groupBy,
      workflowId: query.workflowId && (await workflowIdOf(tx, auth.tenantId, query.workflowId)),
    }),
  );
}

/** `?workflowId=` takes an id or a slug; an unknown slug is a 404, not an empty report. */
async function workflowIdOf(tx: Tx, tenantId: string, idOrSlug: string): Promise<string> {
  if (/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i.test(idOrSlug))
    return idOrSlug;
  const [row] = await tx
    .select({ id: workflows.id })
    .from(workflows)
    .where(
      and(
        eq(workflows.tenantId, tenantId),
        eq(workflows.slug, idOrSlug),
        isNull(workflows.deletedAt),
      ),
    );
  if (!row) throw new NotFound(`workflow ${idOrSlug} not found`);
  return row.id;
}
