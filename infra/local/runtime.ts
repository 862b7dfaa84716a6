/**
 * The whole platform in one Node process: the manifest's handlers behind a local API Gateway, the
 * ASL files in aws-local-stepfunctions, PGlite + pgvector (or DATABASE_URL), dynalite, a local
 * S3-compatible store and the encrypted local secret store. Binds to loopback only.
 */
import { LocalAnchorStore } from './local-anchors';
import { makePrivate } from './private-files';
import { randomBytes } from 'node:crypto';
import { inArray } from 'drizzle-orm';
import { mkdir } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import {
  CreateTableCommand,
  DynamoDBClient,
  ResourceInUseException,
} from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { parseConfig, type Config } from '../../shared/config';
import { openDatabase, type Database } from '../../shared/db/client';
import { migrate } from '../../shared/db/migrate';
import { runs } from '../../shared/db/schema';
import { resumeRun } from '../../shared/runs/resume-run';
import { createLogger, type Logger } from '../../shared/observability/logger';
import { installMetrics, PrometheusRegistry } from '../../shared/observability/metrics';
import { installOtlpTracing, installTracing } from '../../shared/observability/tracing-sdk';
import type { SpanExporter } from '@opentelemetry/sdk-trace-base';
import { authenticate } from '../../shared/auth/authenticate';
import { roleAllows } from '../../shared/auth/roles';
import { toErrorResponse } from '../../shared/http/error-mapping';
import { installPlatform, type Platform } from '../../shared/platform/platform';
import { functions, type FunctionName, type FunctionSpec } from '../manifest';
import { type LocalDataApi, startDataApi } from './data-api/server';
import { invoke } from './handlers';
import { createApiServer } from './http-server';
import { LocalExecutions } from './local-executions';
import { LocalSecretStore } from './local-secrets';
import { type CorsRule, startLocalS3 } from './s3-server';
import { seedDemo, type SeedResult } from './seed';
import { LocalScheduler, localScheduleTimers } from './local-schedules';

export interface LocalOptions {
  root: string;
  dataDir: string;
  /** 0 picks a free port. */
  port: number;
  webDir?: string;
  env?: Record<string, string | undefined>;
  /** Persist dynalite and S3 to disk (off for tests: in-memory and fast). */
  persist?: boolean;
  seed?: boolean;
  retryIntervalMs?: number;
  onProgress?: (step: string, ms: number) => void;
  /** Where log lines go (default stdout); tests capture them to scan for secrets. */
  logSink?: (line: string) => void;
  /** The platform clock (tests pin it to keep rate-limit windows and expiries deterministic). */
  now?: () => number;
  /** Where spans go (tests: an in-memory exporter); else OTLP when OTEL_EXPORTER_OTLP_ENDPOINT is set. */
  spanExporter?: SpanExporter;
  /**
   * PGlite only: a `dumpDataDir` tarball to start from (tests pass a migrated cluster, which skips
   * initdb; the migrations still run and apply what the dump lacks).
   */
  pgliteDump?: Blob;
}

export interface LocalRuntime {
  url: string;
  /** The local Data API endpoint, when the runtime runs the Data API driver. */
  dataApi?: LocalDataApi;
  platform: Platform;
  executions: LocalExecutions;
  seed?: SeedResult;
  /** The metrics `/metrics` renders (admins only). */
  metrics: PrometheusRegistry;
  /** User schedules' timer: `tick()` fires what is due by the platform clock (tests drive it). */
  schedules: LocalScheduler;
  close(): Promise<void>;
}

