/**
 * A local RDS Data API endpoint: the REST-JSON wire protocol of `@aws-sdk/client-rds-data`
 * (POST /Execute, /BatchExecute, /BeginTransaction, /CommitTransaction, /RollbackTransaction) over
 * a real PostgreSQL, as strict as Aurora PostgreSQL's Data API. Every behaviour and its source in
 * the AWS documentation is listed in docs/adr/040-local-data-api.md.
 */
import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import {
  columnEncoder,
  type EncodeOptions,
  type Field,
  type TypeInfo,
  UnsupportedType,
} from './encode';
import { scanSql } from './sql-text';
import {
  asDatabaseError,
  asDataApiError,
  badRequest,
  DataApiError,
  databaseError,
  timeoutError,
} from './errors';
import { bindValue, type SqlParameter } from './parameters';

export { DataApiError } from './errors';

export const DATA_API_OPERATIONS = {
  '/Execute': 'ExecuteStatement',
  '/BatchExecute': 'BatchExecuteStatement',
  '/BeginTransaction': 'BeginTransaction',
  '/CommitTransaction': 'CommitTransaction',
  '/RollbackTransaction': 'RollbackTransaction',
} as const;
export type DataApiOperation = (typeof DATA_API_OPERATIONS)[keyof typeof DATA_API_OPERATIONS];

export interface DataApiOptions {
  /** PostgreSQL to serve; a request's `database` replaces the path. */
  databaseUrl: string;
  /** A request's `database` → the local database that stands for it (the deploy rehearsal's fresh one). */
  databases?: Readonly<Record<string, string>>;
  /** The database login a secret stands for (user, password); unknown secrets are refused. Default: the URL's own login for any secret. */
  secrets?: (secretArn: string) => { user: string; password?: string } | undefined;
  /** Docs: a transaction times out if no call uses its id in three minutes. */
  transactionIdleMs?: number;
  /** Docs: a transaction can run for at most 24 hours. */
  transactionMaxMs?: number;
  /** Docs: a call times out after 45 seconds unless `continueAfterTimeout`. */
  statementTimeoutMs?: number;
  /** Docs: requests up to 4 MiB including headers, responses up to 1 MiB, rows up to 64 KB. */
  maxRequestBytes?: number;
  maxResponseBytes?: number;
  maxRowBytes?: number;
  /** Called for every request before it runs (round-trip counting, IAM checks); a throw answers with that error. */
  onCall?: (operation: DataApiOperation, input: Record<string, unknown>) => void;
}

export interface LocalDataApi {
  url: string;
  /** Calls served so far, by operation. */
  readonly calls: Record<DataApiOperation, number>;
  /** The largest row and response body (bytes) served so far. */
  readonly largest: { row: number; response: number };
  close(): Promise<void>;
}

interface Transaction {
  id: string;
  client: pg.PoolClient;
  pool: pg.Pool;
  started: number;
  lastUsed: number;
  busy: boolean;
}

/** Raw text for every column: the encoder decides the Data API shape from the type OID. */
const RAW_TYPES = { getTypeParser: () => (value: string) => value };

