/**
 * Builds the whole CDK app from the manifest. `app.ts` calls it and synthesizes; tests call it to
 * synthesize in-process.
 */
import { App, Tags, Validations, type Environment } from 'aws-cdk-lib';
import { AwsSolutionsChecks } from 'cdk-nag';
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { bundleFunctionsSync, type BundleResult } from '../build/bundle';
import { acknowledgeCdkSingletons } from './nag';
import { ApiStack } from './stacks/api-stack';
import { DataStack } from './stacks/data-stack';
import { WebStack } from './stacks/web-stack';
import { WorkflowsStack } from './stacks/workflows-stack';

const HERE = path.dirname(fileURLToPath(import.meta.url));
export const REPO_ROOT = path.resolve(HERE, '..', '..');
/** Deployed instead of the console when web/dist has not been built, so synth never fails. */
export const PLACEHOLDER_WEB_DIR = path.join(HERE, 'placeholder-web');

export interface BuildAppOptions {
  /** An existing app (e.g. one the CDK CLI configured through context). @default a new App */
  readonly app?: App;
  /** Cloud assembly directory for a new App. @default CDK's default (cdk.out, or CDK_OUTDIR) */
  readonly outdir?: string;
  /** Prefix of the stack names. @default 'HishamOS' */
  readonly stackPrefix?: string;
  /** @default account/region from CDK_DEFAULT_ACCOUNT/CDK_DEFAULT_REGION (environment-agnostic if unset) */
  readonly env?: Environment;
  /**
   * Bundle the functions with esbuild before building the stacks. When false, `functionsDir` must
   * already hold the bundles.
   * @default true
   */
  readonly bundle?: boolean;
  /** Where bundles go / are read from. @default <repo>/dist/functions */
  readonly functionsDir?: string;
  /** Stub functions whose entry file is missing (tests while handlers are being written). @default false */
  readonly allowMissing?: boolean;
  /** @default <repo>/web/dist when it exists, otherwise the placeholder */
  readonly webDistDir?: string;
  /** Run cdk-nag's AwsSolutions pack. @default true */
  readonly nag?: boolean;
  /** Protect stateful resources (deletion protection, RETAIN). @default true */
  readonly protectData?: boolean;
  /** The console's public URL for links in GitHub/Jira comments. @default context `hishamos:publicUrl`, else none */
  readonly publicUrl?: string;
  /**
   * Let the offline simulator answer agent steps whose provider has no key. Off in AWS unless the
   * deployment opts in (`-c allowSimulator=true`): a keyless step then fails with ProviderNotConfigured.
   * @default context `allowSimulator`, else false
   */
  readonly allowSimulator?: boolean;
  /** E-mail subscribed to the alarm topic. @default context `hishamos:alarmEmail`, else none */
  readonly alarmEmail?: string;
  /**
   * Apply the manifest's reserved concurrency (agent steps capped so they cannot starve the API).
   * Needs an account concurrency limit above the reservations + 100.
   * @default context `hishamos:reserveConcurrency`, else true
   */
  readonly reserveConcurrency?: boolean;
  /** Extra context for a new App. */
  readonly context?: Record<string, unknown>;
}

export interface HishamApp {
  readonly app: App;
  readonly data: DataStack;
  readonly workflows: WorkflowsStack;
  readonly api: ApiStack;
  readonly web: WebStack;
  readonly bundle?: BundleResult;
  /** The directory the console asset was taken from. */
  readonly webDistDir: string;
}

function contextBool(app: App, key: string): boolean | undefined {
  const v = app.node.tryGetContext(key);
  if (v === undefined) return undefined;
  return v === true || v === 'true';
}

