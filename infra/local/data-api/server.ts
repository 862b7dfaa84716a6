import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { asDatabaseError, asDataApiError, badRequest, DataApiError } from './errors';
import { runStatement } from './execution';
import { Transactions } from './transactions';
import { bindStatement, type SqlParameter } from './parameters';
import { ResultEncoder } from './results';

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
  const transactions = new Transactions({ idleMs: limits.idle, maxMs: limits.max });
  const calls = Object.fromEntries(
    Object.values(DATA_API_OPERATIONS).map((op) => [op, 0]),
  ) as Record<DataApiOperation, number>;
  const largest = { row: 0, response: 0 };
  const results = new ResultEncoder(limits.row, largest);
  const timeoutOf = (continueAfterTimeout: boolean) => ({
    ms: limits.statement,
    continueAfterTimeout,
    databaseUrl: options.databaseUrl,
  });

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

  const handlers: Record<DataApiOperation, (input: Record<string, unknown>) => Promise<unknown>> = {
    async BeginTransaction(input) {
      const pool = poolFor(String(input.secretArn), input.database as string | undefined);
      const client = await connect(pool);
      await client.query('BEGIN');
      return { transactionId: transactions.begin(client, pool) };
    },
    async CommitTransaction(input) {
      const tx = transactions.take(String(input.transactionId ?? ''));
      try {
        await transactions.end(tx, 'COMMIT', 'Transaction has been committed');
      } catch (e) {
        throw asDatabaseError(e);
      }
      return { transactionStatus: 'Transaction Committed' };
    },
    async RollbackTransaction(input) {
      const tx = transactions.take(String(input.transactionId ?? ''));
      await transactions
        .end(tx, 'ROLLBACK', 'Transaction has been rolled back')
        .catch(() => undefined);
      return { transactionStatus: 'Rollback Complete' };
    },
    async ExecuteStatement(input) {
      if (typeof input.sql !== 'string' || !input.sql.trim()) throw badRequest('SQL is required');
      const { text, values } = bindStatement(
        input.sql,
        input.parameters as SqlParameter[] | undefined,
      );
      return statement(input, async (client, pool) =>
        results.encode(
          pool,
          await runStatement(client, text, values, timeoutOf(input.continueAfterTimeout === true)),
          input,
        ),
      );
    },
    async BatchExecuteStatement(input) {
      if (typeof input.sql !== 'string' || !input.sql.trim()) throw badRequest('SQL is required');
      const sets = (input.parameterSets as SqlParameter[][] | undefined) ?? [[]];
      const bound = sets.map((set) => bindStatement(input.sql as string, set));
      return statement(input, async (client) => {
        const own = !input.transactionId;
        if (own) await client.query('BEGIN');
        try {
          for (const b of bound) await runStatement(client, b.text, b.values, timeoutOf(false));
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
      const tx = transactions.take(id);
      try {
        return await body(tx.client, tx.pool);
      } catch (e) {
        // Docs (troubleshooting): an error ends the transaction; its id is then not found.
        await transactions
          .end(tx, 'ROLLBACK', 'Transaction has been aborted due to an error from a previous call')
          .catch(() => undefined);
        throw asDatabaseError(e);
      } finally {
        transactions.release(tx);
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
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await transactions.close();
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
