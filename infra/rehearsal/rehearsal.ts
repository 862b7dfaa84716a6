/**
 * The deploy rehearsal: synthesize the CDK app offline (bundling the functions as `cdk deploy`
 * does), read the templates, and stand up what they describe on this machine: the template's
 * secrets in a Secrets Manager stand-in, its buckets in the local S3 engine, its table in dynalite,
 * its cluster as the local Data API endpoint on a fresh PostgreSQL database, its state machines in a
 * Step Functions stand-in, its HTTP API, and every function as forked processes running the built
 * bundle with only the template's environment. Every AWS call is checked against the caller's
 * policy in the template. Then `deploy()` runs the deploy triggers (the migration).
 */
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { GetObjectCommand, S3Client } from '@aws-sdk/client-s3';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { buildApp, REPO_ROOT } from '../aws/app-builder';
import { type LocalDataApi, startDataApi } from '../local/data-api/server';
import { type LocalS3, startLocalS3 } from '../local/s3-server';
import { FunctionUrl, HttpApi } from './api-gateway';
import { Fleet } from './fleet';
import { type Gate, startGate } from './gate';
import { Principals } from './iam';
import { type LocalSecretsManager, startSecretsManager } from './secrets-manager';
import { type LocalStepFunctions, startStepFunctions } from './step-functions';
import { type Deployment, REGION, readDeployment } from './template';

export interface RehearsalOptions {
  /** The PostgreSQL server the cluster stands for (a fresh database is created on it). */
  readonly databaseUrl: string;
  /** CDK context on top of cdk.json's, e.g. `{ allowSimulator: true }` (what `-c` would pass). */
  readonly context?: Record<string, unknown>;
  /** A function's log lines. @default dropped unless REHEARSAL_LOGS=1 */
  readonly log?: (fn: string, line: string) => void;
  /** Wait states and retries in milliseconds (time compression; the ASL is otherwise as synthesized). */
  readonly waitMs?: number;
  readonly retryMs?: number;
  /**
   * Change the synthesized assembly before it is read (the lane's own tests use it to prove that a
   * missing variable or grant fails). Receives the assembly directory.
   */
  readonly tamper?: (assemblyDir: string) => void;
}

export interface Rehearsal {
  readonly deployment: Deployment;
  readonly api: HttpApi;
  /** The template's function URLs, by function name (the run stream). */
  readonly urls: Readonly<Record<string, FunctionUrl>>;
  readonly fleet: Fleet;
  readonly principals: Principals;
  readonly dataApi: LocalDataApi;
  readonly stepFunctions: LocalStepFunctions;
  readonly secrets: LocalSecretsManager;
  /** The database the cluster's database name stands for. */
  readonly databaseUrl: string;
  readonly synthMs: number;
  /** Calls to an AWS service the rehearsal has no stand-in for (they are refused, never sent out). */
  readonly unknownCalls: string[];
  /** The last 50 log lines of a function (its errors explain a 500). */
  logs(fn: string): string[];
  /**
   * The same app synthesized again with other context (the bundles already built are reused), e.g.
   * a deployment without an opt-in; its functions can be swapped into the fleet.
   */
  resynthesize(context: Record<string, unknown>, name: string): Deployment;
  /** Runs the deploy triggers (CDK Triggers), in template order; returns their results. */
  deploy(): Promise<unknown[]>;
  close(): Promise<void>;
}

export async function startRehearsal(options: RehearsalOptions): Promise<Rehearsal> {
  const closers: Array<() => Promise<void>> = [];
  const close = async () => {
    for (const c of closers.reverse()) await c().catch(() => undefined);
  };
  try {
    return await start(options, closers, close);
  } catch (e) {
    await close();
    throw e;
  }
}