export async function startDataApi(options: DataApiOptions): Promise<LocalDataApi> {
  const limits = {
    idle: options.transactionIdleMs ?? 180_000,
    max: options.transactionMaxMs ?? 24 * 3600_000,
    statement: options.statementTimeoutMs ?? 45_000,
    request: options.maxRequestBytes ?? 4 * 1024 * 1024,
    response: options.maxResponseBytes ?? 1024 * 1024,
    row: options.maxRowBytes ?? 64 * 1024,
  };
  const pools = new Map<string, pg.Pool>();
  const transactions = new Map<string, Transaction>();
  /** Why an id is gone, for the documented "isn't found" causes. */
  const ended = new Map<string, string>();
  const typeCache = new Map<number, TypeInfo>();
  const calls = Object.fromEntries(
    Object.values(DATA_API_OPERATIONS).map((op) => [op, 0]),
  ) as Record<DataApiOperation, number>;
  const largest = { row: 0, response: 0 };

  const poolFor = (secretArn: string, database: string | undefined): pg.Pool => {
    const login = options.secrets
      ? options.secrets(secretArn)
      : { user: decodeURIComponent(new URL(options.databaseUrl).username) };
    if (!login)
      throw new DataApiError('BadRequestException', 400, `Error fetching secret ${secretArn}`);
    const url = new URL(options.databaseUrl);
    url.username = encodeURIComponent(login.user);
    if (login.password !== undefined) url.password = encodeURIComponent(login.password);
    if (database) url.pathname = `/${options.databases?.[database] ?? database}`;
    const key = url.toString();
    let pool = pools.get(key);
    if (!pool) {
      // Docs: TIMESTAMPTZ comes back in UTC, so the sessions run in UTC.
      pool = new pg.Pool({ connectionString: key, max: 20, options: '-c TimeZone=UTC' });
      pool.on('error', () => undefined);
      pools.set(key, pool);
    }
    return pool;
  };

  const endTransaction = async (tx: Transaction, how: 'COMMIT' | 'ROLLBACK', why: string) => {
    transactions.delete(tx.id);
    ended.set(tx.id, why);
    try {
      await tx.client.query(how);
      tx.client.release();
    } catch (e) {
      tx.client.release(true);
      throw e;
    }
  };

  const sweeper = setInterval(
    () => {
      const now = Date.now();
      for (const tx of transactions.values()) {
        if (tx.busy) continue;
        if (now - tx.lastUsed > limits.idle)
          void endTransaction(tx, 'ROLLBACK', 'Transaction may be expired').catch(() => undefined);
        else if (now - tx.started > limits.max)
          void endTransaction(tx, 'ROLLBACK', 'Transaction exceeded 24 hours').catch(
            () => undefined,
          );
      }
    },
    Math.max(10, Math.min(1000, limits.idle / 4)),
  );
  sweeper.unref();

  const takeTransaction = (id: string): Transaction => {
    const tx = transactions.get(id);
    if (!tx) {
      const why = ended.get(id);
      throw new DataApiError(
        'TransactionNotFoundException',
        404,
        `Transaction ${id} isn't found${why ? `: ${why}` : ''}`,
      );
    }
    // Docs (troubleshooting): a request on a transaction that is running another one fails at once.
    if (tx.busy) throw databaseError('Transaction is still running a query');
    tx.busy = true;
    tx.lastUsed = Date.now();
    return tx;
  };

  const describe = async (pool: pg.Pool, oids: number[]) => {
    const unknown = oids.filter((o) => !typeCache.has(o));
    if (!unknown.length) return;
    const res = await pool.query<{ oid: number; typname: string; typtype: string }>(
      'select oid::int as oid, typname, typtype from pg_type where oid = any($1::oid[])',
      [unknown],
    );
    for (const r of res.rows) typeCache.set(Number(r.oid), { name: r.typname, kind: r.typtype });
  };

  /** Runs one statement on a connection under the call timeout. */
  const run = async (
    client: pg.PoolClient,
    text: string,
    values: unknown[],
    continueAfterTimeout: boolean,
  ): Promise<pg.QueryArrayResult> => {
    let timedOut = false;
    const pid = (client as unknown as { processID: number }).processID;
    const timer = setTimeout(() => {
      timedOut = true;
      if (!continueAfterTimeout)
        void cancelBackend(options.databaseUrl, pid).catch(() => undefined);
    }, limits.statement);
    const query = client.query({ text, values, rowMode: 'array', types: RAW_TYPES });
    try {
      if (continueAfterTimeout) {
        // The statement goes on; the call answers at the timeout like Aurora's does.
        const timeout = new Promise<never>((_, reject) =>
          setTimeout(() => reject(timeoutError(pid)), limits.statement).unref(),
        );
        query.catch(() => undefined);
        return await Promise.race([query, timeout]);
      }
      return await query;
    } catch (e) {
      if (timedOut) throw timeoutError(pid);
      throw e;
    } finally {
      clearTimeout(timer);
    }
  };

  const bind = (
    sql: string,
    parameters: SqlParameter[] | undefined,
  ): { text: string; values: unknown[] } => {
    const byName = new Map<string, SqlParameter>();
    for (const p of parameters ?? []) {
      if (!p.name) throw badRequest('Parameter name is required');
      if (p.value && 'arrayValue' in p.value)
        throw badRequest('Array parameters are not supported.');
      byName.set(p.name, p);
    }
    const positions = new Map<string, number>();
    const values: unknown[] = [];
    const scanned = scanSql(sql, (name) => {
      const p = byName.get(name);
      if (!p) throw badRequest(`No value specified for parameter ${name}`);
      let position = positions.get(name);
      if (position === undefined) {
        const { value, type } = bindValue(p);
        values.push(value);
        position = values.length;
        positions.set(name, position);
        return type ? `($${position}::${type})` : `$${position}`;
      }
      const type = bindValue(p).type;
      return type ? `($${position}::${type})` : `$${position}`;
    });
    if (scanned.multiple)
      throw new DataApiError('ValidationException', 400, "Multistatements aren't supported.");
    return { text: scanned.text, values };
  };

  const encode = async (
    pool: pg.Pool,
    result: pg.QueryArrayResult,
    input: Record<string, unknown>,
  ): Promise<Record<string, unknown>> => {
    const fields = result.fields ?? [];
    const command = result.command;
    const updated = ['INSERT', 'UPDATE', 'DELETE', 'MERGE', 'COPY'].includes(command)
      ? (result.rowCount ?? 0)
      : 0;
    if (!fields.length) return { numberOfRecordsUpdated: updated, generatedFields: [] };
    await describe(
      pool,
      fields.map((f) => f.dataTypeID),
    );
    const encodeOptions = (input.resultSetOptions ?? {}) as EncodeOptions;
    let encoders: ((text: string | null) => Field)[];
    try {
      encoders = fields.map((f) =>
        columnEncoder(f.dataTypeID, typeCache.get(f.dataTypeID), encodeOptions),
      );
    } catch (e) {
      if (e instanceof UnsupportedType)
        throw new DataApiError('UnsupportedResultException', 400, e.message);
      throw e;
    }
    const records = (result.rows as (string | null)[][]).map((row) =>
      row.map((value, i) => encoders[i](value)),
    );
    for (const record of records) {
      const size = Buffer.byteLength(JSON.stringify(record));
      largest.row = Math.max(largest.row, size);
      // Docs (troubleshooting): "Packet for query is too large".
      if (size > limits.row) throw badRequest('Packet for query is too large');
    }
    const out: Record<string, unknown> = { numberOfRecordsUpdated: updated, generatedFields: [] };
    if (input.formatRecordsAs === 'JSON') {
      out.formattedRecords = JSON.stringify(
        records.map((r) => Object.fromEntries(r.map((f, i) => [fields[i].name, jsonValue(f)]))),
      );
    } else out.records = records;
    if (input.includeResultMetadata)
      out.columnMetadata = fields.map((f) => ({
        name: f.name,
        label: f.name,
        typeName: typeCache.get(f.dataTypeID)?.name ?? '',
        type: 0,
      }));
    return out;
  };

  const handlers: Record<DataApiOperation, (input: Record<string, unknown>) => Promise<unknown>> = {
    async BeginTransaction(input) {
      const pool = poolFor(String(input.secretArn), input.database as string | undefined);
      const client = await connect(pool);
      await client.query('BEGIN');
      const id = randomBytes(48).toString('base64');
      const now = Date.now();
      transactions.set(id, { id, client, pool, started: now, lastUsed: now, busy: false });
      return { transactionId: id };
    },
    async CommitTransaction(input) {
      const tx = takeTransaction(String(input.transactionId ?? ''));
      try {
        await endTransaction(tx, 'COMMIT', 'Transaction has been committed');
      } catch (e) {
        throw asDatabaseError(e);
      }
      return { transactionStatus: 'Transaction Committed' };
    },
    async RollbackTransaction(input) {
      const tx = takeTransaction(String(input.transactionId ?? ''));
      await endTransaction(tx, 'ROLLBACK', 'Transaction has been rolled back').catch(
        () => undefined,
      );
      return { transactionStatus: 'Rollback Complete' };
    },
    async ExecuteStatement(input) {
      if (typeof input.sql !== 'string' || !input.sql.trim()) throw badRequest('SQL is required');
      const { text, values } = bind(input.sql, input.parameters as SqlParameter[] | undefined);
      return statement(input, async (client, pool) =>
        encode(pool, await run(client, text, values, input.continueAfterTimeout === true), input),
      );
    },
    async BatchExecuteStatement(input) {
      if (typeof input.sql !== 'string' || !input.sql.trim()) throw badRequest('SQL is required');
      const sets = (input.parameterSets as SqlParameter[][] | undefined) ?? [[]];
      const bound = sets.map((set) => bind(input.sql as string, set));
      return statement(input, async (client) => {
        const own = !input.transactionId;
        if (own) await client.query('BEGIN');
        try {
          for (const b of bound) await run(client, b.text, b.values, false);
          if (own) await client.query('COMMIT');
        } catch (e) {
          if (own) await client.query('ROLLBACK').catch(() => undefined);
          throw e;
        }
        return { updateResults: bound.map(() => ({ generatedFields: [] })) };
      });
    },
  };

  /** A statement on its transaction's connection, or on a pooled one (autocommit). */
  const statement = async <T>(
    input: Record<string, unknown>,
    body: (client: pg.PoolClient, pool: pg.Pool) => Promise<T>,
  ): Promise<T> => {
    const id = input.transactionId as string | undefined;
    if (id) {
      const tx = takeTransaction(id);
      try {
        return await body(tx.client, tx.pool);
      } catch (e) {
        // Docs (troubleshooting): an error ends the transaction; its id is then not found.
        await endTransaction(
          tx,
          'ROLLBACK',
          'Transaction has been aborted due to an error from a previous call',
        ).catch(() => undefined);
        throw asDatabaseError(e);
      } finally {
        tx.busy = false;
        tx.lastUsed = Date.now();
      }
    }
    const pool = poolFor(String(input.secretArn), input.database as string | undefined);
    const client = await connect(pool);
    try {
      return await body(client, pool);
    } catch (e) {
      throw asDatabaseError(e);
    } finally {
      client.release();
    }
  };

  const server: Server = createServer((req, res) => {
    void serve(req, res);
  });
  const serve = async (req: IncomingMessage, res: ServerResponse) => {
    let payload: unknown;
    try {
      const operation =
        DATA_API_OPERATIONS[req.url?.split('?')[0] as keyof typeof DATA_API_OPERATIONS];
      if (req.method !== 'POST' || !operation)
        throw new DataApiError(
          'UnknownOperationException',
          404,
          `${req.method} ${req.url} is not a Data API operation`,
        );
      const headerBytes = req.rawHeaders.reduce((n, h) => n + Buffer.byteLength(h) + 2, 0);
      const body = await readBody(req, limits.request - headerBytes);
      const input = (body.length ? JSON.parse(body.toString('utf8')) : {}) as Record<
        string,
        unknown
      >;
      requireArns(operation, input);
      calls[operation]++;
      options.onCall?.(operation, input);
      payload = await handlers[operation](input);
    } catch (e) {
      const error = asDataApiError(e);
      const text = JSON.stringify({ message: error.message, ...error.extra });
      res.writeHead(error.status, {
        'content-type': 'application/json',
        'x-amzn-errortype': error.type,
        'content-length': Buffer.byteLength(text),
      });
      res.end(text);
      return;
    }
    const text = JSON.stringify(payload);
    const size = Buffer.byteLength(text);
    largest.response = Math.max(largest.response, size);
    if (size > limits.response) {
      // Docs (troubleshooting): "Database response exceeded size limit".
      const message = JSON.stringify({ message: 'Database response exceeded size limit' });
      res.writeHead(400, {
        'content-type': 'application/json',
        'x-amzn-errortype': 'BadRequestException',
      });
      res.end(message);
      return;
    }
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': size });
    res.end(text);
  };

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    calls,
    largest,
    async close() {
      clearInterval(sweeper);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const tx of [...transactions.values()])
        await endTransaction(tx, 'ROLLBACK', 'endpoint closed').catch(() => undefined);
      for (const pool of pools.values()) await pool.end().catch(() => undefined);
    },
  };
}

