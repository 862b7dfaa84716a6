/**
 * One drizzle database over three drivers: PGlite (embedded, the local default), node-postgres
 * (DATABASE_URL) and the RDS Data API (Aurora, in AWS). Every application query runs inside
 * `withTenant`, which switches to the `hishamos_app` role (subject to row-level security) and sets
 * the tenant of the transaction, so a query that forgets its tenant filter still sees one tenant.
 */
import { Agent } from 'node:http';
import { is, sql } from 'drizzle-orm';
import {
  type PgDatabase,
  PgNumericBigInt,
  PgNumericNumber,
  type PgQueryResultHKT,
} from 'drizzle-orm/pg-core';
import {
  frameScopeOnBegin,
  queryClass,
  scopeStatement,
  withPendingScope,
} from './pg-scope-framing';
import { JSON_AS_TEXT_PARSERS, jsonAsTextTypes, keepJsonAsText } from './json-as-text';

export type Drizzle = PgDatabase<PgQueryResultHKT, Record<string, never>>;
/** A transaction scoped to one tenant (or to no tenant, for the auth doors). */
export type Tx = Parameters<Parameters<Drizzle['transaction']>[0]>[0];

export interface TenantScope {
  tenantId: string;
  userId?: string | null;
}

export interface Database {
  readonly driver: 'pglite' | 'pg' | 'data-api';
  /** Owner access, for migrations and seeding only. */
  readonly owner: Drizzle;
  withTenant<T>(scope: TenantScope, fn: (tx: Tx) => Promise<T>): Promise<T>;
  /** The application role with no tenant: only the SECURITY DEFINER auth functions see anything. */
  withoutTenant<T>(fn: (tx: Tx) => Promise<T>): Promise<T>;
  close(): Promise<void>;
}

export type DatabaseOptions =
  | {
      driver: 'pglite';
      dataDir?: string;
      /** A `dumpDataDir` tarball to start from instead of an empty cluster (tests start from a migrated one). */
      loadDataDir?: Blob;
    }
  | { driver: 'pg'; url: string; max?: number }
  | {
      driver: 'data-api';
      resourceArn: string;
      secretArn: string;
      database: string;
      region?: string;
      /** The local Data API endpoint (infra/local/data-api); in AWS the SDK's default. */
      endpoint?: string;
    };

export async function openDatabase(options: DatabaseOptions): Promise<Database> {
  const { drizzle: owner, close } = await connect(options);
  const scoped = <T>(scope: TenantScope | null, fn: (tx: Tx) => Promise<T>) =>
    withPendingScope(options.driver === 'pg' ? scopeStatement(scope) : undefined, (framed) =>
      owner.transaction(async (tx) => {
        // One statement (set_config('role', …, true) is SET LOCAL ROLE): on the Data API every
        // statement is an HTTPS round trip, and every application transaction starts here. On
        // node-postgres it rode with the BEGIN (pg-scope-framing.ts).
        if (!framed())
          await tx.execute(
            sql`select set_config('role', 'hishamos_app', true), set_config('app.tenant_id', ${scope?.tenantId ?? ''}, true), set_config('app.user_id', ${scope?.userId ?? ''}, true)`,
          );
        return fn(tx);
      }),
    );
  return {
    driver: options.driver,
    owner,
    withTenant: (scope, fn) => scoped(scope, fn),
    withoutTenant: (fn) => scoped(null, fn),
    close,
  };
}

async function connect(
  options: DatabaseOptions,
): Promise<{ drizzle: Drizzle; close: () => Promise<void> }> {
  switch (options.driver) {
    case 'pglite': {
      const { PGlite } = await import('@electric-sql/pglite');
      const { vector } = await import('@electric-sql/pglite-pgvector');
      const { drizzle } = await import('drizzle-orm/pglite');
      const client = await PGlite.create({
        dataDir: options.dataDir,
        loadDataDir: options.loadDataDir,
        extensions: { vector },
        parsers: JSON_AS_TEXT_PARSERS,
      });
      return { drizzle: drizzle({ client }) as unknown as Drizzle, close: () => client.close() };
    }
    case 'pg': {
      const { default: pg } = await import('pg');
      const { drizzle } = await import('drizzle-orm/node-postgres');
      // numeric/bigint come back as strings from pg; drizzle column modes map the typed queries.
      const pool = new pg.Pool({
        connectionString: options.url,
        max: options.max ?? 10,
        types: jsonAsTextTypes(pg.types),
      });
      // An idle client whose connection the server closes (restart, failover, a dropped test
      // database) emits 'error' on the pool; unhandled, that would crash the process. The pool
      // replaces the client on next use, and queries in flight still fail on their own.
      pool.on('error', () => undefined);
      const framedQuery = queryClass(pg.Query);
      pool.on('connect', (client) => {
        frameScopeOnBegin(client, framedQuery);
        keepJsonAsText(client);
      });
      return { drizzle: drizzle({ client: pool }) as unknown as Drizzle, close: () => pool.end() };
    }
    case 'data-api': {
      const { RDSDataClient, RollbackTransactionCommand } = await import(
        '@aws-sdk/client-rds-data'
      );
      const { drizzle } = await import('drizzle-orm/aws-data-api/pg');
      const client = new RDSDataClient({
        region: options.region,
        ...(options.endpoint
          ? {
              endpoint: options.endpoint,
              credentials: { accessKeyId: 'local', secretAccessKey: 'local' },
              // Locally every function shares this client: the SDK's 50-socket cap could hold the
              // statements of open transactions behind BeginTransactions waiting for a connection.
              // A Lambda runs one request at a time and never gets there.
              requestHandler: { httpAgent: new Agent({ keepAlive: true, maxSockets: Infinity }) },
            }
          : {}),
      });
      // An error inside a Data API transaction ends it (AWS troubleshooting: "aborted due to an
      // error from a previous call"), so drizzle's rollback then finds no transaction and would
      // replace the statement's error with TransactionNotFoundException: that rollback is moot.
      const send = client.send.bind(client) as (command: unknown) => Promise<unknown>;
      (client as { send: (command: unknown) => Promise<unknown> }).send = (command) =>
        command instanceof RollbackTransactionCommand
          ? send(command).catch((e: Error) => {
              if (e.name !== 'TransactionNotFoundException') throw e;
              return { transactionStatus: 'Rollback Complete' };
            })
          : send(command);
      const db = drizzle(client, {
        database: options.database,
        resourceArn: options.resourceArn,
        secretArn: options.secretArn,
      });
      hintNumericModes(
        db as unknown as { dialect: { prepareTyping: (encoder: unknown) => string } },
      );
      return { drizzle: db as unknown as Drizzle, close: async () => client.destroy() };
    }
  }
}

/**
 * drizzle gives `numeric` columns a DECIMAL typeHint only in its default string mode: the
 * `mode: 'number'` money columns went out untyped, which the Data API binds as text, so every
 * usage insert failed (`cost_usd is of type numeric but expression is of type text`).
 */
function hintNumericModes(db: { dialect: { prepareTyping: (encoder: unknown) => string } }) {
  const base = db.dialect.prepareTyping.bind(db.dialect);
  db.dialect.prepareTyping = (encoder) =>
    is(encoder, PgNumericNumber) || is(encoder, PgNumericBigInt) ? 'decimal' : base(encoder);
}

/** Rows of a raw `execute` result, whatever the driver. */
export function rowsOf<T>(result: unknown): T[] {
  return ((result as { rows?: T[] }).rows ?? []) as T[];
}
