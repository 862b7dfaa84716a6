/**
 * From a manifest entry's `uses` to environment variables (names from shared/config) and IAM grants.
 * Every grant a function holds is derived here, from the manifest, and nowhere else.
 */
import { Arn, ArnFormat, Stack, Validations } from 'aws-cdk-lib';
import type * as dynamodb from 'aws-cdk-lib/aws-dynamodb';
import * as iam from 'aws-cdk-lib/aws-iam';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as s3 from 'aws-cdk-lib/aws-s3';
import type * as secretsmanager from 'aws-cdk-lib/aws-secretsmanager';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { type Config, DEFAULT_TENANT_SECRETS_PREFIX } from '../../shared/config/index';
import { secretsOf, type BucketName, type BucketUse, type FunctionSpec } from '../manifest';
import type { HishamFunction } from './constructs/hisham-function';
import { nagArn, nagPseudo } from './nag';

/** Per-tenant secrets live under this prefix (the application's default, shared/config). */
export const TENANT_SECRETS_PREFIX = DEFAULT_TENANT_SECRETS_PREFIX;

export interface DataRefs {
  readonly cluster: rds.DatabaseCluster;
  readonly databaseName: string;
  /** The application's own database user (hishamos_api); the owner secret is `cluster.secret`. */
  readonly appSecret: secretsmanager.ISecret;
  readonly table: dynamodb.ITableV2;
  readonly documentsBucket: s3.IBucket;
  readonly artifactsBucket: s3.IBucket;
  readonly auditAnchorsBucket: s3.IBucket;
  readonly jwtSigningKey: secretsmanager.ISecret;
  readonly auditAnchorKey: secretsmanager.ISecret;
}

/** A state machine a function may start, with its (fixed) physical name for execution ARNs. */
export interface ExecutionTarget {
  readonly stateMachine: sfn.IStateMachine;
  readonly physicalName: string;
}

/** State machines a function may start, keyed by manifest name. */
export type ExecutionRefs = Readonly<Record<string, ExecutionTarget>>;

/**
 * User schedules (ADR 121): the EventBridge Scheduler group each schedule lives in, the function a
 * firing invokes, the role the scheduler invokes it with (the only role `manage` may pass) and the
 * dead-letter queue of firings that failed after their retries.
 */
export interface SchedulerRefs {
  readonly groupName: string;
  readonly targetArn: string;
  readonly roleArn: string;
  readonly deadLetterArn: string;
}

/** The schedules of one group: what a `scheduler: 'manage'` function may create, move, delete. */
export const SCHEDULER_MANAGE_ACTIONS = [
  'scheduler:CreateSchedule',
  'scheduler:UpdateSchedule',
  'scheduler:DeleteSchedule',
];

/** Env var per state machine, e.g. runWorkflow → RUN_WORKFLOW_STATE_MACHINE_ARN. */
export function stateMachineEnvName(name: string): keyof Config & string {
  return `${name.replace(/([a-z0-9])([A-Z])/g, '$1_$2').toUpperCase()}_STATE_MACHINE_ARN` as keyof Config &
    string;
}

type Env = Partial<Record<keyof Config, string>>;