export async function startLocal(options: LocalOptions): Promise<LocalRuntime> {
  const env = options.env ?? process.env;
  // Loopback is where local models and the test fakes listen; in AWS it stays refused (ADR 052).
  const config = parseConfig({
    OUTBOUND_ALLOW_LOOPBACK: 'true',
    ...env,
    LOG_LEVEL: env.LOG_LEVEL ?? 'warn',
  });
  const log = createLogger(config.LOG_LEVEL, options.logSink);
  const registry = new PrometheusRegistry();
  installMetrics(registry);
  if (options.spanExporter) installTracing({ exporter: options.spanExporter, simple: true });
  else if (config.OTEL_EXPORTER_OTLP_ENDPOINT)
    installOtlpTracing(config.OTEL_EXPORTER_OTLP_ENDPOINT, { flushEachInvocation: false });
  const progress = timer(options.onProgress);
  // The data directory holds password hashes and secrets: private to the user (0700, files 0600),
  // and files created from now on are private too.
  await mkdir(options.dataDir, { recursive: true, mode: 0o700 });
  if (options.persist) process.umask(0o077);
  await makePrivate(options.dataDir);
  const closers: (() => Promise<void>)[] = [];

  const { db, dataApi } = await progress('database', () =>
    openLocalDatabase(config, options.dataDir, env, options.pgliteDump),
  );
  closers.push(() => db.close());
  if (dataApi) closers.push(() => dataApi.close());
  await progress('migrations', () => migrate(db.owner, join(options.root, 'shared/db/migrations')));

  const dynamo = await progress('dynamodb (dynalite)', () =>
    startDynalite(config, options.persist ? join(options.dataDir, 'dynamo') : undefined, closers),
  );
  const { client: s3, origin: storageOrigin } = await progress('s3 (local engine)', () =>
    startS3(config, options.persist ? join(options.dataDir, 's3-local') : undefined, closers),
  );
  const secrets = await LocalSecretStore.open(options.dataDir, env.HISHAMOS_MASTER_KEY);
  if (!(await secrets.get(config.JWT_SECRET_ID)))
    await secrets.put(config.JWT_SECRET_ID, randomBytes(48).toString('base64url'));

  const executions = await progress(
    'state machines',
    async () =>
      new LocalExecutions({
        root: options.root,
        log,
        retryIntervalMs: options.retryIntervalMs,
        // The Distributed Map's ItemReader reads the local S3 engine, as the map reads S3 in AWS.
        readObject: async (bucket, key) => {
          const got = await s3.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return got.Body ? await got.Body.transformToString() : '';
        },
      }),
  );
  const platform: Platform = {
    config,
    db,
    anchors: new LocalAnchorStore(join(options.dataDir, 'audit-anchors')),
    scheduleTimers: localScheduleTimers,
    secrets,
    executions,
    dynamo,
    s3,
    log,
    now: options.now ?? Date.now,
  };
  installPlatform(platform);

  const seed =
    options.seed === false
      ? undefined
      : await progress('demo tenant', () =>
          seedDemo(platform, env.HISHAMOS_ADMIN_PASSWORD || undefined),
        );

  const server = createApiServer({
    root: options.root,
    webDir: options.webDir,
    storageOrigin,
    endpoints: {
      // Prometheus scrapes with an admin's token or API key.
      async metrics(authorization) {
        try {
          const auth = await authenticate(platform, authorization);
          if (!roleAllows(auth.role, 'admin'))
            return {
              status: 403,
              body: JSON.stringify({
                error: {
                  code: 'Forbidden',
                  message: `/metrics needs role admin; you are ${auth.role}`,
                },
              }),
            };
          return { status: 200, body: registry.render() };
        } catch (error) {
          const mapped = toErrorResponse(error);
          return { status: mapped.status, body: JSON.stringify(mapped.body) };
        }
      },
    },
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', (e: NodeJS.ErrnoException) =>
      reject(
        e.code === 'EADDRINUSE'
          ? new Error(
              `port ${options.port} on 127.0.0.1 is in use: stop the other process or set PORT`,
            )
          : e,
      ),
    );
    server.listen(options.port, '127.0.0.1', resolve);
  }).catch(async (e) => {
    for (const close of closers) await close().catch(() => undefined);
    throw e;
  });
  const { port } = server.address() as AddressInfo;
  // Executions live in this process's memory: runs a crash left in flight continue from their
  // persisted state (in AWS, Step Functions keeps executions and the status rule settles failures).
  const resumed = await progress('resume runs', () => resumeInterruptedRuns(platform));
  if (resumed) log.info('resumed runs left in flight by the previous process', { count: resumed });
  closers.unshift(() => new Promise((resolve) => server.close(() => resolve())));
  closers.unshift(() => executions.idle());
  // Manifest schedules (EventBridge Scheduler in AWS) as timers: on for `npm start`, off in tests unless HISHAMOS_SCHEDULES=1.
  const scheduler = new LocalScheduler(options.root, log);
  if (env.HISHAMOS_SCHEDULES === '1' || (options.persist && env.HISHAMOS_SCHEDULES !== '0')) {
    closers.unshift(startSchedules(options.root, log));
    // User schedules: missed firings once now, then a poll on the platform clock.
    await progress('schedules', () => scheduler.start(schedulePollMs(env)));
    closers.unshift(async () => scheduler.stop());
  }

  return {
    url: `http://127.0.0.1:${port}`,
    dataApi,
    platform,
    executions,
    seed,
    metrics: registry,
    schedules: scheduler,
    async close() {
      for (const close of closers)
        await close().catch((e) => log.warn('shutdown step failed', { error: e }));
    },
  };
}

