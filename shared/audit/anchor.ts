/**
 * Anchoring and verifying the audit chain (ADR 053). The chain alone shows an edited row, but
 * whoever owns the database can rewrite history and recompute every hash; so the chain head is
 * signed (HMAC, key in the secret store) and written where the application's database role cannot
 * rewrite it (S3 Object Lock in AWS, a separate file locally). Verification recomputes the chain
 * and checks every anchor against it: a rewrite before an anchored head is detected.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { sql } from 'drizzle-orm';
import type { AuthContext } from '../auth/context';
import { rowsOf } from '../db/client';
import type { Platform } from '../platform/platform';
import type { AuditAnchor } from '../platform/ports';
import { verifyAuditChainDetail } from './audit-log';

async function anchorKey(p: Platform): Promise<Buffer> {
  let key = await p.secrets.get(p.config.AUDIT_ANCHOR_KEY_ID);
  if (!key) {
    // First use (the local runtime; in AWS the deployment generates it).
    key = randomBytes(32).toString('base64url');
    await p.secrets.put(p.config.AUDIT_ANCHOR_KEY_ID, key);
  }
  return Buffer.from(key);
}

function macOf(key: Buffer, a: Omit<AuditAnchor, 'mac'>): string {
  return createHmac('sha256', key)
    .update(`${a.tenantId}|${a.seq}|${a.hash}|${a.at}`)
    .digest('base64url');
}

/** Signs and stores every tenant's chain head that moved since its last anchor (scheduled). */
export async function anchorAuditHeads(p: Platform): Promise<{ anchored: number }> {
  const heads = await p.db.withoutTenant(async (tx) =>
    rowsOf<{ tenant_id: string; seq: string | number; hash: string }>(
      await tx.execute(sql`select * from audit_heads()`),
    ),
  );
  const key = await anchorKey(p);
  let anchored = 0;
  for (const h of heads) {
    const seq = Number(h.seq);
    const last = (await p.anchors.list(h.tenant_id)).at(-1);
    if (last && last.seq >= seq) continue;
    const anchor = {
      tenantId: h.tenant_id,
      seq,
      hash: h.hash,
      at: new Date(p.now()).toISOString(),
    };
    await p.anchors.append({ ...anchor, mac: macOf(key, anchor) });
    anchored++;
  }
  return { anchored };
}

export interface AuditVerification {
  ok: boolean;
  entries: number;
  head: { seq: number; hash: string } | null;
  /** The first entry that no longer matches: its `seq` and why. */
  firstBroken: { seq: number; reason: string } | null;
  anchors: { count: number; latest: { seq: number; at: string } | null };
}

export async function verifyAudit(p: Platform, auth: AuthContext): Promise<AuditVerification> {
  const [chain, anchors, key] = await Promise.all([
    p.db.withTenant(auth, (tx) => verifyAuditChainDetail(tx, auth.tenantId)),
    p.anchors.list(auth.tenantId),
    anchorKey(p),
  ]);
  let firstBroken = chain.firstBroken;
  // Anchors in order: the first that is forged, or whose entry no longer has the anchored hash,
  // bounds the rewrite (it happened after the previous good anchor).
  let previousGood = 0;
  for (const a of anchors) {
    const expected = Buffer.from(macOf(key, a));
    const given = Buffer.from(a.mac ?? '');
    const signed = expected.length === given.length && timingSafeEqual(expected, given);
    const row = signed ? chain.hashes.get(a.seq) : undefined;
    const problem = !signed
      ? `anchor for seq ${a.seq} has an invalid signature`
      : row === undefined
        ? `anchored entry seq ${a.seq} (${a.at}) is missing: history was rewritten`
        : row !== a.hash
          ? `entry seq ${a.seq} differs from its anchor of ${a.at}: history up to it was rewritten`
          : undefined;
    if (problem) {
      const seq = chain.firstSeqAfter(previousGood) ?? a.seq;
      if (!firstBroken || seq < firstBroken.seq) firstBroken = { seq, reason: problem };
      break;
    }
    previousGood = a.seq;
  }
  const latest = anchors.at(-1);
  return {
    ok: !firstBroken,
    entries: chain.entries,
    head: chain.head,
    firstBroken,
    anchors: { count: anchors.length, latest: latest ? { seq: latest.seq, at: latest.at } : null },
  };
}