/** The environment a function gets from what it uses. Only names that shared/config reads. */
export function environmentFor(
  spec: FunctionSpec,
  data: DataRefs,
  executions: ExecutionRefs = {},
  schedulerRefs?: SchedulerRefs,
): Record<string, string> {
  // Metrics leave Lambda as Embedded Metric Format log lines (ADR 071).
  const env: Env = { LOG_LEVEL: 'info', METRICS_FORMAT: 'emf' };
  const uses = spec.uses;
  if (uses.database) {
    env.HISHAMOS_DB_DRIVER = 'data-api';
    env.DB_CLUSTER_ARN = data.cluster.clusterArn;
    env.DB_SECRET_ARN =
      uses.database === 'owner' ? ownerSecret(data).secretArn : data.appSecret.secretArn;
    if (uses.database === 'owner') env.DB_APP_SECRET_ARN = data.appSecret.secretArn;
    env.DB_NAME = data.databaseName;
  }
  if (uses.table) env.TABLE_NAME = data.table.tableName;
  for (const { name: b } of uses.buckets ?? []) {
    if (b === 'documents') env.DOCUMENTS_BUCKET = data.documentsBucket.bucketName;
    if (b === 'artifacts') env.ARTIFACTS_BUCKET = data.artifactsBucket.bucketName;
    if (b === 'auditAnchors') env.AUDIT_ANCHOR_BUCKET = data.auditAnchorsBucket.bucketName;
  }
  for (const s of secretsOf(spec)) {
    if (s.name === 'jwtSigningKey') env.JWT_SECRET_ID = data.jwtSigningKey.secretArn;
    if (s.name === 'auditAnchorKey') env.AUDIT_ANCHOR_KEY_ID = data.auditAnchorKey.secretArn;
    if (s.name === 'tenantSecrets') env.TENANT_SECRETS_PREFIX = TENANT_SECRETS_PREFIX;
  }
  for (const name of uses.executions ?? []) {
    const sm = executions[name];
    if (!sm)
      throw new Error(
        `manifest: function uses execution "${name}" but no such state machine was built`,
      );
    (env as Record<string, string>)[stateMachineEnvName(name)] = sm.stateMachine.stateMachineArn;
  }
  if (uses.scheduler) {
    const refs = requiredScheduler(schedulerRefs);
    env.SCHEDULE_GROUP = refs.groupName;
    env.SCHEDULE_TARGET_ARN = refs.targetArn;
    env.SCHEDULE_ROLE_ARN = refs.roleArn;
    env.SCHEDULE_DLQ_ARN = refs.deadLetterArn;
  }
  return env as Record<string, string>;
}

/** The cluster's generated master secret (the owner of every table). */
function ownerSecret(data: DataRefs): secretsmanager.ISecret {
  const secret = data.cluster.secret;
  if (!secret) throw new Error('the Aurora cluster has no generated secret');
  return secret;
}

function bucketOf(data: DataRefs, b: BucketName): s3.IBucket {
  if (b === 'auditAnchors') return data.auditAnchorsBucket;
  return b === 'documents' ? data.documentsBucket : data.artifactsBucket;
}

/**
 * Data buckets are named `<data stack>-<kind>-<account>-<region>`, so a function in another stack
 * is granted exactly that bucket's objects by name (a cross-stack token would hide which bucket
 * from cdk-nag's finding id, and grantReadWrite adds wildcard actions the functions do not need).
 */
export function dataBucketName(
  dataStackName: string,
  kind: BucketName,
  account: string,
  region: string,
): string {
  // Bucket names are lowercase: `auditAnchors` → `audit-anchors`.
  const slug = kind.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
  return `${dataStackName.toLowerCase()}-${slug}-${account}-${region}`;
}

/** Object actions per bucket and access; audit anchors are written once under a retention (ADR 053). */
function objectActions({ name, access }: BucketUse): string[] {
  if (access === 'read') return ['s3:GetObject'];
  return name === 'auditAnchors'
    ? ['s3:GetObject', 's3:PutObject', 's3:PutObjectRetention']
    : ['s3:GetObject', 's3:PutObject', 's3:DeleteObject'];
}