/** How often the local timer looks for due schedules (ms). */
function schedulePollMs(env: Record<string, string | undefined>): number {
  const ms = Number(env.HISHAMOS_SCHEDULE_POLL_MS ?? 15_000);
  if (!Number.isInteger(ms) || ms < 100)
    throw new Error(
      'HISHAMOS_SCHEDULE_POLL_MS must be a whole number of milliseconds, at least 100',
    );
  return ms;
}

function startSchedules(root: string, log: Logger): () => Promise<void> {
  const timers = (Object.entries(functions) as [FunctionName, FunctionSpec][])
    .flatMap(([name, spec]) => (spec.schedule ? [{ name, every: spec.schedule.everyMinutes }] : []))
    .map(({ name, every }) =>
      setInterval(
        () =>
          void invoke(root, name, { source: 'local.scheduler' }).catch((error) =>
            log.warn('scheduled task failed', { name, error }),
          ),
        every * 60_000,
      ).unref(),
    );
  return async () => timers.forEach(clearInterval);
}

/** Every tenant's QUEUED/RUNNING runs (an owner read: the runtime acts for all tenants here). */
async function resumeInterruptedRuns(p: Platform): Promise<number> {
  const inFlight = await p.db.owner
    .select({ id: runs.id, tenantId: runs.tenantId })
    .from(runs)
    .where(inArray(runs.status, ['QUEUED', 'RUNNING']));
  let resumed = 0;
  for (const run of inFlight) {
    try {
      if (await resumeRun(p, run.tenantId, run.id)) resumed++;
    } catch (error) {
      // launch() has already failed the run with the reason; the others still resume.
      p.log.error('could not resume a run', { runId: run.id, error });
    }
  }
  return resumed;
}

/**
 * PGlite by default; the PostgreSQL server at DATABASE_URL; or, with HISHAMOS_DB_DRIVER=data-api,
 * that server behind the local RDS Data API endpoint, so the application runs the AWS code path.
 */