function requireArns(operation: DataApiOperation, input: Record<string, unknown>) {
  for (const field of ['resourceArn', 'secretArn'])
    if (typeof input[field] !== 'string' || !(input[field] as string))
      throw badRequest(`${field} is required for ${operation}`);
}

async function connect(pool: pg.Pool): Promise<pg.PoolClient> {
  try {
    return await pool.connect();
  } catch (e) {
    throw asDatabaseError(e);
  }
}

async function cancelBackend(url: string, pid: number) {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('select pg_cancel_backend($1)', [pid]);
  } finally {
    await c.end();
  }
}

function readBody(req: IncomingMessage, max: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let over = false;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > max) over = true;
      else chunks.push(chunk);
    });
    req.on('end', () =>
      over
        ? reject(badRequest('Request size exceeds the 4 MiB limit of the Data API'))
        : resolve(Buffer.concat(chunks)),
    );
    req.on('error', reject);
  });
}

function jsonValue(f: Field): unknown {
  if ('isNull' in f) return null;
  if ('booleanValue' in f) return f.booleanValue;
  if ('longValue' in f) return f.longValue;
  if ('doubleValue' in f) return f.doubleValue;
  if ('stringValue' in f) return f.stringValue;
  if ('blobValue' in f) return f.blobValue;
  return f.arrayValue;
}
