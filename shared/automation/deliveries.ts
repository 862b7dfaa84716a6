/** Every webhook delivery a trigger receives, with what became of it; the deliveries list reads them. */
import { storableText } from '../http/input-guard';
import { consume } from '../ratelimit/fixed-window';
import { and, eq } from 'drizzle-orm';
import type { AuthContext } from '../auth/context';
import { triggers, webhookDeliveries } from '../db/schema-automation';
import { NotFound, RateLimited } from '../errors';
import type { Platform } from '../platform/platform';
import { afterCursor, keysetOrder, pageOf } from '../db/keyset';

export type Outcome = 'started' | 'ignored' | 'duplicate' | 'rejected' | 'answered' | 'refused';

export interface DeliveryRecord {
  tenantId: string;
  triggerId: string;
  deliveryId: string | null;
  event: string | null;
  outcome: Outcome;
  reason?: string | null;
  runId?: string | null;
  /** A started delivery's subject (`owner/repo#12`, `TEST-2`): comments find its runs by it. */
  subject?: string | null;
}

/** Rejected deliveries recorded per trigger and minute; beyond it a flood is refused unrecorded. */
export const REJECTED_RECORDS_PER_MINUTE = 30;

/** Sender-controlled text, bounded by code point and made storable. */
const bounded = (text: string | null | undefined, max: number) =>
  text == null ? null : storableText([...text.slice(0, max * 2)].slice(0, max).join(''));

export async function recordDelivery(p: Platform, d: DeliveryRecord): Promise<void> {
  // A rejected delivery is unauthenticated input: at most a bounded number of small records.
  if (d.outcome === 'rejected') {
    const within = await consume(
      p.dynamo,
      p.config.TABLE_NAME,
      [{ key: `rejected-deliveries:${d.triggerId}`, perMinute: REJECTED_RECORDS_PER_MINUTE }],
      p.now(),
    )
      .then(() => true)
      .catch((e) => {
        if (e instanceof RateLimited) return false;
        throw e;
      });
    if (!within) return;
  }
  await p.db.withTenant({ tenantId: d.tenantId }, async (tx) => {
    await tx.insert(webhookDeliveries).values({
      tenantId: d.tenantId,
      triggerId: d.triggerId,
      deliveryId: bounded(d.deliveryId, 200),
      event: bounded(d.event, 200),
      outcome: d.outcome,
      reason: bounded(d.reason, 1000),
      runId: d.runId ?? null,
      subject: bounded(d.subject, 300),
      receivedAt: new Date(p.now()),
    });
  });
}

export async function listDeliveries(
  p: Platform,
  auth: AuthContext,
  triggerId: string,
  q: { limit: number; cursor?: string; outcome?: Outcome },
) {
  const key = { at: webhookDeliveries.receivedAt, id: webhookDeliveries.id };
  const after = afterCursor(key, q.cursor);
  const rows = await p.db.withTenant(auth, async (tx) => {
    const [t] = await tx
      .select({ id: triggers.id })
      .from(triggers)
      .where(and(eq(triggers.tenantId, auth.tenantId), eq(triggers.id, triggerId)));
    if (!t) throw new NotFound(`trigger ${triggerId} not found`);
    return tx
      .select()
      .from(webhookDeliveries)
      .where(
        and(
          eq(webhookDeliveries.triggerId, triggerId),
          q.outcome ? eq(webhookDeliveries.outcome, q.outcome) : undefined,
          after,
        ),
      )
      .orderBy(...keysetOrder(key))
      .limit(q.limit + 1);
  });
  const { rows: items, nextCursor } = pageOf(rows, q.limit, (r) => ({
    at: r.receivedAt,
    id: r.id,
  }));
  return {
    items: items.map((r) => ({
      id: r.id,
      deliveryId: r.deliveryId,
      event: r.event,
      outcome: r.outcome as Outcome,
      reason: r.reason,
      runId: r.runId,
      receivedAt: r.receivedAt.toISOString(),
    })),
    ...(nextCursor ? { nextCursor } : {}),
  };
}
