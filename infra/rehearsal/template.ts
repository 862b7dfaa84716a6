/**
 * Reads a synthesized cloud assembly the way CloudFormation would deploy it, with deterministic
 * local physical names and ARNs: every Lambda (code directory, handler, environment, its role's
 * policy statements), the HTTP API's routes, function URLs, state machines (definition with its
 * substitutions), EventBridge rules and the deploy trigger. Nothing here reads the manifest.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import type { CorsRule } from '../local/s3-server';
import type { PolicyStatement } from './iam';

export const ACCOUNT = '123456789012';
export const REGION = 'us-east-1';
export const PARTITION = 'aws';

export interface CfnResource {
  readonly Type: string;
  readonly Properties?: Record<string, unknown>;
}
export interface CfnTemplate {
  readonly Resources: Record<string, CfnResource>;
  readonly Outputs?: Record<string, { Value: unknown; Export?: { Name: unknown } }>;
}

export interface LambdaFunction {
  /** The function's name tag (`hishamos:function`), else its logical id. */
  readonly name: string;
  readonly stack: string;
  readonly logicalId: string;
  readonly physicalName: string;
  readonly arn: string;
  readonly codeDir: string;
  readonly handler: string;
  readonly environment: Record<string, string>;
  readonly timeoutSeconds: number;
  readonly memoryMb: number;
  readonly statements: PolicyStatement[];
}

export interface ApiRoute {
  readonly routeKey: string;
  readonly function: string;
  readonly authorizationType: string;
}

export interface StateMachineDef {
  readonly stack: string;
  readonly name: string;
  readonly arn: string;
  readonly definition: Record<string, unknown>;
  readonly statements: PolicyStatement[];
}

export interface EventRule {
  readonly logicalId: string;
  readonly pattern: Record<string, unknown>;
  /** Target function ARNs. */
  readonly targets: string[];
}

export interface TemplateSecret {
  readonly arn: string;
  readonly name: string;
  readonly generate?: {
    SecretStringTemplate?: string;
    GenerateStringKey?: string;
    PasswordLength?: number;
  };
  readonly secretString?: string;
}

export interface Deployment {
  readonly dir: string;
  readonly functions: LambdaFunction[];
  readonly routes: ApiRoute[];
  /** Streamed routes: function URLs (RESPONSE_STREAM or BUFFERED), by function name. */
  readonly functionUrls: Array<{ function: string; invokeMode: string }>;
  readonly stateMachines: StateMachineDef[];
  readonly rules: EventRule[];
  /** Functions the deploy invokes (CDK Triggers), in template order. */
  readonly triggers: string[];
  readonly secrets: TemplateSecret[];
  readonly buckets: Array<{ name: string; cors: CorsRule[] }>;
  readonly tables: Array<{ name: string; resource: CfnResource }>;
  readonly clusters: Array<{ arn: string; databaseName: string; masterSecretArn?: string }>;
}

const FUNCTION_NAME_TAG = 'hishamos:function';

export class UnresolvableError extends Error {
  override readonly name = 'UnresolvableError';
}

/** Resolves intrinsic functions against every stack of the assembly. */
export class Resolver {
  constructor(readonly stacks: Readonly<Record<string, CfnTemplate>>) {}

  resource(stack: string, logicalId: string): CfnResource {
    const r = this.stacks[stack]?.Resources[logicalId];
    if (!r) throw new UnresolvableError(`${stack}: no resource ${logicalId}`);
    return r;
  }

  /** Physical name CloudFormation would give (explicit name property, else stack-logical id). */
  physicalName(stack: string, logicalId: string): string {
    const r = this.resource(stack, logicalId);
    const p = r.Properties ?? {};
    const explicit =
      p.FunctionName ??
      p.BucketName ??
      p.TableName ??
      p.StateMachineName ??
      p.Name ??
      p.DBClusterIdentifier ??
      p.QueueName ??
      p.TopicName ??
      p.LogGroupName;
    if (explicit !== undefined && r.Type !== 'AWS::ApiGatewayV2::Api')
      return String(this.resolve(stack, explicit));
    const generated = `${stack}-${logicalId}`;
    return r.Type === 'AWS::S3::Bucket' || r.Type === 'AWS::RDS::DBCluster'
      ? generated.toLowerCase()
      : generated;
  }

