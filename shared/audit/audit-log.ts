import { createHash } from 'node:crypto';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { asLastStatement } from '../db/pg-scope-framing';
import { auditLog } from '../db/schema';

export const GENESIS_HASH = '0'.repeat(64);

export interface AuditInput {
  tenantId: string;
  actor: string;
  action: string;
  target?: string | null;
  data?: Record<string, unknown>;
}

/**
 * Appends to the tenant's hash chain: each entry's hash covers the previous hash and the entry, so
 * editing or deleting a row breaks every hash after it (`verifyAuditChain` finds where).
 */
export async function recordAudit(
  tx: Tx,
  entry: AuditInput,
  /** The entry is its transaction's last write: its COMMIT may ride with it (ADR 176). */
  { endsTransaction = false }: { endsTransaction?: boolean } = {},
): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`audit:${entry.tenantId}`}))`);
  const [last] = await tx
    .select({ hash: auditLog.hash })
    .from(auditLog)
    .where(eq(auditLog.tenantId, entry.tenantId))
    .orderBy(desc(auditLog.seq))
    .limit(1);
  const prevHash = last?.hash ?? GENESIS_HASH;
  const createdAt = new Date();
  const hash = chainHash(prevHash, {
    ...entry,
    target: entry.target ?? null,
    data: entry.data ?? null,
    createdAt: createdAt.toISOString(),
  });
  // The tenant's chain lock is held to COMMIT: with the COMMIT in the insert's round trip, one
  // round trip less for every other writer of the tenant's audit log waiting on it.
  const insert = tx.insert(auditLog).values({
    tenantId: entry.tenantId,
    actor: entry.actor,
    action: entry.action,
    target: entry.target ?? null,
    data: entry.data ?? null,
    prevHash,
    hash,
    createdAt,
  });
  await (endsTransaction ? asLastStatement(() => insert) : insert);
}

export function chainHash(prevHash: string, entry: Record<string, unknown>): string {
  const canonical = canonicalJson(entry);
  return createHash('sha256').update(prevHash).update('\n').update(canonical).digest('hex');
}

/**
 * Recomputes the whole chain: the first entry that does not match (and why), the head, and each
 * entry's stored hash (so anchors can be checked against it).
 */
export async function verifyAuditChainDetail(tx: Tx, tenantId: string) {
  const rows = await tx
    .select()
    .from(auditLog)
    .where(eq(auditLog.tenantId, tenantId))
    .orderBy(auditLog.seq);
  let prev = GENESIS_HASH;
  let firstBroken: { seq: number; reason: string } | null = null;
  const hashes = new Map<number, string>();
  for (const r of rows) {
    hashes.set(r.seq, r.hash);
    if (firstBroken) continue;
    const expected = chainHash(prev, {
      tenantId: r.tenantId,
      actor: r.actor,
      action: r.action,
      target: r.target,
      data: r.data,
      createdAt: r.createdAt.toISOString(),
    });
    if (r.prevHash !== prev)
      firstBroken = { seq: r.seq, reason: 'its previous hash does not link to the entry before' };
    else if (r.hash !== expected)
      firstBroken = { seq: r.seq, reason: 'its content does not match its hash' };
    prev = r.hash;
  }
  const last = rows.at(-1);
  return {
    entries: rows.length,
    head: last ? { seq: last.seq, hash: last.hash } : null,
    firstBroken,
    hashes,
    /** The first entry after `seq` (where a rewrite after a good anchor begins at the earliest). */
    firstSeqAfter: (seq: number) => rows.find((r) => r.seq > seq)?.seq,
  };
}

/** Recomputes the chain; returns the seq of the first entry that does not match, or null. */
export async function verifyAuditChain(tx: Tx, tenantId: string): Promise<number | null> {
  return (await verifyAuditChainDetail(tx, tenantId)).firstBroken?.seq ?? null;
}

export async function listAudit(
  tx: Tx,
  tenantId: string,
  opts: { limit: number; before?: number; action?: string },
) {
  const conds = [eq(auditLog.tenantId, tenantId)];
  if (opts.before) conds.push(lt(auditLog.seq, opts.before));
  if (opts.action) conds.push(eq(auditLog.action, opts.action));
  return tx
    .select()
    .from(auditLog)
    .where(and(...conds))
    .orderBy(desc(auditLog.seq))
    .limit(opts.limit);
}

/** JSON with object keys sorted at every depth, so the same entry always hashes the same. */
function canonicalJson(value: unknown): string {
  if (value === null || typeof value !== 'object') return JSON.stringify(value ?? null);
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`;
  const obj = value as Record<string, unknown>;
  return `{${Object.keys(obj)
    .sort()
    .filter((k) => obj[k] !== undefined)
    .map((k) => `${JSON.stringify(k)}:${canonicalJson(obj[k])}`)
    .join(',')}}`;
}