async function start(
  options: RehearsalOptions,
  closers: Array<() => Promise<void>>,
  close: () => Promise<void>,
): Promise<Rehearsal> {
  const root = mkdtempSync(path.join(os.tmpdir(), 'hishamos-rehearsal-'));
  closers.push(async () => rmSync(root, { recursive: true, force: true }));
  // Lambda's Node runtime provides the AWS SDK v3 and nothing else: the bundles find exactly that.
  mkdirSync(path.join(root, 'node_modules'));
  symlinkSync(
    path.join(REPO_ROOT, 'node_modules', '@aws-sdk'),
    path.join(root, 'node_modules', '@aws-sdk'),
  );

  const synthStarted = Date.now();
  const assemblyDir = synthesize(root, 'cdk.out', options.context ?? {}, true);
  const synthMs = Date.now() - synthStarted;
  options.tamper?.(assemblyDir);
  const deployment = readDeployment(assemblyDir);

  const principals = new Principals();
  const secrets = await startSecretsManager(principals, deployment.secrets);
  closers.push(() => secrets.close());

  // The cluster: a fresh database on the server; the owner secret logs in as the server's user,
  // any other secret as the user (and password) it holds, as Aurora does.
  const cluster = deployment.clusters[0];
  if (!cluster || deployment.clusters.length > 1)
    throw new Error(
      `the rehearsal expects one Aurora cluster, found ${deployment.clusters.length}`,
    );
  const dbName = `hishamos_rh_${process.pid}_${Math.random().toString(36).slice(2, 8)}`;
  const admin = new pg.Client({ connectionString: options.databaseUrl });
  await admin.connect();
  await admin.query(`create database ${dbName}`);
  await admin.end();
  closers.push(async () => {
    const c = new pg.Client({ connectionString: options.databaseUrl });
    await c.connect();
    await c.query(`drop database if exists ${dbName} with (force)`);
    await c.end();
  });
  const server = new URL(options.databaseUrl);
  const dataApi = await startDataApi({
    databaseUrl: options.databaseUrl,
    databases: { [cluster.databaseName]: dbName },
    secrets: (arn) => {
      const value = secrets.value(arn);
      if (value === undefined) return undefined;
      if (arn === cluster.masterSecretArn)
        return { user: decodeURIComponent(server.username), password: server.password };
      const login = JSON.parse(value) as { username?: string; password?: string };
      return login.username ? { user: login.username, password: login.password } : undefined;
    },
  });
  closers.push(() => dataApi.close());

  const s3: LocalS3 = await startLocalS3({
    buckets: deployment.buckets,
    credentials: { accessKeyId: 'rehearsal-admin', secretAccessKey: Principals.SECRET_KEY },
    moreCredentials: (key) => (principals.has(key) ? Principals.SECRET_KEY : undefined),
    region: REGION,
  });
  closers.push(() => s3.close());

  const dynamoUrl = await startDynalite(closers);
  await createTables(dynamoUrl, deployment);

  const gates: Record<string, Gate> = {};
  for (const [service, upstream] of [
    ['s3', s3.endpoint],
    ['dynamodb', dynamoUrl],
    ['rds-data', dataApi.url],
  ] as const) {
    gates[service] = await startGate(service, upstream, principals);
    const g = gates[service];
    closers.push(() => g.close());
  }

  // Any other service (no stand-in yet) lands here and is refused and recorded: no call leaves.
  const unknownCalls: string[] = [];
  const catchAll = await startCatchAll(unknownCalls);
  closers.push(() => catchAll.close());

  const endpoints: Record<string, string> = {
    AWS_ENDPOINT_URL: catchAll.url,
    AWS_ENDPOINT_URL_S3: gates.s3.url,
    AWS_ENDPOINT_URL_DYNAMODB: gates.dynamodb.url,
    AWS_ENDPOINT_URL_RDS_DATA: gates['rds-data'].url,
    AWS_ENDPOINT_URL_SECRETS_MANAGER: secrets.url,
  };
  // The last lines of each function's log, for failure messages; all of them with REHEARSAL_LOGS=1.
  const logs = new Map<string, string[]>();
  const log = (fn: string, line: string) => {
    const kept = logs.get(fn) ?? [];
    kept.push(line);
    if (kept.length > 50) kept.shift();
    logs.set(fn, kept);
    if (options.log) options.log(fn, line);
    else if (process.env.REHEARSAL_LOGS === '1') process.stderr.write(`[${fn}] ${line}\n`);
  };
  const fleet = new Fleet(deployment.functions, { endpoints, principals, log });
  closers.push(() => fleet.close());
  const stepFunctions = await startStepFunctions(
    deployment.stateMachines,
    deployment.rules,
    fleet,
    principals,
    {
      waitMs: options.waitMs,
      retryMs: options.retryMs,
      // The map's own read of its item list (the role's GetObject is checked by the stand-in).
      readObject: async (bucket, key) => {
        const client = new S3Client({
          endpoint: s3.endpoint,
          forcePathStyle: true,
          region: REGION,
          credentials: { accessKeyId: 'rehearsal-admin', secretAccessKey: Principals.SECRET_KEY },
        });
        try {
          const got = await client.send(new GetObjectCommand({ Bucket: bucket, Key: key }));
          return got.Body ? await got.Body.transformToString() : '';
        } finally {
          client.destroy();
        }
      },
    },
  );
  closers.push(() => stepFunctions.close());
  endpoints.AWS_ENDPOINT_URL_SFN = stepFunctions.url;

  const dbUrl = new URL(options.databaseUrl);
  dbUrl.pathname = `/${dbName}`;
  return {
    deployment,
    api: new HttpApi(deployment.routes, fleet),
    urls: Object.fromEntries(
      deployment.functionUrls.map((u) => [
        u.function,
        new FunctionUrl(u.function, u.invokeMode, fleet),
      ]),
    ),
    fleet,
    principals,
    dataApi,
    stepFunctions,
    secrets,
    databaseUrl: dbUrl.toString(),
    synthMs,
    unknownCalls,
    logs: (fn) => logs.get(fn) ?? [],
    resynthesize: (context, name) =>
      readDeployment(synthesize(root, `cdk.out-${name}`, context, false)),
    deploy: async () => {
      const results: unknown[] = [];
      for (const fn of deployment.triggers)
        results.push(await fleet.invoke(fn, { RequestType: 'Create', ResourceProperties: {} }));
      return results;
    },
    close,
  };
}