  ref(stack: string, logicalId: string): string {
    switch (logicalId) {
      case 'AWS::Region':
        return REGION;
      case 'AWS::AccountId':
        return ACCOUNT;
      case 'AWS::Partition':
        return PARTITION;
      case 'AWS::URLSuffix':
        return 'amazonaws.com';
      case 'AWS::StackName':
        return stack;
    }
    const r = this.resource(stack, logicalId);
    const name = () => this.physicalName(stack, logicalId);
    switch (r.Type) {
      case 'AWS::SecretsManager::Secret':
        return secretArn(name(), logicalId);
      case 'AWS::SecretsManager::SecretTargetAttachment':
        return String(this.resolve(stack, r.Properties?.SecretId));
      case 'AWS::StepFunctions::StateMachine':
        return `arn:${PARTITION}:states:${REGION}:${ACCOUNT}:stateMachine:${name()}`;
      case 'AWS::Lambda::Version':
        return `${this.resolve(stack, { 'Fn::GetAtt': [refOf(r.Properties?.FunctionName), 'Arn'] })}:1`;
      case 'AWS::SNS::Topic':
        return `arn:${PARTITION}:sns:${REGION}:${ACCOUNT}:${name()}`;
      case 'AWS::SQS::Queue':
        return `https://sqs.${REGION}.amazonaws.com/${ACCOUNT}/${name()}`;
      default:
        // API Gateway ids are opaque; the logical id keeps `integrations/<id>` readable.
        return r.Type.startsWith('AWS::ApiGatewayV2::') ? logicalId : name();
    }
  }

