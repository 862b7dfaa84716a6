/**
 * The budgets view (tenant and per-workflow limits with what is spent and reserved this month)
 * and setting budgets by workflow id or slug.
 */
import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import type * as z from 'zod';
import type { BudgetsBody } from '../api/contracts/usage';
import { recordAudit } from '../audit/audit-log';
import { actorOf, type AuthContext } from '../auth/context';
import { workflows } from '../db/schema';
import { NotFound } from '../errors';
import type { Platform } from '../platform/platform';
import { listBudgets, monthStart, putBudgets } from './budgets';
import { usageReport } from './usage';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export async function budgetsView(p: Platform, auth: AuthContext) {
  const at = new Date(p.now());
  return p.db.withTenant(auth, async (tx) => {
    const all = await listBudgets(tx, auth.tenantId, at);
    const tenant = all.find((b) => b.workflowId === null);
    const ids = all.flatMap((b) => (b.workflowId ? [b.workflowId] : []));
    const slugs = ids.length
      ? await tx
          .select({ id: workflows.id, slug: workflows.slug })
          .from(workflows)
          .where(inArray(workflows.id, ids))
      : [];
    const line = (b: { monthlyLimitUsd: number; spentUsd: number; reservedUsd: number }) => ({
      ...b,
      remainingUsd: Math.max(
        0,
        Math.round((b.monthlyLimitUsd - b.spentUsd - b.reservedUsd) * 1e6) / 1e6,
      ),
    });
    const month = monthStart(at).toISOString().slice(0, 7);
    const tenantLine = tenant
      ? line(tenant)
      : {
          monthlyLimitUsd: null,
          ...(await usageReport(tx, {
            tenantId: auth.tenantId,
            from: monthStart(at),
            to: new Date(at.getTime() + 1),
            groupBy: [],
          }).then((r) => ({ spentUsd: Number(r.total.costUsd ?? 0) }))),
          reservedUsd: 0,
          remainingUsd: null,
        };
    return {
      month,
      tenant: {
        monthlyLimitUsd: tenantLine.monthlyLimitUsd,
        spentUsd: tenantLine.spentUsd,
        reservedUsd: tenantLine.reservedUsd,
        remainingUsd: tenantLine.remainingUsd,
      },
      workflows: all.flatMap((b) => {
        if (!b.workflowId) return [];
        const { monthlyLimitUsd, spentUsd, reservedUsd, remainingUsd } = line(b);
        const slug = slugs.find((s) => s.id === b.workflowId)?.slug;
        return [
          {
            workflowId: b.workflowId,
            ...(slug ? { workflowSlug: slug } : {}),
            monthlyLimitUsd,
            spentUsd,
            reservedUsd,
            remainingUsd,
          },
        ];
      }),
    };
  });
}

/** Sets the tenant budget and per-workflow budgets (workflows named by id or slug), audited. */
export async function setBudgets(
  platform: Platform,
  auth: AuthContext,
  body: z.output<typeof BudgetsBody>,
) {
  await platform.db.withTenant(auth, async (tx) => {
    const resolved: Array<{ workflowId: string; monthlyLimitUsd: number | null }> = [];
    for (const [i, w] of (body.workflows ?? []).entries()) {
      const [row] = await tx
        .select({ id: workflows.id })
        .from(workflows)
        .where(
          and(
            eq(workflows.tenantId, auth.tenantId),
            isNull(workflows.deletedAt),
            UUID.test(w.workflow)
              ? or(eq(workflows.id, w.workflow), eq(workflows.slug, w.workflow))
              : eq(workflows.slug, w.workflow),
          ),
        );
      if (!row)
        throw new NotFound(`workflow ${w.workflow} not found`, {
          details: [{ path: `body.workflows[${i}].workflow`, message: 'no such workflow' }],
        });
      resolved.push({ workflowId: row.id, monthlyLimitUsd: w.monthlyLimitUsd });
    }
    await putBudgets(
      tx,
      auth.tenantId,
      actorOf(auth),
      { monthlyLimitUsd: body.monthlyLimitUsd, workflows: resolved },
      new Date(platform.now()),
    );
    await recordAudit(tx, {
      tenantId: auth.tenantId,
      actor: actorOf(auth),
      action: 'budget.set',
      target: 'budgets',
      data: { monthlyLimitUsd: body.monthlyLimitUsd, workflows: resolved },
    });
  });
  return budgetsView(platform, auth);
}
