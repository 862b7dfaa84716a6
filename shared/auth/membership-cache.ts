/**
 * A brief per-process cache of "who is this caller now" (ADR 050). Every change that could
 * shrink someone's access (role change, removal, logout, key revocation) bumps the tenant's auth
 * epoch in DynamoDB after it commits; each request reads the epoch (one consistent GetItem) and
 * trusts a cached answer only if it was computed under the same epoch. So a change takes effect
 * on the very next request in every process, and Postgres is asked only after a change or expiry.
 */
import { GetItemCommand, UpdateItemCommand } from '@aws-sdk/client-dynamodb';
import type { Platform } from '../platform/platform';

/** Even an unchanged answer is recomputed this often (bounds the memory of a warm Lambda too). */
const MAX_AGE_MS = 60_000;
const MAX_ENTRIES = 10_000;

interface Entry<T> {
  epoch: string;
  at: number;
  value: T;
}
const entries = new Map<string, Entry<unknown>>();

const epochKey = (tenantId: string) => ({
  pk: { S: `authepoch#${tenantId}` },
  sk: { S: 'epoch' },
});

async function currentEpoch(p: Platform, tenantId: string): Promise<string> {
  const out = await p.dynamo.send(
    new GetItemCommand({
      TableName: p.config.TABLE_NAME,
      Key: epochKey(tenantId),
      ConsistentRead: true,
    }),
  );
  return out.Item?.n?.N ?? '0';
}

/**
 * The cached value for `key` if nothing changed in the tenant since it was computed; otherwise
 * `load()` runs and its answer is cached under the current epoch.
 */
export async function cachedAccess<T>(
  p: Platform,
  tenantId: string,
  key: string,
  load: () => Promise<T>,
): Promise<T> {
  const epoch = await currentEpoch(p, tenantId);
  const cacheKey = `${tenantId}|${key}`;
  const hit = entries.get(cacheKey);
  if (hit && hit.epoch === epoch && p.now() - hit.at < MAX_AGE_MS) return hit.value as T;
  const value = await load();
  if (entries.size >= MAX_ENTRIES) entries.clear();
  entries.set(cacheKey, { epoch, at: p.now(), value });
  return value;
}

/** Call after committing a change to memberships, sessions or API keys of `tenantId`. */
export async function accessChanged(p: Platform, tenantId: string): Promise<void> {
  for (const k of entries.keys()) if (k.startsWith(`${tenantId}|`)) entries.delete(k);
  await p.dynamo.send(
    new UpdateItemCommand({
      TableName: p.config.TABLE_NAME,
      Key: epochKey(tenantId),
      UpdateExpression: 'ADD n :one',
      ExpressionAttributeValues: { ':one': { N: '1' } },
    }),
  );
}