  getAtt(stack: string, logicalId: string, attr: string): string {
    const r = this.resource(stack, logicalId);
    const name = this.physicalName(stack, logicalId);
    const key = `${r.Type}.${attr}`;
    switch (key) {
      case 'AWS::Lambda::Function.Arn':
        return `arn:${PARTITION}:lambda:${REGION}:${ACCOUNT}:function:${name}`;
      case 'AWS::DynamoDB::GlobalTable.Arn':
      case 'AWS::DynamoDB::Table.Arn':
        return `arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;
      case 'AWS::S3::Bucket.Arn':
        return `arn:${PARTITION}:s3:::${name}`;
      case 'AWS::S3::Bucket.RegionalDomainName':
        return `${name}.s3.${REGION}.amazonaws.com`;
      case 'AWS::IAM::Role.Arn':
        return `arn:${PARTITION}:iam::${ACCOUNT}:role/${name}`;
      case 'AWS::Logs::LogGroup.Arn':
        return `arn:${PARTITION}:logs:${REGION}:${ACCOUNT}:log-group:${name}:*`;
      case 'AWS::SQS::Queue.Arn':
        return `arn:${PARTITION}:sqs:${REGION}:${ACCOUNT}:${name}`;
      case 'AWS::StepFunctions::StateMachine.Name':
        return name;
      case 'AWS::StepFunctions::StateMachine.Arn':
        return this.ref(stack, logicalId);
      case 'AWS::RDS::DBCluster.Endpoint.Address':
        return '127.0.0.1';
      case 'AWS::RDS::DBCluster.Endpoint.Port':
        return '5432';
      default:
        // Anything else is a stable opaque value: it resolves, and never matches a real grant.
        return `arn:${PARTITION}:cloudformation:${REGION}:${ACCOUNT}:${stack}/${logicalId}.${attr}`;
    }
  }

  resolve(stack: string, value: unknown): unknown {
    if (Array.isArray(value)) return value.map((v) => this.resolve(stack, v));
    if (!value || typeof value !== 'object') return value;
    const obj = value as Record<string, unknown>;
    const keys = Object.keys(obj);
    if (keys.length === 1) {
      const [k] = keys;
      const arg = obj[k];
      switch (k) {
        case 'Ref':
          return this.ref(stack, String(arg));
        case 'Fn::GetAtt': {
          const [id, ...attr] = Array.isArray(arg) ? arg : String(arg).split('.');
          return this.getAtt(stack, String(id), attr.join('.'));
        }
        case 'Fn::Join': {
          const [sep, parts] = arg as [string, unknown[]];
          return (this.resolve(stack, parts) as unknown[]).map(String).join(sep);
        }
        case 'Fn::Select': {
          const [i, list] = arg as [unknown, unknown];
          return (this.resolve(stack, list) as unknown[])[Number(this.resolve(stack, i))];
        }
        case 'Fn::Split': {
          const [sep, s] = arg as [string, unknown];
          return String(this.resolve(stack, s)).split(sep);
        }
        case 'Fn::Sub':
          return this.sub(stack, arg);
        case 'Fn::GetStackOutput': {
          const a = arg as { StackName: string; OutputName: string };
          return this.output(String(this.resolve(stack, a.StackName)), a.OutputName);
        }
        case 'Fn::ImportValue':
          return this.importValue(String(this.resolve(stack, arg)));
      }
      if (k.startsWith('Fn::')) throw new UnresolvableError(`${stack}: ${k} is not supported`);
    }
    return Object.fromEntries(keys.map((key) => [key, this.resolve(stack, obj[key])]));
  }

  private sub(stack: string, arg: unknown): string {
    const [text, vars] = Array.isArray(arg)
      ? (arg as [string, Record<string, unknown>])
      : [String(arg), {}];
    return text.replace(/\$\{([^}!]+)\}/g, (_, expr: string) => {
      if (expr in vars) return String(this.resolve(stack, vars[expr]));
      const dot = expr.indexOf('.');
      if (dot > 0 && !expr.startsWith('AWS::'))
        return this.getAtt(stack, expr.slice(0, dot), expr.slice(dot + 1));
      return this.ref(stack, expr);
    });
  }

  output(stack: string, name: string): unknown {
    const out = this.stacks[stack]?.Outputs?.[name];
    if (!out) throw new UnresolvableError(`stack ${stack} has no output ${name}`);
    return this.resolve(stack, out.Value);
  }

  importValue(exportName: string): unknown {
    for (const [stack, t] of Object.entries(this.stacks))
      for (const out of Object.values(t.Outputs ?? {}))
        if (out.Export && this.resolve(stack, out.Export.Name) === exportName)
          return this.resolve(stack, out.Value);
    throw new UnresolvableError(`no stack exports ${exportName}`);
  }
}

function refOf(v: unknown): string {
  const ref = (v as { Ref?: string } | undefined)?.Ref;
  if (!ref) throw new UnresolvableError(`expected a Ref, got ${JSON.stringify(v)}`);
  return ref;
}

/** Secrets Manager appends six random characters to a secret's name in its ARN. */
export function secretArn(name: string, seed: string): string {
  const suffix = createHash('sha256').update(seed).digest('base64url').slice(0, 6);
  return `arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:${name}-${suffix}`;
}

/** Loads every `*.template.json` of a cloud assembly directory. */
export function loadAssembly(dir: string): Record<string, CfnTemplate> {
  const stacks: Record<string, CfnTemplate> = {};
  for (const file of readdirSync(dir))
    if (file.endsWith('.template.json'))
      stacks[file.replace(/\.template\.json$/, '')] = JSON.parse(
        readFileSync(path.join(dir, file), 'utf8'),
      );
  return stacks;
}

/** The deployment a cloud assembly describes. */
export function readDeployment(dir: string): Deployment {
  const stacks = loadAssembly(dir);
  const rs = new Resolver(stacks);
  const each = function* (type: string) {
    for (const [stack, t] of Object.entries(stacks))
      for (const [logicalId, r] of Object.entries(t.Resources))
        if (r.Type === type) yield { stack, logicalId, r, p: r.Properties ?? {} };
  };
  const statementsOfRole = (stack: string, roleArn: unknown): PolicyStatement[] => {
    const roleId = (roleArn as { 'Fn::GetAtt'?: [string, string] })['Fn::GetAtt']?.[0];
    if (!roleId) return [];
    const out: PolicyStatement[] = [];
    const role = rs.resource(stack, roleId);
    for (const p of (role.Properties?.Policies ?? []) as Array<{ PolicyDocument: unknown }>)
      out.push(...statementsOf(rs.resolve(stack, p.PolicyDocument)));
    for (const { p } of each('AWS::IAM::Policy'))
      if ((p.Roles as Array<{ Ref?: string }>).some((x) => x.Ref === roleId))
        out.push(...statementsOf(rs.resolve(stack, p.PolicyDocument)));
    return out;
  };

  const functions: LambdaFunction[] = [];
  for (const { stack, logicalId, p } of each('AWS::Lambda::Function')) {
    const tags = (p.Tags ?? []) as Array<{ Key: string; Value: string }>;
    const tag = tags.find((t) => t.Key === FUNCTION_NAME_TAG)?.Value;
    // CDK's own custom-resource providers (log retention, bucket deployment…) are not the app.
    if (!tag) continue;
    const code = p.Code as { S3Key?: unknown; ZipFile?: string };
    const key = String(rs.resolve(stack, code.S3Key ?? ''));
    const codeDir = path.join(dir, `asset.${key.replace(/\.zip$/, '')}`);
    if (!existsSync(codeDir))
      throw new UnresolvableError(`${logicalId}: code asset ${codeDir} is missing`);
    const env = rs.resolve(
      stack,
      (p.Environment as { Variables?: unknown } | undefined)?.Variables ?? {},
    ) as Record<string, unknown>;
    functions.push({
      name: tag,
      stack,
      logicalId,
      physicalName: rs.physicalName(stack, logicalId),
      arn: rs.getAtt(stack, logicalId, 'Arn'),
      codeDir,
      handler: String(p.Handler),
      environment: Object.fromEntries(Object.entries(env).map(([k, v]) => [k, String(v)])),
      timeoutSeconds: Number(p.Timeout ?? 3),
      memoryMb: Number(p.MemorySize ?? 128),
      statements: statementsOfRole(stack, p.Role),
    });
  }
  const byArn = (arn: unknown): string => {
    const a = String(arn).replace(/:(\d+|\$LATEST)$/, '');
    const fn = functions.find((f) => f.arn === a);
    if (!fn) throw new UnresolvableError(`no application function has ARN ${a}`);
    return fn.name;
  };

  const routes: ApiRoute[] = [];
  for (const { stack, p } of each('AWS::ApiGatewayV2::Route')) {
    const target = String(rs.resolve(stack, p.Target));
    const integrationId = target.replace(/^integrations\//, '');
    const integration = rs.resource(stack, integrationId).Properties ?? {};
    if (integration.IntegrationType !== 'AWS_PROXY' || integration.PayloadFormatVersion !== '2.0')
      throw new UnresolvableError(`${integrationId}: only Lambda proxy v2.0 integrations are run`);
    routes.push({
      routeKey: String(p.RouteKey),
      function: byArn(rs.resolve(stack, integration.IntegrationUri)),
      authorizationType: String(p.AuthorizationType ?? 'NONE'),
    });
  }

  const functionUrls = [...each('AWS::Lambda::Url')].map(({ stack, p }) => ({
    function: byArn(rs.resolve(stack, p.TargetFunctionArn)),
    invokeMode: String(p.InvokeMode ?? 'BUFFERED'),
  }));

  const stateMachines: StateMachineDef[] = [];
  for (const { stack, logicalId, p } of each('AWS::StepFunctions::StateMachine')) {
    let text: string;
    if (p.DefinitionS3Location) {
      const key = String(rs.resolve(stack, (p.DefinitionS3Location as { Key: unknown }).Key));
      text = readFileSync(path.join(dir, `asset.${key}`), 'utf8');
    } else text = String(rs.resolve(stack, p.DefinitionString));
    const subs = rs.resolve(stack, p.DefinitionSubstitutions ?? {}) as Record<string, unknown>;
    for (const [k, v] of Object.entries(subs)) text = text.split(`\${${k}}`).join(String(v));
    stateMachines.push({
      stack,
      name: rs.physicalName(stack, logicalId),
      arn: rs.ref(stack, logicalId),
      definition: JSON.parse(text),
      statements: statementsOfRole(stack, p.RoleArn),
    });
  }

  const rules: EventRule[] = [...each('AWS::Events::Rule')].map(({ stack, logicalId, p }) => ({
    logicalId,
    pattern: rs.resolve(stack, p.EventPattern) as Record<string, unknown>,
    targets: ((p.Targets ?? []) as Array<{ Arn: unknown }>).map((t) =>
      String(rs.resolve(stack, t.Arn)),
    ),
  }));

  const triggers = [...each('Custom::Trigger')].map(({ stack, p }) =>
    byArn(rs.resolve(stack, p.HandlerArn)),
  );

  const secrets: TemplateSecret[] = [...each('AWS::SecretsManager::Secret')].map(
    ({ stack, logicalId, p }) => ({
      arn: rs.ref(stack, logicalId),
      name: rs.physicalName(stack, logicalId),
      generate: p.GenerateSecretString as TemplateSecret['generate'],
      secretString: p.SecretString === undefined ? undefined : String(p.SecretString),
    }),
  );
  const buckets = [...each('AWS::S3::Bucket')].map(({ stack, logicalId, p }) => {
    const rules = ((p.CorsConfiguration as { CorsRules?: unknown[] } | undefined)?.CorsRules ??
      []) as Array<Record<string, string[] | number | undefined>>;
    return {
      name: rs.physicalName(stack, logicalId),
      cors: rules.map((r) => ({
        allowedMethods: (r.AllowedMethods ?? []) as string[],
        allowedOrigins: (r.AllowedOrigins ?? []) as string[],
        allowedHeaders: r.AllowedHeaders as string[] | undefined,
        exposeHeaders: r.ExposedHeaders as string[] | undefined,
        maxAgeSeconds: r.MaxAge as number | undefined,
      })),
    };
  });
  const tables = [...each('AWS::DynamoDB::GlobalTable'), ...each('AWS::DynamoDB::Table')].map(
    ({ stack, logicalId, r }) => ({ name: rs.physicalName(stack, logicalId), resource: r }),
  );
  const clusters = [...each('AWS::RDS::DBCluster')].map(({ stack, logicalId, p }) => {
    const attachment = [...each('AWS::SecretsManager::SecretTargetAttachment')].find(
      (a) => a.stack === stack && (a.p.TargetId as { Ref?: string })?.Ref === logicalId,
    );
    return {
      arn: `arn:${PARTITION}:rds:${REGION}:${ACCOUNT}:cluster:${rs.ref(stack, logicalId)}`,
      databaseName: String(p.DatabaseName ?? 'postgres'),
      masterSecretArn: attachment ? rs.ref(stack, attachment.logicalId) : undefined,
    };
  });

  return {
    dir,
    functions,
    routes,
    functionUrls,
    stateMachines,
    rules,
    triggers,
    secrets,
    buckets,
    tables,
    clusters,
  };
}

function statementsOf(doc: unknown): PolicyStatement[] {
  const s = (doc as { Statement?: unknown }).Statement;
  return (Array.isArray(s) ? s : s ? [s] : []) as PolicyStatement[];
}