export function buildApp(opts: BuildAppOptions = {}): HishamApp {
  const app = opts.app ?? new App({ outdir: opts.outdir, context: opts.context });
  const prefix = opts.stackPrefix ?? app.node.tryGetContext('hishamos:stackPrefix') ?? 'HishamOS';
  const env: Environment | undefined =
    opts.env ??
    (process.env.CDK_DEFAULT_ACCOUNT || process.env.CDK_DEFAULT_REGION
      ? { account: process.env.CDK_DEFAULT_ACCOUNT, region: process.env.CDK_DEFAULT_REGION }
      : undefined);
  const functionsDir = path.resolve(opts.functionsDir ?? path.join(REPO_ROOT, 'dist', 'functions'));
  const allowMissing = opts.allowMissing ?? contextBool(app, 'hishamos:allowMissing') ?? false;

  let bundle: BundleResult | undefined;
  if (opts.bundle ?? true) bundle = bundleFunctionsSync({ outDir: functionsDir, allowMissing });

  const builtWeb = path.join(REPO_ROOT, 'web', 'dist');
  const webDistDir =
    opts.webDistDir ??
    (existsSync(path.join(builtWeb, 'index.html')) ? builtWeb : PLACEHOLDER_WEB_DIR);
  const protectData = opts.protectData ?? contextBool(app, 'hishamos:protectData') ?? true;

  const data = new DataStack(app, `${prefix}-Data`, {
    env,
    functionsDir,
    protectData,
    alarmEmail: opts.alarmEmail ?? app.node.tryGetContext('hishamos:alarmEmail'),
    description: 'HishamOS data: Aurora PostgreSQL, DynamoDB, S3, secrets',
  });
  const workflows = new WorkflowsStack(app, `${prefix}-Workflows`, {
    env,
    data,
    functionsDir,
    stateMachinesDir: path.join(REPO_ROOT, 'statemachines'),
    alarmTopic: data.alarms.topic,
    reserveConcurrency:
      opts.reserveConcurrency ?? contextBool(app, 'hishamos:reserveConcurrency') ?? true,
    description: 'HishamOS workflows: Step Functions state machines and their task functions',
  });
  const api = new ApiStack(app, `${prefix}-Api`, {
    env,
    data,
    executions: workflows.executionTargets,
    scheduler: workflows.schedulerRefs,
    functionsDir,
    alarmTopic: data.alarms.topic,
    prefix,
    description: 'HishamOS HTTP API',
  });
  const web = new WebStack(app, `${prefix}-Web`, {
    env,
    apiUrl: api.url,
    streamUrl: api.streamUrl,
    storageHosts: [data.documentsBucket.bucketRegionalDomainName],
    webDistDir,
    protectData,
    description: 'HishamOS console: S3 + CloudFront',
  });

  // The console's address (a custom domain in front of CloudFront) goes into links that tool steps
  // post to GitHub and Jira. Passed as context because the distribution is created after the API.
  const publicUrl = opts.publicUrl ?? app.node.tryGetContext('hishamos:publicUrl');
  if (publicUrl) {
    for (const fn of [...Object.values(workflows.functions), ...Object.values(api.functions)])
      fn?.fn.addEnvironment('PUBLIC_URL', String(publicUrl));
  }

  // Every function parses the same config; the simulator switch is set on all of them explicitly,
  // so no Lambda falls back to the local default (allowed).
  const allowSimulator = opts.allowSimulator ?? contextBool(app, 'allowSimulator') ?? false;
  for (const fn of [
    data.migrate,
    ...Object.values(workflows.functions),
    ...Object.values(api.functions),
  ])
    fn?.fn.addEnvironment('SIMULATOR_ALLOWED', String(allowSimulator));

  for (const stack of [data, workflows, api, web]) {
    Tags.of(stack).add('project', 'hishamos');
    acknowledgeCdkSingletons(stack);
  }

  if (opts.nag ?? true) {
    // cdk-nag 3.x is a policy-validation plugin (not an Aspect): findings land in the assembly's
    // validation report, and synthesis fails on an unacknowledged error.
    Validations.of(app).addPlugins(new AwsSolutionsChecks(app, { verbose: true }));
  }

  return { app, data, workflows, api, web, bundle, webDistDir };
}