/** `cdk synth` of the app into `<root>/<name>`: cdk.json's context plus `context`. */
function synthesize(
  root: string,
  name: string,
  context: Record<string, unknown>,
  bundle: boolean,
): string {
  const assemblyDir = path.join(root, name);
  const cdkJson = JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')) as {
    context?: Record<string, unknown>;
  };
  const built = buildApp({
    outdir: assemblyDir,
    functionsDir: path.join(root, 'functions'),
    context: { ...cdkJson.context, ...context },
    bundle,
    // cdk-nag reads the same templates; `cdk synth` in CI runs it. The lane needs only the output.
    nag: false,
  });
  built.app.synth();
  return assemblyDir;
}

async function startCatchAll(
  calls: string[],
): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    const scope = /Credential=[^/]+\/[^/]+\/[^/]+\/([^/]+)\//.exec(
      String(req.headers.authorization ?? ''),
    );
    calls.push(
      `${scope?.[1] ?? 'unknown'} ${req.headers['x-amz-target'] ?? `${req.method} ${req.url}`}`,
    );
    req.resume();
    res.writeHead(501, { 'content-type': 'application/json' });
    res.end(
      JSON.stringify({
        __type: 'NotImplemented',
        message: 'the rehearsal has no stand-in for this service',
      }),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

async function startDynalite(closers: Array<() => Promise<void>>): Promise<string> {
  const { default: dynalite } = await import('dynalite');
  const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  closers.push(() => new Promise((resolve) => server.close(() => resolve())));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Creates each template table with its key schema and indexes (the app's own keys). */
async function createTables(url: string, deployment: Deployment): Promise<void> {
  const client = new DynamoDBClient({
    endpoint: url,
    region: REGION,
    credentials: { accessKeyId: 'rehearsal-admin', secretAccessKey: Principals.SECRET_KEY },
  });
  for (const t of deployment.tables) {
    const p = t.resource.Properties ?? {};
    const gsis = (p.GlobalSecondaryIndexes ?? []) as Array<Record<string, unknown>>;
    await client.send(
      new CreateTableCommand({
        TableName: t.name,
        BillingMode: 'PAY_PER_REQUEST',
        AttributeDefinitions: p.AttributeDefinitions as never,
        KeySchema: p.KeySchema as never,
        ...(gsis.length
          ? {
              GlobalSecondaryIndexes: gsis.map((g) => ({
                IndexName: g.IndexName,
                KeySchema: g.KeySchema,
                Projection: g.Projection,
              })) as never,
            }
          : {}),
      }),
    );
  }
  client.destroy();
}
