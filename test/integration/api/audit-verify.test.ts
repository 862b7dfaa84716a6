/**
 * Audit you can check (issue 11, item 8): `GET /v1/audit/verify` reports the first broken link;
 * chain heads are anchored with an HMAC outside the database, so even a rewrite of history that
 * recomputes every hash is detected.
 */
import { sql } from 'drizzle-orm';
import { anchorAuditHeads } from '../../../shared/audit/anchor';
import { chainHash, recordAudit, verifyAuditChain } from '../../../shared/audit/audit-log';
import { rowsOf } from '../../../shared/db/client';
import { startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
beforeAll(async () => {
  stack = await startTestStack();
});
afterAll(async () => stack?.close());

interface Row {
  seq: string;
  tenant_id: string;
  actor: string;
  action: string;
  target: string | null;
  data: unknown;
  prev_hash: string;
  hash: string;
  created_at: Date | string;
}

const owner = (q: string) => stack.platform.db.owner.execute(sql.raw(q));

async function tenantWithHistory(name: string) {
  const t = await stack.signup(name);
  for (const slug of ['one', 'two', 'three'])
    await stack.call('POST', '/v1/agents', {
      token: t.accessToken,
      body: { slug, name: slug, model: 'simulator:sim-1' },
    });
  const me = await stack.call('GET', '/v1/me', { token: t.accessToken });
  return { token: t.accessToken, tenantId: me.body.tenant.id as string };
}

async function rows(tenantId: string): Promise<Row[]> {
  return rowsOf<Row>(
    await owner(`select * from audit_log where tenant_id = '${tenantId}' order by seq`),
  );
}

async function rewrite(q: string) {
  await owner('alter table audit_log disable trigger audit_log_no_update');
  try {
    await owner(q);
  } finally {
    await owner('alter table audit_log enable trigger audit_log_no_update');
  }
}

test('an intact, anchored chain verifies', async () => {
  const t = await tenantWithHistory('Intact');
  const anchored = await anchorAuditHeads(stack.platform);

  const res = await stack.call('GET', '/v1/audit/verify', { token: t.token });

  expect(anchored.anchored).toBeGreaterThan(0);
  expect(res.status).toBe(200);
  expect(res.body).toMatchObject({ ok: true, firstBroken: null, anchors: { count: 1 } });
  expect(res.body.entries).toBeGreaterThanOrEqual(4);
});

test('an edited entry is reported as the first broken link', async () => {
  const t = await tenantWithHistory('Edited');
  const history = await rows(t.tenantId);
  const victim = history[2];
  await rewrite(`update audit_log set data = '{"slug":"forged"}' where seq = ${victim.seq}`);

  const res = await stack.call('GET', '/v1/audit/verify', { token: t.token });

  expect(res.body.ok).toBe(false);
  expect(res.body.firstBroken).toEqual({
    seq: Number(victim.seq),
    reason: expect.stringContaining('content'),
  });
});

test('a rewrite of history that recomputes every hash is caught by the anchor', async () => {
  const t = await tenantWithHistory('Rewritten');
  await anchorAuditHeads(stack.platform);
  const history = await rows(t.tenantId);
  // The database owner changes an old entry and recomputes the whole chain after it.
  let prev = '0'.repeat(64);
  for (const [i, r] of history.entries()) {
    const data = i === 1 ? { slug: 'rewritten' } : r.data;
    const hash = chainHash(prev, {
      tenantId: r.tenant_id,
      actor: r.actor,
      action: r.action,
      target: r.target,
      data,
      createdAt: new Date(r.created_at).toISOString(),
    });
    await rewrite(
      `update audit_log set data = '${JSON.stringify(data)}'::jsonb, prev_hash = '${prev}', hash = '${hash}' where seq = ${r.seq}`,
    );
    prev = hash;
  }

  const res = await stack.call('GET', '/v1/audit/verify', { token: t.token });

  expect(res.body.ok).toBe(false);
  expect(res.body.firstBroken.reason).toContain('rewritten');
  expect(res.body.firstBroken.seq).toBe(Number(history[0].seq));
});

test('verification is for admins', async () => {
  const t = await stack.signup('Viewer Co');
  await stack.addMember(
    t.accessToken,
    'audit-viewer@example.test',
    'viewer',
    'a long password here',
  );
  const viewer = await stack.call('POST', '/v1/auth/login', {
    body: { email: 'audit-viewer@example.test', password: 'a long password here' },
  });

  const res = await stack.call('GET', '/v1/audit/verify', { token: viewer.body.accessToken });

  expect(res.status).toBe(403);
});

test('runs started at once in one tenant each get their entry, and the chain stays intact', async () => {
  // Prepare: a one-step workflow (a run start's entry ends its transaction, ADR 176)
  const t = await tenantWithHistory('Concurrent');
  await stack.call('POST', '/v1/workflows', {
    token: t.token,
    body: {
      slug: 'audited',
      name: 'audited',
      nodes: [{ id: 'only', type: 'agent', agent: 'one', prompt: '{{input.topic}}' }],
    },
  });

  // Act
  const started = await Promise.all(
    Array.from({ length: 8 }, (_, i) =>
      stack.call('POST', '/v1/workflows/audited/runs', {
        token: t.token,
        body: { input: { topic: `t${i}` } },
      }),
    ),
  );
  await stack.executions.idle();

  // Assess: one entry per run, each linked to the one before it
  expect(started.map((r) => r.status)).toEqual(Array(8).fill(202));
  const chain = await rows(t.tenantId);
  const runEntries = chain.filter((r) => r.action === 'run.start');
  expect(new Set(runEntries.map((r) => r.target)).size).toBe(8);
  expect(chain.slice(1).every((r, i) => r.prev_hash === chain[i].hash)).toBe(true);
  const verified = await stack.call('GET', '/v1/audit/verify', { token: t.token });
  expect(verified.body).toMatchObject({ ok: true, firstBroken: null });
});

test('appends of many writers at once in one tenant form one chain (ADR 183)', async () => {
  // Prepare: each append its own transaction, as each audited request is
  const { tenantId } = await tenantWithHistory('Writers');
  const { db } = stack.platform;
  const append = (writer: number, i: number) =>
    db.withTenant({ tenantId }, (tx) =>
      recordAudit(
        tx,
        { tenantId, actor: `user:${writer}`, action: 'test.append', target: `entry:${i}` },
        { endsTransaction: true },
      ),
    );

  // Act: 8 writers, 15 appends each, all at once
  await Promise.all(
    Array.from({ length: 8 }, async (_, writer) => {
      for (let i = 0; i < 15; i++) await append(writer, i);
    }),
  );

  // Assess: every entry links to the one before it; none shares a predecessor
  const chain = await rows(tenantId);
  expect(chain.filter((r) => r.action === 'test.append')).toHaveLength(120);
  expect(new Set(chain.map((r) => r.prev_hash)).size).toBe(chain.length);
  expect(await db.withTenant({ tenantId }, (tx) => verifyAuditChain(tx, tenantId))).toBeNull();
});
