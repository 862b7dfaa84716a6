/**
 * GitHub never retries a failed delivery. For every GitHub App trigger this lists the App's recent
 * deliveries and asks GitHub to redeliver those that failed for a reason a retry can fix (no
 * connection, timeout, 5xx, 429) inside GitHub's 3-day redelivery window. A delivery we answered
 * with a 4xx (bad signature, replay) is left alone: redelivering it would fail the same way.
 * Redeliveries keep the delivery GUID, so the webhook's dedup still guarantees one run.
 */
import { eq, sql } from 'drizzle-orm';
import { rowsOf } from '../db/client';
import { triggers } from '../db/schema-automation';
import type { Platform } from '../platform/platform';
import { appJwt, call, octokit } from '../tools/github/client';
import { REDELIVERY_WINDOW_MS } from './dedup';
import { triggerCredentials } from './secrets';

/** Redelivery attempts per GUID before we stop asking (GitHub counts ours as deliveries too). */
export const MAX_REDELIVERIES = 3;
const MAX_PAGES = 20;

export interface ReconcileSummary {
  apps: number;
  scanned: number;
  redelivered: number;
  errors: { triggerId: string; error: string }[];
}

interface Attempt {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status_code: number;
}

const retryable = (status: number) => status === 0 || status === 429 || status >= 500;

export async function reconcileGithubDeliveries(p: Platform): Promise<ReconcileSummary> {
  const found = rowsOf<{ id: string; tenant_id: string }>(
    await p.db.withoutTenant((tx) =>
      tx.execute(sql`select id, tenant_id from automation_github_app_triggers()`),
    ),
  );
  const summary: ReconcileSummary = { apps: 0, scanned: 0, redelivered: 0, errors: [] };
  const seenApps = new Set<string>();
  for (const t of found) {
    try {
      const [row] = await p.db.withTenant({ tenantId: t.tenant_id }, (tx) =>
        tx.select().from(triggers).where(eq(triggers.id, t.id)),
      );
      const credentials = row && (await triggerCredentials(p, t.tenant_id, t.id));
      if (!row || credentials?.type !== 'app') continue;
      const baseUrl = row.apiBaseUrl ?? p.config.GITHUB_API_URL;
      // Several triggers may share one App (one webhook): scan it once per pass.
      const appKey = `${baseUrl}|${credentials.appId}`;
      if (seenApps.has(appKey)) continue;
      seenApps.add(appKey);
      summary.apps++;
      const gh = await octokit(baseUrl, appJwt(credentials, p.now()));
      const byGuid = await recentAttempts(p, gh, summary);
      for (const attempts of byGuid.values()) {
        if (attempts.some((a) => a.status_code >= 200 && a.status_code < 300)) continue;
        if (attempts.filter((a) => a.redelivery).length >= MAX_REDELIVERIES) continue;
        const latest = attempts.reduce((a, b) =>
          Date.parse(a.delivered_at) >= Date.parse(b.delivered_at) ? a : b,
        );
        if (!retryable(latest.status_code)) continue;
        await call(() => gh.rest.apps.redeliverWebhookDelivery({ delivery_id: latest.id }));
        summary.redelivered++;
      }
    } catch (error) {
      p.log.warn('webhook reconciliation failed for a trigger', { triggerId: t.id, error });
      summary.errors.push({ triggerId: t.id, error: (error as Error).name });
    }
  }
  if (summary.redelivered || summary.errors.length)
    p.log.info('webhook reconciliation', { ...summary });
  return summary;
}

/** Attempts inside the window, grouped by GUID; pages are newest first, so stop at the first older one. */
async function recentAttempts(
  p: Platform,
  gh: Awaited<ReturnType<typeof octokit>>,
  summary: ReconcileSummary,
): Promise<Map<string, Attempt[]>> {
  const since = p.now() - REDELIVERY_WINDOW_MS;
  const byGuid = new Map<string, Attempt[]>();
  let pages = 0;
  const iterator = gh.paginate
    .iterator(gh.rest.apps.listWebhookDeliveries, { per_page: 100 })
    [Symbol.asyncIterator]();
  for (;;) {
    const page = await call(() => iterator.next());
    if (page.done) break;
    let older = false;
    for (const a of page.value.data as Attempt[]) {
      summary.scanned++;
      if (Date.parse(a.delivered_at) < since) {
        older = true;
        continue;
      }
      byGuid.set(a.guid, [...(byGuid.get(a.guid) ?? []), a]);
    }
    if (older || ++pages >= MAX_PAGES) break;
  }
  return byGuid;
}
