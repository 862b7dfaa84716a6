/**
 * Deduplication in DynamoDB (first writer wins, conditional put): one claim per delivery id, and
 * one per pull request head SHA so a redelivery or a `synchronize` for the same commit does not
 * start a second review. The delivery claim stores the body digest and first receipt time, so a
 * repeated id can be told apart: the same bytes inside the redelivery window are a duplicate;
 * different bytes, or the same id after the window, are a replay.
 */
import { createHash } from 'node:crypto';
import { claimKey, releaseKey } from '../idempotency/claims';
import type { Platform } from '../platform/platform';

/** GitHub redelivers (manually or through reconciliation) within 3 days; Jira retries within hours. */
export const REDELIVERY_WINDOW_MS = 3 * 24 * 3600 * 1000;
/** Kept well beyond the window so a late replay is still recognised. */
const DELIVERY_TTL_S = 30 * 24 * 3600;
const HEAD_TTL_S = 90 * 24 * 3600;

export type DeliveryClaim =
  | { kind: 'first'; release: () => Promise<void> }
  | { kind: 'duplicate' }
  | { kind: 'replayed'; reason: string }
  | { kind: 'stale'; reason: string };

export function digestOf(raw: string): string {
  return createHash('sha256').update(raw).digest('base64url');
}

export async function claimDelivery(
  p: Platform,
  triggerId: string,
  deliveryId: string,
  raw: string,
): Promise<DeliveryClaim> {
  const key = `webhook#${triggerId}#${deliveryId}`;
  const digest = digestOf(raw);
  const now = p.now();
  const claim = await claimKey(
    p.dynamo,
    p.config.TABLE_NAME,
    key,
    `${digest}|${now}`,
    DELIVERY_TTL_S,
    now,
  );
  if (claim.claimed)
    return { kind: 'first', release: () => releaseKey(p.dynamo, p.config.TABLE_NAME, key) };
  const [firstDigest, firstAt] = claim.value.split('|');
  if (firstDigest !== digest)
    return {
      kind: 'replayed',
      reason: `delivery ${deliveryId} was already received with a different body`,
    };
  const age = now - Number(firstAt);
  if (age > REDELIVERY_WINDOW_MS)
    return {
      kind: 'stale',
      reason: `delivery ${deliveryId} was first received ${Math.floor(age / 3600_000)} h ago, outside the ${REDELIVERY_WINDOW_MS / 3600_000} h redelivery window`,
    };
  return { kind: 'duplicate' };
}

/** Claims "review this head SHA" for a delivery; returns the delivery that holds it when taken. */
export async function claimHead(
  p: Platform,
  triggerId: string,
  head: { repository: string; number: number; sha: string },
  deliveryId: string,
) {
  const key = `review#${triggerId}#${head.repository}#${head.number}#${head.sha}`;
  const claim = await claimKey(p.dynamo, p.config.TABLE_NAME, key, deliveryId, HEAD_TTL_S, p.now());
  return {
    claimed: claim.claimed || claim.value === deliveryId,
    holder: claim.value,
    release: () => releaseKey(p.dynamo, p.config.TABLE_NAME, key),
  };
}

/**
 * One claim per signed body and trigger for the redelivery window: a captured body sent again
 * under a fresh delivery id is a replay (GitHub and Jira redeliver with the same id).
 */
export async function claimBody(
  p: Platform,
  triggerId: string,
  deliveryId: string,
  raw: string,
): Promise<{ replayOf?: string; release: () => Promise<void> }> {
  const key = `webhookbody#${triggerId}#${digestOf(raw)}`;
  const claim = await claimKey(
    p.dynamo,
    p.config.TABLE_NAME,
    key,
    deliveryId,
    REDELIVERY_WINDOW_MS / 1000,
    p.now(),
  );
  return {
    ...(claim.claimed || claim.value === deliveryId ? {} : { replayOf: claim.value }),
    release: () => releaseKey(p.dynamo, p.config.TABLE_NAME, key),
  };
}
