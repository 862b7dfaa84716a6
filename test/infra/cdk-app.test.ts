/**
 * The CDK app, synthesized once in-process: every manifest function, route and state machine is in
 * AWS as declared, the data layer is configured as the README's AWS section and ADRs 002 and 036
 * describe, and cdk-nag passes with every acknowledgement explained.
 */
import { rmSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import {
  allRoutes,
  functionArnPlaceholder,
  functions,
  stateMachines,
  type FunctionName,
} from '../../infra/manifest';
import { FUNCTION_NAME_TAG } from '../../infra/aws/constructs/hisham-function';
import { routeKeysInTemplate } from './template-routes';
import { localRouteKeys } from '../../infra/local/http-server';
import { readAssemblyFile, synthesize, type Synthesized } from './synth';

let synth: Synthesized;

beforeAll(() => {
  synth = synthesize();
}, 180_000);

afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

const tagOf = (
  resource: { Properties?: { Tags?: Array<{ Key: string; Value: string }> } },
  key: string,
) => resource.Properties?.Tags?.find((t) => t.Key === key)?.Value;

function lambdasByManifestName(): Map<string, { stack: string; logicalId: string; resource: any }> {
  const found = new Map<string, { stack: string; logicalId: string; resource: any }>();
  for (const [stack, template] of Object.entries(synth.json)) {
    for (const [logicalId, resource] of Object.entries(template.Resources)) {
      if (resource.Type !== 'AWS::Lambda::Function') continue;
      const name = tagOf(resource, FUNCTION_NAME_TAG);
      if (name) found.set(name, { stack, logicalId, resource });
    }
  }
  return found;
}

describe('synthesis', () => {
  it('produces the four stacks, split by concern', () => {
    // Prepare
    const expected = ['HishamOS-Api', 'HishamOS-Data', 'HishamOS-Web', 'HishamOS-Workflows'];
    // Act
    const stacks = Object.keys(synth.json).sort();
    // Assess
    expect(stacks).toEqual(expected);
  });
});

describe('schedules', () => {
  it('invokes every scheduled manifest task from EventBridge Scheduler at the manifest rate', () => {
    // Prepare
    const lambdas = lambdasByManifestName();
    const scheduled = (
      Object.entries(functions) as Array<[FunctionName, { schedule?: { everyMinutes: number } }]>
    ).filter(([, spec]) => spec.schedule);
    // Act
    const schedules = Object.values(synth.json['HishamOS-Workflows'].Resources).filter(
      (r) => r.Type === 'AWS::Scheduler::Schedule',
    );
    // Assess
    expect(scheduled.map(([name]) => name)).toContain('reconcileWebhooks');
    expect(schedules).toHaveLength(scheduled.length);
    for (const [name, spec] of scheduled) {
      const target = schedules.find((r) =>
        JSON.stringify(r.Properties.Target.Arn).includes(lambdas.get(name)!.logicalId),
      );
      expect({
        name,
        rate: target?.Properties.ScheduleExpression,
        state: target?.Properties.State ?? 'ENABLED',
      }).toEqual({ name, rate: `rate(${spec.schedule!.everyMinutes} minutes)`, state: 'ENABLED' });
    }
  });
});

describe('functions', () => {
  it('ships a real bundle for every manifest function', () => {
    // Act
    const bundles = Object.values(synth.built.bundle?.functions ?? {});
    // Assess
    expect(bundles.map((b) => b.name).sort()).toEqual(Object.keys(functions).sort());
    if (process.env.HISHAMOS_INFRA_ALLOW_MISSING !== '1')
      expect(bundles.filter((b) => b.stub).map((b) => b.name)).toEqual([]);
  });

  it('deploys every manifest function as a Lambda on nodejs22.x / arm64 with JSON logs and tracing', () => {
    // Prepare
    const names = Object.keys(functions) as FunctionName[];
    // Act
    const lambdas = lambdasByManifestName();
    // Assess
    expect([...lambdas.keys()].sort()).toEqual([...names].sort());
    for (const name of names) {
      const p = lambdas.get(name)!.resource.Properties;
      expect({
        name,
        runtime: p.Runtime,
        arch: p.Architectures,
        handler: p.Handler,
        tracing: p.TracingConfig?.Mode,
        log: p.LoggingConfig?.LogFormat,
      }).toEqual({
        name,
        runtime: 'nodejs22.x',
        arch: ['arm64'],
        handler: 'index.handler',
        tracing: 'Active',
        log: 'JSON',
      });
    }
  });

  it('takes memory and timeout from the manifest', () => {
    // Prepare
    const lambdas = lambdasByManifestName();
    for (const [name, spec] of Object.entries(functions) as Array<
      [FunctionName, (typeof functions)[FunctionName]]
    >) {
      // Act
      const p = lambdas.get(name)!.resource.Properties;
      const expectedTimeout =
        ('timeoutSeconds' in spec ? spec.timeoutSeconds : undefined) ??
        (spec.kind === 'http' ? 29 : 120);
      // Assess
      expect({ name, memory: p.MemorySize, timeout: p.Timeout }).toEqual({
        name,
        memory: ('memoryMb' in spec ? spec.memoryMb : undefined) ?? 512,
        timeout: expectedTimeout,
      });
    }
  });

  it('places http functions in the API stack, tasks in the workflows stack and migrate with the data', () => {
    // Prepare
    const lambdas = lambdasByManifestName();
    // Act / Assess
    for (const [name, spec] of Object.entries(functions)) {
      const expected =
        name === 'migrate'
          ? 'HishamOS-Data'
          : spec.kind === 'http' || spec.kind === 'stream'
            ? 'HishamOS-Api'
            : 'HishamOS-Workflows';
      expect({ name, stack: lambdas.get(name)!.stack }).toEqual({ name, stack: expected });
    }
  });

  it('sets the Data API configuration on every function that uses the database', () => {
    // Prepare
    const lambdas = lambdasByManifestName();
    for (const [name, spec] of Object.entries(functions)) {
      // Act
      const env = lambdas.get(name)!.resource.Properties.Environment?.Variables ?? {};
      // Assess
      if ((spec.uses as { database?: boolean }).database) {
        expect(env).toEqual(
          expect.objectContaining({
            HISHAMOS_DB_DRIVER: 'data-api',
            DB_NAME: 'hishamos',
            DB_CLUSTER_ARN: expect.anything(),
            DB_SECRET_ARN: expect.anything(),
          }),
        );
      } else {
        expect(env.DB_CLUSTER_ARN).toBeUndefined();
      }
    }
  });

  it('gives functions that start runs the state machine ARN, start and stop rights', () => {
    // Prepare: API functions start runs, and so does the sub-workflow/map task (in the workflows stack)
    const lambdas = lambdasByManifestName();
    const starters = Object.entries(functions).filter(([, s]) =>
      ((s.uses as { executions?: string[] }).executions ?? []).includes('runWorkflow'),
    );
    expect(starters.length).toBeGreaterThan(0);
    for (const [name, spec] of starters) {
      // Act
      const { resource, stack } = lambdas.get(name)!;
      const template = synth.templates[stack]!;
      const role = resource.Properties.Role['Fn::GetAtt'][0];
      // Assess
      expect(
        resource.Properties.Environment.Variables.RUN_WORKFLOW_STATE_MACHINE_ARN,
      ).toBeDefined();
      // A function that starts two machines (batches: runWorkflow and runBatch) lists both ARNs.
      const execution = Match.objectLike({ 'Fn::Join': Match.anyValue() });
      const machines = (spec.uses as { executions?: string[] }).executions ?? [];
      template.hasResourceProperties('AWS::IAM::Policy', {
        Roles: [{ Ref: role }],
        PolicyDocument: {
          Statement: Match.arrayWith([
            Match.objectLike({ Action: 'states:StartExecution' }),
            Match.objectLike({
              Action: Match.arrayWith(['states:StopExecution']),
              Resource: machines.length > 1 ? Match.arrayWith([execution, execution]) : execution,
            }),
          ]),
        },
      });
    }
  });
});

describe('routes', () => {
  it('has exactly one API Gateway route per manifest route', () => {
    // Prepare
    // Streamed routes are served by function URLs (HTTP APIs cannot stream), tested below.
    const expected = allRoutes()
      .filter((r) => functions[r.functionName].kind !== 'stream')
      .map((r) => r.routeKey)
      .sort();
    // Act
    const actual = routeKeysInTemplate(synth.templates['HishamOS-Api']!);
    // Assess
    expect(actual).toEqual(expected);
  });

  it('serves each streamed route from a function URL in RESPONSE_STREAM mode (ADR 070)', () => {
    // Prepare
    const api = synth.templates['HishamOS-Api']!;
    const streamed = Object.entries(functions).filter(([, spec]) => spec.kind === 'stream');
    const lambdas = lambdasByManifestName();
    // Act / Assess
    expect(streamed.map(([name]) => name)).toEqual(['runStream']);
    api.resourceCountIs('AWS::Lambda::Url', 1);
    api.hasResourceProperties('AWS::Lambda::Url', {
      InvokeMode: 'RESPONSE_STREAM',
      // The handler authenticates the bearer credential, like every HTTP API handler.
      AuthType: 'NONE',
      TargetFunctionArn: { 'Fn::GetAtt': [lambdas.get('runStream')!.logicalId, 'Arn'] },
      Cors: Match.objectLike({
        AllowMethods: ['GET'],
        AllowHeaders: Match.arrayWith(['authorization', 'last-event-id']),
        ExposeHeaders: ['x-request-id'],
      }),
    });
    expect(lambdas.get('runStream')!.resource.Properties.Timeout).toBe(900);
    api.hasOutput('runStreamUrl', Match.anyValue());
  });

  it('lets the console reach the stream URL and the documents bucket (CSP connect-src) and tells it the stream URL', () => {
    // Prepare
    const web = synth.json['HishamOS-Web'] as { Resources: Record<string, any> };
    // Act
    const policy = Object.values(web.Resources).find(
      (r) => r.Type === 'AWS::CloudFront::ResponseHeadersPolicy',
    );
    const csp = JSON.stringify(
      policy.Properties.ResponseHeadersPolicyConfig.SecurityHeadersConfig.ContentSecurityPolicy,
    );
    const deployment = JSON.stringify(
      Object.values(web.Resources).find((r) => r.Type === 'Custom::CDKBucketDeployment'),
    );
    // Assess
    expect(csp).toContain("connect-src 'self'");
    expect(csp).toMatch(/DocumentsBucket[^"]*RegionalDomainName|RegionalDomainName/);
    expect(csp).toMatch(/runStream|FunctionUrl/i);
    expect(deployment).toMatch(/FunctionUrl|runStream/i);
  });

  it('parity: the local runtime serves exactly the routes the AWS API has', () => {
    expect(localRouteKeys()).toEqual(routeKeysInTemplate(synth.templates['HishamOS-Api']!));
  });

  it('serves the API from a throttled, access-logged $default stage', () => {
    synth.templates['HishamOS-Api']!.hasResourceProperties('AWS::ApiGatewayV2::Stage', {
      StageName: '$default',
      AutoDeploy: true,
      DefaultRouteSettings: {
        ThrottlingRateLimit: Match.anyValue(),
        ThrottlingBurstLimit: Match.anyValue(),
      },
      AccessLogSettings: {
        DestinationArn: Match.anyValue(),
        Format: Match.stringLikeRegexp('requestId'),
      },
    });
  });
});

describe('state machines', () => {
  it('creates every manifest state machine, traced, logging ALL without execution data', () => {
    // Prepare
    const workflows = synth.templates['HishamOS-Workflows']!;
    // Act
    const machines = workflows.findResources('AWS::StepFunctions::StateMachine');
    // Assess
    expect(Object.keys(machines)).toHaveLength(Object.keys(stateMachines).length);
    for (const name of Object.keys(stateMachines)) {
      workflows.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `HishamOS-Workflows-${name}`,
        TracingConfiguration: { Enabled: true },
        LoggingConfiguration: { Level: 'ALL', IncludeExecutionData: false },
      });
    }
  });

  it('leaves no unsubstituted ${...} in any definition', () => {
    // Prepare
    const workflows = synth.json['HishamOS-Workflows']!;
    const machines = Object.values(workflows.Resources).filter(
      (r) => r.Type === 'AWS::StepFunctions::StateMachine',
    );
    for (const machine of machines) {
      const props = machine.Properties;
      const definition: string =
        props.DefinitionString ??
        readAssemblyFile(synth.outdir, `asset.${props.DefinitionS3Location.Key}`);
      // Act: apply the substitutions CloudFormation will apply at deploy time
      let substituted = definition;
      for (const key of Object.keys(props.DefinitionSubstitutions ?? {}))
        substituted = substituted
          .split(`\${${key}}`)
          .join('arn:aws:lambda:xx-1:000000000000:function:f');
      // Assess
      expect(substituted).not.toContain('${');
      expect(() => JSON.parse(substituted)).not.toThrow();
    }
  });

  it('substitutes each task function ARN and grants the machine invoke on each, explicitly', () => {
    // Prepare
    const workflows = synth.templates['HishamOS-Workflows']!;
    const lambdas = lambdasByManifestName();
    for (const [machineName, machine] of Object.entries(stateMachines)) {
      const taskFns = [...new Set(Object.values(machine.tasks))] as FunctionName[];
      // Act
      const subs = Object.fromEntries(
        taskFns.map((fn) => [
          functionArnPlaceholder(fn),
          { 'Fn::GetAtt': [lambdas.get(fn)!.logicalId, 'Arn'] },
        ]),
      );
      // Assess
      workflows.hasResourceProperties('AWS::StepFunctions::StateMachine', {
        StateMachineName: `HishamOS-Workflows-${machineName}`,
        DefinitionSubstitutions: subs,
      });
      for (const fn of taskFns) {
        workflows.hasResourceProperties('AWS::IAM::Policy', {
          PolicyDocument: {
            Statement: Match.arrayWith([
              Match.objectLike({
                Action: 'lambda:InvokeFunction',
                Resource: Match.arrayWith([{ 'Fn::GetAtt': [lambdas.get(fn)!.logicalId, 'Arn'] }]),
              }),
            ]),
          },
        });
      }
    }
  });

  it('keeps a retired task function deployed and invokable, out of the definition (ADR 187)', () => {
    // Prepare: planRun left runWorkflow's Task states; executions started before still invoke it
    const workflows = synth.templates['HishamOS-Workflows']!;
    const planRun = lambdasByManifestName().get('planRun');
    const machine = Object.values(synth.json['HishamOS-Workflows']!.Resources).find(
      (r) =>
        r.Type === 'AWS::StepFunctions::StateMachine' &&
        r.Properties.StateMachineName === 'HishamOS-Workflows-runWorkflow',
    );

    // Act
    const substituted = Object.keys(machine?.Properties.DefinitionSubstitutions ?? {});

    // Assess
    expect(stateMachines.runWorkflow.retiredTasks).toEqual(['planRun']);
    expect(planRun).toBeDefined();
    expect(substituted).not.toContain(functionArnPlaceholder('planRun'));
    workflows.hasResourceProperties('AWS::IAM::Policy', {
      PolicyDocument: {
        Statement: Match.arrayWith([
          Match.objectLike({
            Action: 'lambda:InvokeFunction',
            Resource: Match.arrayWith([{ 'Fn::GetAtt': [planRun!.logicalId, 'Arn'] }]),
          }),
        ]),
      },
    });
  });
});

describe('data', () => {
  it('lets browsers PUT uploads to the documents bucket (CORS), and nothing else', () => {
    const buckets = Object.values(synth.json['HishamOS-Data']!.Resources).filter(
      (r) => r.Type === 'AWS::S3::Bucket' && r.Properties?.CorsConfiguration,
    );
    expect(buckets).toHaveLength(1);
    expect(buckets[0]!.Properties.CorsConfiguration.CorsRules).toEqual([
      expect.objectContaining({ AllowedMethods: ['PUT'], AllowedOrigins: ['*'] }),
    ]);
  });

  it('runs Aurora PostgreSQL 16 Serverless v2 with the Data API, encrypted, protected and backed up', () => {
    synth.templates['HishamOS-Data']!.hasResourceProperties('AWS::RDS::DBCluster', {
      Engine: 'aurora-postgresql',
      EngineVersion: Match.stringLikeRegexp('^16\\.'),
      EnableHttpEndpoint: true,
      StorageEncrypted: true,
      DeletionProtection: true,
      BackupRetentionPeriod: Match.anyValue(),
      ServerlessV2ScalingConfiguration: Match.objectLike({
        MinCapacity: Match.anyValue(),
        MaxCapacity: Match.anyValue(),
      }),
      MasterUserPassword: Match.anyValue(),
    });
  });

  it('migrates on deploy with a trigger that runs after the cluster exists', () => {
    // Prepare
    const data = synth.templates['HishamOS-Data']!;
    // Act
    const triggers = data.findResources('Custom::Trigger');
    // Assess
    expect(Object.keys(triggers)).toHaveLength(1);
    const trigger = Object.values(triggers)[0] as { DependsOn?: string[] };
    const cluster = Object.keys(data.findResources('AWS::RDS::DBCluster'))[0]!;
    expect(trigger.DependsOn).toEqual(expect.arrayContaining([cluster]));
  });

  it('keeps hot keys in an on-demand DynamoDB table with TTL on expiresAt and PITR', () => {
    synth.templates['HishamOS-Data']!.hasResourceProperties('AWS::DynamoDB::GlobalTable', {
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
      BillingMode: 'PAY_PER_REQUEST',
      TimeToLiveSpecification: { AttributeName: 'expiresAt', Enabled: true },
      Replicas: [
        Match.objectLike({
          PointInTimeRecoverySpecification: { PointInTimeRecoveryEnabled: true },
        }),
      ],
    });
  });

  it('blocks public access and enforces TLS on every bucket', () => {
    for (const template of Object.values(synth.templates)) {
      const buckets = template.findResources('AWS::S3::Bucket');
      for (const [id, bucket] of Object.entries(buckets)) {
        expect({ id, pab: (bucket as any).Properties.PublicAccessBlockConfiguration }).toEqual({
          id,
          pab: {
            BlockPublicAcls: true,
            BlockPublicPolicy: true,
            IgnorePublicAcls: true,
            RestrictPublicBuckets: true,
          },
        });
      }
      for (const [, policy] of Object.entries(template.findResources('AWS::S3::BucketPolicy'))) {
        expect(JSON.stringify(policy)).toContain('aws:SecureTransport');
      }
    }
  });
});

describe('web', () => {
  it('serves the console through CloudFront with OAC, SPA fallbacks and security headers', () => {
    // Prepare
    const web = synth.templates['HishamOS-Web']!;
    // Act / Assess
    web.resourceCountIs('AWS::CloudFront::OriginAccessControl', 1);
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultRootObject: 'index.html',
        CustomErrorResponses: [
          {
            ErrorCode: 403,
            ResponseCode: 200,
            ResponsePagePath: '/index.html',
            ErrorCachingMinTTL: 0,
          },
          {
            ErrorCode: 404,
            ResponseCode: 200,
            ResponsePagePath: '/index.html',
            ErrorCachingMinTTL: 0,
          },
        ],
        DefaultCacheBehavior: Match.objectLike({
          ResponseHeadersPolicyId: Match.anyValue(),
          ViewerProtocolPolicy: 'redirect-to-https',
        }),
      }),
    });
    web.hasResourceProperties('AWS::CloudFront::ResponseHeadersPolicy', {
      ResponseHeadersPolicyConfig: Match.objectLike({
        SecurityHeadersConfig: Match.objectLike({
          StrictTransportSecurity: Match.anyValue(),
          ContentSecurityPolicy: Match.anyValue(),
        }),
      }),
    });
  });

  it('serves the API reference at /docs through a viewer-request rewrite to /docs/index.html', () => {
    const web = synth.templates['HishamOS-Web']!;
    web.hasResourceProperties('AWS::CloudFront::Function', {
      FunctionConfig: Match.objectLike({ Runtime: 'cloudfront-js-2.0' }),
      FunctionCode: Match.stringLikeRegexp('/docs/index\\.html'),
    });
    web.hasResourceProperties('AWS::CloudFront::Distribution', {
      DistributionConfig: Match.objectLike({
        DefaultCacheBehavior: Match.objectLike({
          FunctionAssociations: [Match.objectLike({ EventType: 'viewer-request' })],
        }),
      }),
    });
  });

  it('deploys the console with a runtime config.json carrying the API URL', () => {
    synth.templates['HishamOS-Web']!.hasResourceProperties('Custom::CDKBucketDeployment', {
      SourceMarkers: Match.arrayWith([
        Match.objectLike({ '<<marker:0xbaba:0>>': Match.anyValue() }),
      ]),
      Prune: true,
    });
  });
});

