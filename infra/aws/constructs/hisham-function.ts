/**
 * One manifest function as a Lambda: the fixed platform defaults live here, so no stack sets a
 * runtime, an architecture or a log format by hand.
 */
import { Duration, RemovalPolicy, Stack, Tags, Validations } from 'aws-cdk-lib';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import { Construct } from 'constructs';
import path from 'node:path';
import type { FunctionName, FunctionSpec } from '../../manifest';

/** Tag carrying the manifest function name on every Lambda (tests and operators find functions by it). */
export const FUNCTION_NAME_TAG = 'hishamos:function';

export interface HishamFunctionProps {
  /** The manifest key, e.g. `runAgentStep`. */
  readonly name: FunctionName;
  /** The manifest entry for `name`. */
  readonly spec: FunctionSpec;
  /** Directory holding the bundled `index.mjs` (from `bundleFunctions`); shipped as the code asset. */
  readonly codeDir: string;
  /**
   * Environment variables (names from shared/config). `LOG_LEVEL=info` is added unless given.
   * @default {}
   */
  readonly environment?: Readonly<Record<string, string>>;
  /**
   * Retention of the function's own log group.
   * @default logs.RetentionDays.ONE_MONTH
   */
  readonly logRetention?: logs.RetentionDays;
  /**
   * What happens to the log group when the stack goes away.
   * @default RemovalPolicy.DESTROY (logs follow the function; retention bounds them while it lives)
   */
  readonly logRemovalPolicy?: RemovalPolicy;
  /**
   * Memory in MB.
   * @default spec.memoryMb ?? 512
   */
  readonly memoryMb?: number;
  /**
   * Timeout.
   * @default spec.timeoutSeconds ?? (29 for http, 120 for task)
   */
  readonly timeout?: Duration;
  /**
   * Reserved concurrency.
   * @default spec.reservedConcurrency, if `reserveConcurrency` is not false
   */
  readonly reservedConcurrentExecutions?: number;
  /**
   * Apply the manifest's reserved concurrency (off for accounts whose concurrency limit is below
   * the reservations + the 100 that Lambda keeps unreserved).
   * @default true
   */
  readonly reserveConcurrency?: boolean;
}

/**
 * A Lambda built from a manifest entry: Node.js 22 on arm64, ESM bundle `index.handler`, JSON logs
 * into its own log group with a retention, X-Ray active tracing, and a dedicated role whose only
 * baseline permission is writing to that log group (no AWSLambdaBasicExecutionRole managed policy).
 */
export class HishamFunction extends Construct {
  readonly fn: lambda.Function;
  readonly logGroup: logs.LogGroup;
  readonly role: iam.Role;
  readonly manifestName: FunctionName;

  constructor(scope: Construct, id: string, props: HishamFunctionProps) {
    super(scope, id);
    const { name, spec } = props;
    this.manifestName = name;
    const stackName = Stack.of(this).stackName;

    this.logGroup = new logs.LogGroup(this, 'Logs', {
      retention: props.logRetention ?? logs.RetentionDays.ONE_MONTH,
      removalPolicy: props.logRemovalPolicy ?? RemovalPolicy.DESTROY,
    });

    this.role = new iam.Role(this, 'Role', {
      assumedBy: new iam.ServicePrincipal('lambda.amazonaws.com'),
      description: `HishamOS ${name} (${stackName})`,
    });
    // Log streams are created inside the function's own group only.
    this.role.addToPrincipalPolicy(
      new iam.PolicyStatement({
        actions: ['logs:CreateLogStream', 'logs:PutLogEvents'],
        resources: [this.logGroup.logGroupArn, `${this.logGroup.logGroupArn}:log-stream:*`],
      }),
    );

    const defaultTimeout = spec.kind === 'http' ? 29 : 120;
    this.fn = new lambda.Function(this, 'Function', {
      description: `HishamOS ${name}: ${spec.description}`.slice(0, 256),
      runtime: lambda.Runtime.NODEJS_22_X,
      architecture: lambda.Architecture.ARM_64,
      handler: 'index.handler',
      // Source maps stay in dist/ for local debugging; the Lambda package carries the code only.
      code: lambda.Code.fromAsset(path.resolve(props.codeDir), { exclude: ['*.map'] }),
      memorySize: props.memoryMb ?? spec.memoryMb ?? 512,
      timeout: props.timeout ?? Duration.seconds(spec.timeoutSeconds ?? defaultTimeout),
      role: this.role,
      logGroup: this.logGroup,
      loggingFormat: lambda.LoggingFormat.JSON,
      applicationLogLevelV2: lambda.ApplicationLogLevel.INFO,
      systemLogLevelV2: lambda.SystemLogLevel.WARN,
      tracing: lambda.Tracing.ACTIVE,
      reservedConcurrentExecutions:
        props.reservedConcurrentExecutions ??
        (props.reserveConcurrency === false ? undefined : spec.reservedConcurrency),
      environment: {
        LOG_LEVEL: 'info',
        ...props.environment,
      },
    });
    this.fn.node.addDependency(this.logGroup);
    Tags.of(this.fn).add(FUNCTION_NAME_TAG, name);

    Validations.of(this.fn).acknowledge({
      id: 'AwsSolutions-L1',
      reason:
        'Pinned to nodejs22.x on purpose: bundles are built for target node22, the Node the local runtime and tests run (the node devDependency); moving to a newer runtime is a deliberate, tested upgrade, not an automatic one.',
    });

    // Tracing adds xray:PutTraceSegments/PutTelemetryRecords on Resource::* to this role's policy.
    Validations.of(this.role).acknowledge({
      id: 'AwsSolutions-IAM5[Resource::*]',
      reason:
        'X-Ray active tracing: xray:PutTraceSegments and xray:PutTelemetryRecords support no resource-level permissions (AWS IAM service authorization reference), so CDK grants them on "*".',
    });
    Validations.of(this.role).acknowledge({
      id: `AwsSolutions-IAM5[Resource::<${Stack.of(this).getLogicalId(this.logGroup.node.defaultChild as logs.CfnLogGroup)}.Arn>:log-stream:*]`,
      reason:
        "Log stream names are chosen by the Lambda service at runtime; the wildcard is confined to this function's own log group.",
    });
  }
}
