import { sql } from 'drizzle-orm';
import pg from 'pg';
import { APP_LOGIN_ROLE, provisionAppLogin, scramVerifier } from '../../../shared/db/app-login';
import type { Database } from '../../../shared/db/client';
import { migratedServerDatabase } from '../../support/databases';

let database: Awaited<ReturnType<typeof migratedServerDatabase>>;
let db: Database;
let app: pg.Client;
const PASSWORD = 'app-user-password-of-thirty-two-ch';

beforeAll(async () => {
  database = await migratedServerDatabase('hishamos_login');
  db = database.db;
  await provisionAppLogin(
    db.owner,
    JSON.stringify({ username: APP_LOGIN_ROLE, password: PASSWORD }),
  );
  // Two tenants' rows, written by the owner.
  await db.owner.execute(
    sql.raw(
      "insert into tenants (id, name, slug) values ('00000000-0000-4000-8000-00000000000a', 'A', 'login-a'), ('00000000-0000-4000-8000-00000000000b', 'B', 'login-b')",
    ),
  );
  const url = new URL(database.url);
  url.username = APP_LOGIN_ROLE;
  url.password = PASSWORD;
  app = new pg.Client({ connectionString: url.toString() });
  await app.connect();
});

afterAll(async () => {
  await app?.end();
  await database?.close();
});

test('the app user logs in and holds no owner, superuser or BYPASSRLS power', async () => {
  // Act
  const { rows } = await app.query(
    `select current_user as who, r.rolsuper, r.rolbypassrls, r.rolcreaterole, r.rolcreatedb,
            pg_has_role(current_user, 'hishamos_app', 'MEMBER') as app_member,
            (select count(*)::int from pg_class c join pg_namespace n on n.oid = c.relnamespace
              where n.nspname = 'public' and pg_get_userbyid(c.relowner) = current_user) as owned
       from pg_roles r where r.rolname = current_user`,
  );
  // Assess
  expect(rows[0]).toEqual({
    who: APP_LOGIN_ROLE,
    rolsuper: false,
    rolbypassrls: false,
    rolcreaterole: false,
    rolcreatedb: false,
    app_member: true,
    owned: 0,
  });
});

test('row-level security holds for the app user: one tenant at a time, none without a tenant', async () => {
  // Act
  const none = await app.query('select slug from tenants');
  await app.query('begin');
  await app.query('set local role hishamos_app');
  await app.query(
    `select set_config('app.tenant_id', '00000000-0000-4000-8000-00000000000a', true)`,
  );
  const scoped = await app.query('select slug from tenants order by slug');
  await app.query('commit');
  // Assess
  expect(none.rows).toEqual([]);
  expect(scoped.rows).toEqual([{ slug: 'login-a' }]);
});

test('the app user can neither switch RLS off nor become the owner', async () => {
  // Act / Assess
  await expect(app.query('alter table tenants disable row level security')).rejects.toThrow(
    /must be owner/,
  );
  const owner = new URL(database.url).username || 'postgres';
  await expect(app.query(`set role ${owner}`)).rejects.toThrow(/permission denied/);
});

test('the stored password is the SCRAM verifier of the secret, computed the way Postgres does', async () => {
  // Prepare: let the server hash a known password, then recompute it with its salt
  const admin = new pg.Client({ connectionString: database.url });
  await admin.connect();
  await admin.query("set password_encryption = 'scram-sha-256'");
  await admin.query(`create role hishamos_scram_probe_${process.pid} password 'probe-password'`);
  const { rows } = await admin.query(
    `select rolname, rolpassword from pg_authid where rolname in ($1, $2)`,
    [APP_LOGIN_ROLE, `hishamos_scram_probe_${process.pid}`],
  );
  await admin.query(`drop role hishamos_scram_probe_${process.pid}`);
  await admin.end();
  const byName = Object.fromEntries(rows.map((r) => [r.rolname, r.rolpassword as string]));
  const probe = byName[`hishamos_scram_probe_${process.pid}`]!;
  const [, iterationsAndSalt] = probe.split('$');
  const [iterations, salt] = iterationsAndSalt!.split(':');
  // Act
  const ours = scramVerifier('probe-password', Buffer.from(salt!, 'base64'), Number(iterations));
  // Assess
  expect(ours).toBe(probe);
  expect(byName[APP_LOGIN_ROLE]).toMatch(/^SCRAM-SHA-256\$4096:/);
  expect(byName[APP_LOGIN_ROLE]).not.toContain(PASSWORD);
});

test('a secret in the wrong shape is refused by name, before anything is changed', async () => {
  await expect(
    provisionAppLogin(db.owner, JSON.stringify({ username: 'postgres', password: 'x'.repeat(32) })),
  ).rejects.toMatchObject({ name: 'ValidationError' });
  await expect(provisionAppLogin(db.owner, 'not json')).rejects.toMatchObject({
    name: 'ValidationError',
  });
});
