import { and, eq, inArray, isNull, or } from 'drizzle-orm';
import { recordAudit } from '../../shared/audit/audit-log';
import { actorOf, type AuthContext } from '../../shared/auth/context';
import { workflows } from '../../shared/db/schema';
import { NotFound, ValidationError } from '../../shared/errors';
import { httpHandler } from '../../shared/http/api-handler';
import { listBudgets, monthStart, putBudgets } from '../../shared/llm/budgets';
import { listPrices, putTenantPrice } from '../../shared/llm/prices';
import { usageReport } from '../../shared/llm/usage';
import type { Platform } from '../../shared/platform/platform';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

async function budgetsView(p: Platform, auth: AuthContext) {
  const at = new Date(p.now());
  return p.db.withTenant(auth, async (tx) => {
    const all = await listBudgets(tx, auth.tenantId, at);
    const tenant = all.find((b) => b.workflowId === null);
    const ids = all.filter((b) => b.workflowId).map((b) => b.workflowId!);
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
      workflows: all
        .filter((b) => b.workflowId)
        .map((b) => {
          const { workflowId, monthlyLimitUsd, spentUsd, reservedUsd, remainingUsd } = {
            ...line(b),
            workflowId: b.workflowId!,
          };
          const slug = slugs.find((s) => s.id === workflowId)?.slug;
          return {
            workflowId,
            ...(slug ? { workflowSlug: slug } : {}),
            monthlyLimitUsd,
            spentUsd,
            reservedUsd,
            remainingUsd,
          };
        }),
    };
  });
}

export const handler = httpHandler('usage', {
  'GET /v1/usage': async ({ platform, auth, query }) => {
    const now = new Date(platform.now());
    const from = query.from ? new Date(query.from) : monthStart(now);
    // A bare date as `to` means "through that day".
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
    return platform.db.withTenant(auth, (tx) =>
      usageReport(tx, {
        tenantId: auth.tenantId,
        from,
        to,
        groupBy: query.groupBy,
        workflowId: query.workflowId,
      }),
    );
  },
  'GET /v1/budgets': async ({ platform, auth }) => budgetsView(platform, auth),
  'PUT /v1/budgets': async ({ platform, auth, body }) => {
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
  },
  'GET /v1/prices': async ({ platform, auth }) => ({
    items: await platform.db.withTenant(auth, (tx) =>
      listPrices(tx, auth.tenantId, new Date(platform.now())),
    ),
  }),
  'PUT /v1/prices/{provider}/{model}': async ({ platform, auth, params, body }) =>
    platform.db.withTenant(auth, async (tx) => {
      const price = await putTenantPrice(
        tx,
        auth.tenantId,
        actorOf(auth),
        params.provider,
        params.model,
        body,
        new Date(platform.now()),
      );
      await recordAudit(tx, {
        tenantId: auth.tenantId,
        actor: actorOf(auth),
        action: 'price.set',
        target: `price:${params.provider}:${params.model}`,
        data: { ...price },
      });
      return price;
    }),
});
