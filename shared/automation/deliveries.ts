/** Every webhook delivery a trigger receives, with what became of it; the deliveries list reads them. */
import { and, desc, eq, lt, or } from 'drizzle-orm';
import type { AuthContext } from '../auth/context';
import { triggers, webhookDeliveries } from '../db/schema-automation';
import { NotFound } from '../errors';
import type { Platform } from '../platform/platform';
import { decodeCursor, encodeCursor } from './triggers';

export type Outcome = 'started' | 'ignored' | 'duplicate' | 'rejected';

export interface DeliveryRecord {
  tenantId: string;
  triggerId: string;
  deliveryId: string | null;
  event: string | null;
  outcome: Outcome;
  reason?: string | null;
  runId?: string | null;
}

export async function recordDelivery(p: Platform, d: DeliveryRecord): Promise<void> {
  await p.db.withTenant({ tenantId: d.tenantId }, async (tx) => {
    await tx.insert(webhookDeliveries).values({
      tenantId: d.tenantId,
      triggerId: d.triggerId,
      deliveryId: d.deliveryId?.slice(0, 200) ?? null,
      event: d.event?.slice(0, 200) ?? null,
      outcome: d.outcome,
      reason: d.reason?.slice(0, 1000) ?? null,
      runId: d.runId ?? null,
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
  const after = decodeCursor(q.cursor);
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
          after
            ? or(
                lt(webhookDeliveries.receivedAt, after.at),
                and(eq(webhookDeliveries.receivedAt, after.at), lt(webhookDeliveries.id, after.id)),
              )
            : undefined,
        ),
      )
      .orderBy(desc(webhookDeliveries.receivedAt), desc(webhookDeliveries.id))
      .limit(q.limit + 1);
  });
  const last = rows.length > q.limit ? rows[q.limit - 1] : undefined;
  return {
    items: rows
      .slice(0, q.limit)
      .map((r) => ({
        id: r.id,
        deliveryId: r.deliveryId,
        event: r.event,
        outcome: r.outcome as Outcome,
        reason: r.reason,
        runId: r.runId,
        receivedAt: r.receivedAt.toISOString(),
      })),
    ...(last ? { nextCursor: encodeCursor(last.receivedAt, last.id) } : {}),
  };
}
