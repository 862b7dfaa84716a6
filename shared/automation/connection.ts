/**
 * What a GitHub or Jira tool step needs beyond its arguments: the trigger whose credentials it
 * uses (the one that started the run, following re-runs back, or one named in `with.trigger`),
 * the API base URL, and the run facts a posted comment shows (workflow, cost, console link).
 */
import { and, eq } from 'drizzle-orm';
import type { TriggerCredentials } from '../api/contracts/triggers';
import { runs, workflows } from '../db/schema';
import { triggers, webhookDeliveries } from '../db/schema-automation';
import { InvalidRequest, ProviderAuthError } from '../errors';
import type { Platform } from '../platform/platform';
import type { ToolContext, ToolRunInfo } from '../tools/registry';
import { triggerCredentials } from './secrets';

export interface Connection {
  triggerId: string;
  credentials: TriggerCredentials;
  apiBaseUrl: string | null;
}

export interface RunFacts {
  workflowSlug: string;
  costUsd: number;
  /** Console link to the run, when PUBLIC_URL is configured. */
  url: string | null;
}

export function toolEnv(ctx: ToolContext): { p: Platform; run: ToolRunInfo } {
  if (!ctx.platform || !ctx.run)
    throw new InvalidRequest('this tool runs only inside a workflow run');
  return { p: ctx.platform, run: ctx.run };
}

export async function connectionFor(
  p: Platform,
  run: ToolRunInfo,
  source: 'github' | 'jira',
  named?: string,
): Promise<Connection> {
  const row = await p.db.withTenant({ tenantId: run.tenantId }, async (tx) => {
    if (named) return (await tx.select().from(triggers).where(eq(triggers.id, named)))[0];
    let runId: string | null = run.runId;
    // A re-run has no delivery of its own: its trigger is the one of the run it re-runs.
    for (let hops = 0; runId && hops < 20; hops++) {
      const [d] = await tx
        .select({ t: triggers })
        .from(webhookDeliveries)
        .innerJoin(triggers, eq(triggers.id, webhookDeliveries.triggerId))
        .where(and(eq(webhookDeliveries.runId, runId), eq(webhookDeliveries.outcome, 'started')))
        .limit(1);
      if (d) return d.t;
      const [r] = await tx.select({ rerunOf: runs.rerunOf }).from(runs).where(eq(runs.id, runId));
      runId = r?.rerunOf ?? null;
    }
    return undefined;
  });
  if (!row)
    throw new InvalidRequest(
      named
        ? `trigger ${named} not found`
        : `this run was not started by a trigger: name one in with.trigger for its ${source} credentials`,
    );
  if (row.source !== source)
    throw new InvalidRequest(`trigger ${row.id} is a ${row.source} trigger, not ${source}`);
  const credentials = await triggerCredentials(p, run.tenantId, row.id);
  if (!credentials)
    throw new ProviderAuthError(
      `trigger ${row.id} has no ${source} credentials: set them with PATCH /v1/triggers/${row.id}`,
    );
  return { triggerId: row.id, credentials, apiBaseUrl: row.apiBaseUrl };
}

export async function runFacts(p: Platform, run: ToolRunInfo): Promise<RunFacts> {
  const [row] = await p.db.withTenant({ tenantId: run.tenantId }, (tx) =>
    tx
      .select({ slug: workflows.slug, costUsd: runs.costUsd })
      .from(runs)
      .innerJoin(workflows, eq(workflows.id, runs.workflowId))
      .where(eq(runs.id, run.runId)),
  );
  const base = p.config.PUBLIC_URL?.replace(/\/$/, '');
  return {
    workflowSlug: row?.slug ?? 'workflow',
    costUsd: Number(row?.costUsd ?? 0),
    url: base ? `${base}/#/runs/${run.runId}` : null,
  };
}

/** The hidden marker a run comment carries, so a re-run finds and updates it instead of adding one. */
export function commentMarker(workflowSlug: string, nodeId: string): string {
  return `hishamos:run-comment:${workflowSlug}:${nodeId}`;
}

export function formatCost(usd: number): string {
  return `$${usd < 0.01 && usd > 0 ? usd.toFixed(4) : usd.toFixed(2)}`;
}