function grantBucket(fn: HishamFunction, data: DataRefs, use: BucketUse): void {
  const b = use.name;
  const actions = objectActions(use);
  const stack = Stack.of(fn);
  const dataStack = bucketOf(data, b).stack.stackName;
  const bucketArn = `arn:${stack.partition}:s3:::${dataBucketName(dataStack, b, stack.account, stack.region)}`;
  // ListBucket only so that a missing key answers 404 (not 403) to HeadObject/GetObject.
  fn.fn.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['s3:ListBucket'], resources: [bucketArn] }),
  );
  fn.fn.addToRolePolicy(new iam.PolicyStatement({ actions, resources: [`${bucketArn}/*`] }));
  const p = nagPseudo(stack);
  Validations.of(fn.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:${p.partition}:s3:::${dataBucketName(dataStack, b, p.account, p.region)}/*]`,
    reason: `Object keys are derived at runtime from the request's tenant (documents, run payloads, chain anchors), so object access is granted on the ${b} bucket's objects (<bucket>/*), one bucket only, ${actions.map((a) => a.replace('s3:', '')).join('/')} only; the handler derives every key from the authenticated tenant.`,
  });
}

/** The RDS Data API calls shared/db makes (what `grantDataApiAccess` grants, minus the owner secret). */
export const DATA_API_ACTIONS = [
  'rds-data:BatchExecuteStatement',
  'rds-data:BeginTransaction',
  'rds-data:CommitTransaction',
  'rds-data:ExecuteStatement',
  'rds-data:RollbackTransaction',
];

/** What shared/platform/secrets-manager-store.ts calls: get; put, or create when new; delete. */
export const TENANT_SECRET_READ_ACTIONS = ['secretsmanager:GetSecretValue'];
export const TENANT_SECRET_WRITE_ACTIONS = [
  'secretsmanager:GetSecretValue',
  'secretsmanager:PutSecretValue',
  'secretsmanager:CreateSecret',
  'secretsmanager:DeleteSecret',
];

/** The ARN pattern of every per-tenant secret. */
export function tenantSecretsArn(stack: Stack): string {
  return Arn.format(
    {
      service: 'secretsmanager',
      resource: 'secret',
      resourceName: `${TENANT_SECRETS_PREFIX}*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
}

/** Grants derived from `uses`; explicit, one per resource kind. */
function requiredScheduler(refs: SchedulerRefs | undefined): SchedulerRefs {
  if (!refs)
    throw new Error('manifest: function uses the scheduler but no schedule group was built');
  return refs;
}

/** The ARN pattern of the schedules in one group. */
export function schedulesArn(stack: Stack, groupName: string): string {
  return Arn.format(
    { service: 'scheduler', resource: 'schedule', resourceName: `${groupName}/*` },
    stack,
  );
}

export function grantUses(
  fn: HishamFunction,
  spec: FunctionSpec,
  data: DataRefs,
  executions: ExecutionRefs = {},
  schedulerRefs?: SchedulerRefs,
): void {
  const uses = spec.uses;
  const lambdaFn = fn.fn;
  if (uses.database === 'owner') {
    // grantDataApiAccess also grants reading the owner secret (the Data API authenticates with it);
    // the migrate function also reads the app secret, to set the app user's password.
    data.cluster.grantDataApiAccess(lambdaFn);
    data.appSecret.grantRead(lambdaFn);
  } else if (uses.database) {
    // The Data API with the app user's secret: never the owner's.
    lambdaFn.addToRolePolicy(
      new iam.PolicyStatement({ actions: DATA_API_ACTIONS, resources: [data.cluster.clusterArn] }),
    );
    data.appSecret.grantRead(lambdaFn);
  }
  if (uses.table) data.table.grantReadWriteData(lambdaFn);
  for (const b of uses.buckets ?? []) grantBucket(fn, data, b);
  for (const s of secretsOf(spec)) {
    if (s.name === 'jwtSigningKey') data.jwtSigningKey.grantRead(lambdaFn);
    if (s.name === 'auditAnchorKey') data.auditAnchorKey.grantRead(lambdaFn);
    if (s.name === 'tenantSecrets') {
      lambdaFn.addToRolePolicy(
        new iam.PolicyStatement({
          actions: s.access === 'write' ? TENANT_SECRET_WRITE_ACTIONS : TENANT_SECRET_READ_ACTIONS,
          resources: [tenantSecretsArn(Stack.of(fn))],
        }),
      );
      Validations.of(fn.role).acknowledge({
        id: `AwsSolutions-IAM5[Resource::${nagArn(Stack.of(fn), 'secretsmanager', `secret:${TENANT_SECRETS_PREFIX}*`)}]`,
        reason: `Per-tenant secrets (provider keys, GitHub/Jira credentials, webhook secrets) are created at runtime, one per tenant and integration, so access is scoped to the ${TENANT_SECRETS_PREFIX} name prefix; the handler derives the name from the authenticated tenant id.`,
      });
    }
  }
  if (uses.scheduler) {
    const refs = requiredScheduler(schedulerRefs);
    const stack = Stack.of(fn);
    lambdaFn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: SCHEDULER_MANAGE_ACTIONS,
        resources: [schedulesArn(stack, refs.groupName)],
      }),
    );
    // Creating a schedule passes the scheduler's invoke role: that role only, to that service only.
    lambdaFn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['iam:PassRole'],
        resources: [refs.roleArn],
        conditions: { StringEquals: { 'iam:PassedToService': 'scheduler.amazonaws.com' } },
      }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(stack, 'scheduler', `schedule/${refs.groupName}/*`)}]`,
      reason: `One EventBridge Scheduler schedule per HishamOS schedule, named by its id at runtime, so create/update/delete are granted on the schedules of the ${refs.groupName} group only.`,
    });
  }
  for (const name of uses.executions ?? []) {
    const target = executions[name];
    if (!target)
      throw new Error(
        `manifest: function uses execution "${name}" but no such state machine was built`,
      );
    target.stateMachine.grantStartExecution(lambdaFn);
    // Cancelling a run stops its execution: scoped to the executions of this one machine.
    const executionsArn = Arn.format(
      {
        service: 'states',
        resource: 'execution',
        resourceName: `${target.physicalName}:*`,
        arnFormat: ArnFormat.COLON_RESOURCE_NAME,
      },
      Stack.of(fn),
    );
    lambdaFn.addToRolePolicy(
      new iam.PolicyStatement({
        actions: ['states:StopExecution', 'states:DescribeExecution'],
        resources: [executionsArn],
      }),
    );
    Validations.of(fn.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::${nagArn(Stack.of(fn), 'states', `execution:${target.physicalName}:*`)}]`,
      reason: `Execution names are generated per run, so StopExecution/DescribeExecution are granted on the executions of the ${target.physicalName} state machine only (its ARN prefix), nothing wider.`,
    });
  }
}

/** Where a Distributed Map's item lists live in their bucket (shared/batches writes them there). */
export const ITEM_LISTS_PREFIX = 'batches/';

/**
 * A Distributed Map (ADR 160) runs its items as child executions of its own state machine and
 * reads the item list itself: its role may start this machine (by its fixed name), describe and
 * stop the map run's child executions, and get objects under the item lists' prefix of one
 * bucket. Nothing else: no ListBucket (the ItemReader reads one named object), no PutObject.
 */
export function grantDistributedMap(
  sm: sfn.StateMachine,
  physicalName: string,
  data: DataRefs,
  bucket: BucketName,
): void {
  const stack = Stack.of(sm);
  const machineArn = Arn.format(
    {
      service: 'states',
      resource: 'stateMachine',
      resourceName: physicalName,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
  // A map run's child executions are `execution:<machine>/<map run label>:<child>`.
  const childExecutions = Arn.format(
    {
      service: 'states',
      resource: 'execution',
      resourceName: `${physicalName}/*`,
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    },
    stack,
  );
  sm.addToRolePolicy(
    new iam.PolicyStatement({ actions: ['states:StartExecution'], resources: [machineArn] }),
  );
  sm.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['states:DescribeExecution', 'states:StopExecution'],
      resources: [childExecutions],
    }),
  );
  const dataStack = bucketOf(data, bucket).stack.stackName;
  const bucketArn = `arn:${stack.partition}:s3:::${dataBucketName(dataStack, bucket, stack.account, stack.region)}`;
  sm.addToRolePolicy(
    new iam.PolicyStatement({
      actions: ['s3:GetObject'],
      resources: [`${bucketArn}/${ITEM_LISTS_PREFIX}*`],
    }),
  );
  const p = nagPseudo(stack);
  Validations.of(sm.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::${nagArn(stack, 'states', `execution:${physicalName}/*`)}]`,
    reason: `A Distributed Map names its child executions at run time (<map run>:<child>), so DescribeExecution/StopExecution are granted on the child executions of the ${physicalName} state machine only.`,
  });
  Validations.of(sm.role).acknowledge({
    id: `AwsSolutions-IAM5[Resource::arn:${p.partition}:s3:::${dataBucketName(dataStack, bucket, p.account, p.region)}/${ITEM_LISTS_PREFIX}*]`,
    reason: `Each batch writes its item list under ${ITEM_LISTS_PREFIX}<tenant>/<batch>/, so the map's ItemReader gets GetObject on that prefix of the ${bucket} bucket only.`,
  });
}
