/**
 * The HTTP API: one Lambda per `http` manifest function, one API Gateway v2 route per manifest route.
 * Authentication and roles are enforced in the handlers (shared/http middleware) from the manifest's
 * `access`, so the same check runs locally and in AWS.
 */
import {
  CfnOutput,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import { HttpLambdaIntegration } from 'aws-cdk-lib/aws-apigatewayv2-integrations';
import { AccessLogFormat } from 'aws-cdk-lib/aws-apigateway';
import * as lambda from 'aws-cdk-lib/aws-lambda';
import * as logs from 'aws-cdk-lib/aws-logs';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type { Construct } from 'constructs';
import path from 'node:path';
import { functions, type FunctionName, type FunctionSpec, type HttpMethod } from '../../manifest';
import { ApiAlarms } from '../constructs/api-alarms';
import { FunctionAlarms } from '../constructs/function-alarms';
import { HishamFunction } from '../constructs/hisham-function';
import { OperationsDashboard } from '../constructs/operations-dashboard';
import {
  environmentFor,
  grantUses,
  type DataRefs,
  type ExecutionRefs,
  type SchedulerRefs,
} from '../wiring';

export interface ApiStackProps extends StackProps {
  readonly data: DataRefs;
  readonly executions: ExecutionRefs;
  /** User schedules' EventBridge Scheduler wiring (the workflows stack builds it). */
  readonly scheduler?: SchedulerRefs;
  readonly functionsDir: string;
  /**
   * Origins allowed by CORS. Clients authenticate with a bearer token (no cookies), so the default
   * `*` exposes nothing a token holder could not already reach.
   * @default ['*']
   */
  readonly corsAllowOrigins?: string[];
  /** Steady-state requests per second across the stage. @default 100 */
  readonly throttleRateLimit?: number;
  /** @default 200 */
  readonly throttleBurstLimit?: number;
  readonly alarmTopic: sns.ITopic;
  /** The stacks' common name prefix, which the dashboard's metric searches match. */
  readonly prefix: string;
}

export const API_METHODS: Record<HttpMethod, apigw.HttpMethod> = {
  GET: apigw.HttpMethod.GET,
  POST: apigw.HttpMethod.POST,
  PUT: apigw.HttpMethod.PUT,
  PATCH: apigw.HttpMethod.PATCH,
  DELETE: apigw.HttpMethod.DELETE,
};

export function streamFunctions(): FunctionName[] {
  return (Object.entries(functions) as Array<[FunctionName, FunctionSpec]>)
    .filter(([, s]) => s.kind === 'stream')
    .map(([n]) => n);
}

export function httpFunctions(): FunctionName[] {
  return (Object.entries(functions) as Array<[FunctionName, FunctionSpec]>)
    .filter(([, s]) => s.kind === 'http')
    .map(([n]) => n);
}

export class ApiStack extends Stack {
  readonly api: apigw.HttpApi;
  readonly stage: apigw.HttpStage;
  readonly functions: Partial<Record<FunctionName, HishamFunction>> = {};
  /** The one dashboard of the deployment. */
  readonly dashboard: OperationsDashboard;
  /** The API base URL, with a trailing slash. */
  readonly url: string;
  /**
   * The base URL (trailing slash) of the streamed routes: a Lambda function URL in RESPONSE_STREAM
   * mode, because HTTP APIs cannot stream (ADR 070). Clients call `<streamUrl>v1/runs/{id}/stream`.
   */
  readonly streamUrl: string;

  constructor(scope: Construct, id: string, props: ApiStackProps) {
    super(scope, id, props);

    this.api = new apigw.HttpApi(this, 'HttpApi', {
      apiName: 'hishamos',
      description: 'HishamOS HTTP API (v1)',
      createDefaultStage: false,
      corsPreflight: {
        allowOrigins: props.corsAllowOrigins ?? ['*'],
        allowMethods: [apigw.CorsHttpMethod.ANY],
        allowHeaders: ['authorization', 'content-type', 'idempotency-key', 'x-api-key'],
        exposeHeaders: ['x-request-id'],
        maxAge: Duration.hours(1),
      },
    });

    const accessLogs = new logs.LogGroup(this, 'AccessLogs', {
      retention: logs.RetentionDays.ONE_MONTH,
      removalPolicy: RemovalPolicy.DESTROY,
    });
    this.stage = this.api.addStage('DefaultStage', {
      stageName: '$default',
      autoDeploy: true,
      throttle: {
        rateLimit: props.throttleRateLimit ?? 100,
        burstLimit: props.throttleBurstLimit ?? 200,
      },
      accessLogSettings: {
        destination: new apigw.LogGroupLogDestination(accessLogs),
        format: AccessLogFormat.custom(
          JSON.stringify({
            requestId: '$context.requestId',
            ip: '$context.identity.sourceIp',
            requestTime: '$context.requestTime',
            routeKey: '$context.routeKey',
            status: '$context.status',
            protocol: '$context.protocol',
            responseLength: '$context.responseLength',
            integrationLatency: '$context.integrationLatency',
            latency: '$context.responseLatency',
            integrationError: '$context.integrationErrorMessage',
          }),
        ),
      },
    });
    this.url = this.stage.url;

    for (const name of httpFunctions()) {
      const spec: FunctionSpec = functions[name];
      const fn = new HishamFunction(this, name, {
        name,
        spec,
        codeDir: path.join(props.functionsDir, name),
        environment: environmentFor(spec, props.data, props.executions, props.scheduler),
      });
      grantUses(fn, spec, props.data, props.executions, props.scheduler);
      this.functions[name] = fn;

      const integration = new HttpLambdaIntegration(`${name}Integration`, fn.fn, {
        payloadFormatVersion: apigw.PayloadFormatVersion.VERSION_2_0,
      });
      for (const route of spec.routes ?? []) {
        const routes = this.api.addRoutes({
          path: route.path,
          methods: [API_METHODS[route.method]],
          integration,
        });
        for (const r of routes) {
          Validations.of(r).acknowledge({
            id: 'AwsSolutions-APIG4',
            reason:
              `Authorization for "${route.method} ${route.path}" (access: ${route.access}) is enforced in the handler from the manifest: it accepts both JWTs and hashed API keys and checks tenant roles, which an API Gateway JWT authorizer cannot. ${route.access === 'public' ? 'This route is public by design.' : ''}`.trim(),
          });
        }
      }
    }

    // One function URL per streaming function; the handler matches the path and authenticates the
    // bearer credential itself, exactly as the HTTP API's handlers do (no API Gateway authorizer).
    let streamUrl: string | undefined;
    for (const name of streamFunctions()) {
      const spec: FunctionSpec = functions[name];
      const fn = new HishamFunction(this, name, {
        name,
        spec,
        codeDir: path.join(props.functionsDir, name),
        environment: environmentFor(spec, props.data, props.executions),
      });
      grantUses(fn, spec, props.data, props.executions);
      this.functions[name] = fn;
      const url = fn.fn.addFunctionUrl({
        authType: lambda.FunctionUrlAuthType.NONE,
        invokeMode: lambda.InvokeMode.RESPONSE_STREAM,
        cors: {
          allowedOrigins: props.corsAllowOrigins ?? ['*'],
          allowedMethods: [lambda.HttpMethod.GET],
          allowedHeaders: ['authorization', 'last-event-id', 'x-request-id'],
          exposedHeaders: ['x-request-id'],
          maxAge: Duration.hours(1),
        },
      });
      streamUrl = url.url;
      new CfnOutput(this, `${name}Url`, {
        value: url.url,
        description: `HishamOS streamed routes (${name})`,
      });
    }
    this.streamUrl = streamUrl ?? this.url;

    new FunctionAlarms(this, 'FunctionAlarms', {
      functions: Object.values(this.functions).filter((f) => f !== undefined),
      topic: props.alarmTopic,
    });
    new ApiAlarms(this, 'ApiAlarms', { api: this.api, topic: props.alarmTopic });
    this.dashboard = new OperationsDashboard(this, 'Operations', {
      prefix: props.prefix,
      api: this.api,
    });

    new CfnOutput(this, 'ApiUrl', { value: this.url, description: 'HishamOS API base URL' });
  }
}