describe('cdk-nag (AwsSolutions)', () => {
  it('synthesizes with no unacknowledged AwsSolutions error', () => {
    // Act
    const errors = synth.violations.filter(
      (v) =>
        v.ruleName.startsWith('AwsSolutions-') &&
        (v.severity === 'error' || v.severity === 'fatal'),
    );
    // Assess
    expect(
      errors.map(
        (e) =>
          `${e.ruleName} @ ${(e.violatingConstructs ?? []).map((c) => c.constructPath).join(', ')}`,
      ),
    ).toEqual([]);
    expect(synth.synthError?.message).toBeUndefined();
  });

  it('explains every acknowledgement with a non-empty reason', () => {
    // Prepare
    const acks = synth.acknowledgements.filter((a) => a.id.includes('AwsSolutions-'));
    // Act
    const unexplained = acks.filter(
      (a) => typeof a.reason !== 'string' || a.reason.trim().length < 20,
    );
    // Assess
    expect(acks.length).toBeGreaterThan(0);
    expect(unexplained).toEqual([]);
  });

  it('acknowledges no AwsSolutions rule stack-wide (only resources and CDK singletons)', () => {
    const stackWide = synth.acknowledgements.filter(
      (a) => a.id.includes('AwsSolutions-') && a.path.split('/').filter(Boolean).length < 2,
    );
    expect(stackWide).toEqual([]);
  });
});