async function openLocalDatabase(
  config: Config,
  dataDir: string,
  env: Record<string, string | undefined>,
  pgliteDump?: Blob,
): Promise<{ db: Database; dataApi?: LocalDataApi }> {
  if (config.HISHAMOS_DB_DRIVER === 'data-api') {
    if (!config.DATABASE_URL)
      throw new Error('HISHAMOS_DB_DRIVER=data-api needs DATABASE_URL (a PostgreSQL server)');
    const dataApi = await startDataApi({ databaseUrl: config.DATABASE_URL });
    const db = await openDatabase({
      driver: 'data-api',
      endpoint: dataApi.url,
      resourceArn: config.DB_CLUSTER_ARN ?? LOCAL_CLUSTER_ARN,
      secretArn: config.DB_SECRET_ARN ?? LOCAL_SECRET_ARN,
      database: new URL(config.DATABASE_URL).pathname.slice(1),
      region: config.AWS_REGION,
    });
    return { db, dataApi };
  }
  if (config.DATABASE_URL)
    return { db: await openDatabase({ driver: 'pg', url: config.DATABASE_URL }) };
  return {
    db: await openDatabase({
      driver: 'pglite',
      dataDir: env.HISHAMOS_PGLITE_MEMORY === '1' ? undefined : join(dataDir, 'pglite'),
      loadDataDir: pgliteDump,
    }),
  };
}

const LOCAL_CLUSTER_ARN = 'arn:aws:rds:us-east-1:000000000000:cluster:hishamos-local';
const LOCAL_SECRET_ARN = 'arn:aws:secretsmanager:us-east-1:000000000000:secret:hishamos-local-db';

const LOCAL_CREDENTIALS = { accessKeyId: 'local', secretAccessKey: 'local' };

async function startDynalite(
  config: Config,
  path: string | undefined,
  closers: (() => Promise<void>)[],
): Promise<DynamoDBClient> {
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({
    createTableMs: 0,
    deleteTableMs: 0,
    updateTableMs: 0,
    ...(path ? { path } : {}),
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  const client = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: config.AWS_REGION,
    credentials: LOCAL_CREDENTIALS,
  });
  try {
    await client.send(
      new CreateTableCommand({
        TableName: config.TABLE_NAME,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: [
          { AttributeName: 'pk', AttributeType: 'S' },
          { AttributeName: 'sk', AttributeType: 'S' },
        ],
        KeySchema: [
          { AttributeName: 'pk', KeyType: 'HASH' },
          { AttributeName: 'sk', KeyType: 'RANGE' },
        ],
      }),
    );
  } catch (e) {
    if (!(e instanceof ResourceInUseException)) throw e;
  }
  closers.push(async () => client.destroy());
  return client;
}

/** The one account the local S3 engine knows: not a secret, it guards nothing but a loopback port. */
export const LOCAL_S3_CREDENTIALS = {
  accessKeyId: 'HISHAMOSLOCAL',
  secretAccessKey: 'hishamos-local-s3-secret',
} as const;

/** Same CORS as the AWS documents bucket (data-stack.ts): the console PUTs uploads to presigned URLs. */
export const DOCUMENTS_CORS: readonly CorsRule[] = [
  { allowedMethods: ['PUT'], allowedOrigins: ['*'], allowedHeaders: ['*'], maxAgeSeconds: 3000 },
];

async function startS3(
  config: Config,
  directory: string | undefined,
  closers: (() => Promise<void>)[],
): Promise<{ client: S3Client; origin: string }> {
  const server = await startLocalS3({
    buckets: [
      { name: config.DOCUMENTS_BUCKET, cors: DOCUMENTS_CORS },
      { name: config.ARTIFACTS_BUCKET },
    ],
    credentials: LOCAL_S3_CREDENTIALS,
    region: config.AWS_REGION,
    directory,
  });
  closers.push(() => server.close());
  const client = new S3Client({
    endpoint: server.endpoint,
    region: config.AWS_REGION,
    credentials: LOCAL_S3_CREDENTIALS,
    forcePathStyle: true,
  });
  closers.push(async () => client.destroy());
  return { client, origin: new URL(server.endpoint).origin };
}

function timer(onProgress?: (step: string, ms: number) => void) {
  return async <T>(step: string, fn: () => Promise<T>): Promise<T> => {
    const started = performance.now();
    const out = await fn();
    onProgress?.(step, performance.now() - started);
    return out;
  };
}
