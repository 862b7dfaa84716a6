import { createHash } from 'node:crypto';
import { and, desc, eq, lt, sql } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { asLastStatement } from '../db/pg-scope-framing';
import { runPrebuilt, type StatementPart } from '../db/prebuilt-statement';
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
 * editing or deleting a row breaks every hash after it (`verifyAuditChain` finds where). One
 * statement (`audit_append`, migration 0174) takes the chain's lock, reads its head and inserts:
 * a tenant's appends wait on each other for no client round trip (ADR 183).
 */
export async function recordAudit(
  tx: Tx,
  entry: AuditInput,
  /** The entry is its transaction's last write: its COMMIT rides with it (ADR 176). */
  { endsTransaction = false }: { endsTransaction?: boolean } = {},
): Promise<void> {
  const createdAt = new Date();
  const target = entry.target ?? null;
  const data = entry.data ?? null;
  const append: StatementPart = {
    shape: 'audit_append',
    build: () => {
      const at = (name: string) => sql.placeholder(`audit_${name}`);
      return sql`select audit_append(${at('tenant')}::uuid, ${at('actor')}::text, ${at('action')}::text, ${at('target')}::text, ${at('data')}::jsonb, ${at('created_at')}::timestamptz, ${at('canonical')}::text)`;
    },
    values: {
      audit_tenant: entry.tenantId,
      audit_actor: entry.actor,
      audit_action: entry.action,
      audit_target: target,
      audit_data: data === null ? null : JSON.stringify(data),
      audit_created_at: createdAt.toISOString(),
      audit_canonical: canonicalJson({
        ...entry,
        target,
        data,
        createdAt: createdAt.toISOString(),
      }),
    },
  };
  const send = () => runPrebuilt(tx, 'audit_append', append);
  await (endsTransaction ? asLastStatement(send) : send());
}

/** What `audit_append` computes in SQL; verification recomputes it here. */
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
