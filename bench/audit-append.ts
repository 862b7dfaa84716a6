/**
 * Appends to a tenant's audit hash chain under concurrency: every audited action (a run start, a
 * membership change, a key revocation) appends one entry in its own transaction, and a tenant's
 * appends are serialised by the chain's lock. W writers append K entries each, all to one tenant,
 * then each to a tenant of its own (no lock shared); the ratio of the two is what the lock costs.
 * On node-postgres and through the local Data API endpoint (each statement and the COMMIT an HTTP
 * call, as in AWS). Every chain is verified afterwards.
 *
 *   npx tsx bench/audit-append.ts [writers=10] [appends=40]
 */
import { randomUUID } from 'node:crypto';
import { join } from 'node:path';
import { sql } from 'drizzle-orm';
import { startDataApi } from '../infra/local/data-api/server';
import { recordAudit, verifyAuditChain } from '../shared/audit/audit-log';
import { type Database, openDatabase } from '../shared/db/client';
import { migrate } from '../shared/db/migrate';
import { adminStatement } from './vs-langgraph/server-admin';

const WRITERS = Number(process.argv[2] ?? 10);
const APPENDS = Number(process.argv[3] ?? 40);
const BASE = 'postgres://postgres@127.0.0.1:5432/test';
const NAME = `hishamos_bench_audit_${process.pid}`;
const url = (() => {
  const u = new URL(BASE);
  u.pathname = `/${NAME}`;
  return u.toString();
})();

async function tenants(db: Database, n: number): Promise<string[]> {
  const ids = Array.from({ length: n }, () => randomUUID());
  for (const id of ids)
    await db.owner.execute(
      sql`insert into tenants (id, slug, name) values (${id}::uuid, ${`audit-${id}`}, 'audit bench')`,
    );
  return ids;
}

/** Appends per second with every writer on `tenantOf(writer)`, each append its own transaction. */
async function appendsPerSecond(db: Database, tenantOf: (writer: number) => string) {
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: WRITERS }, async (_, w) => {
      for (let i = 0; i < APPENDS; i++)
        await db.withTenant({ tenantId: tenantOf(w) }, (tx) =>
          recordAudit(
            tx,
            { tenantId: tenantOf(w), actor: `user:${w}`, action: 'run.start', target: `run:${i}` },
            { endsTransaction: true },
          ),
        );
    }),
  );
  return (WRITERS * APPENDS * 1000) / (performance.now() - t0);
}

async function measure(label: string, db: Database) {
  const [shared, ...own] = await tenants(db, WRITERS + 1);
  // Warm-up: connections opened, statements prepared.
  await appendsPerSecond(db, (w) => own[w]);
  const oneTenant = await appendsPerSecond(db, () => shared);
  const ownTenants = await appendsPerSecond(db, (w) => own[w]);
  for (const id of [shared, ...own]) {
    const broken = await db.withTenant({ tenantId: id }, (tx) => verifyAuditChain(tx, id));
    if (broken !== null) throw new Error(`${label}: chain of ${id} broken at seq ${broken}`);
  }
  console.log(
    `| ${label} | ${oneTenant.toFixed(0)} | ${ownTenants.toFixed(0)} | ${(oneTenant / ownTenants).toFixed(2)}× |`,
  );
}

await adminStatement(BASE, `drop database if exists ${NAME}`);
await adminStatement(BASE, `create database ${NAME}`);
try {
  const pg = await openDatabase({ driver: 'pg', url });
  await migrate(pg.owner, join(import.meta.dirname, '..', 'shared', 'db', 'migrations'));
  console.log(`${WRITERS} writers × ${APPENDS} appends, each its own transaction`);
  console.log(
    '| driver | appends/s, one tenant | appends/s, a tenant each | one tenant / a tenant each |',
  );
  console.log('| --- | --- | --- | --- |');
  await measure('node-postgres', pg);
  await pg.close();
  const api = await startDataApi({ databaseUrl: url });
  const dataApi = await openDatabase({
    driver: 'data-api',
    endpoint: api.url,
    resourceArn: 'arn:aws:rds:us-east-1:000000000000:cluster:hishamos',
    secretArn: 'arn:aws:secretsmanager:us-east-1:000000000000:secret:db',
    database: NAME,
    region: 'us-east-1',
  });
  await measure('Data API (local endpoint)', dataApi);
  await dataApi.close();
  await api.close();
} finally {
  await adminStatement(BASE, `drop database if exists ${NAME} with (force)`);
}
