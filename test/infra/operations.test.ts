/**
 * What an operator gets from the template: failed executions settle their runs through an
 * EventBridge rule, and (below) alarms, a dashboard, dead-letter queues and reserved concurrency.
 * Each assertion names the resource and the property that matters; no whole-template snapshots.
 */
import { rmSync } from 'node:fs';
import { Match } from 'aws-cdk-lib/assertions';
import { stateMachines } from '../../infra/manifest';
import { lambdasByManifestName } from './template-queries';
import { synthesize, type Synthesized } from './synth';

let synth: Synthesized;
beforeAll(() => {
  synth = synthesize();
}, 240_000);
afterAll(() => rmSync(synth.outdir, { recursive: true, force: true }));

const resourcesOf = (stack: string, type: string) =>
  Object.entries(synth.json[stack]!.Resources).filter(([, r]) => r.Type === type);

describe('execution-status rule', () => {
  it.each([
    ['runWorkflow', 'settleFailedRun', stateMachines.runWorkflow.onExecutionFailed],
    ['runBatch', 'finalizeBatch', stateMachines.runBatch.onExecutionFailed],
  ])('sends FAILED, TIMED_OUT and ABORTED executions of %s to %s', (machine, fn, target) => {
    // Prepare
    expect(target).toBe(fn);
    const workflows = synth.templates['HishamOS-Workflows']!;
    const settle = lambdasByManifestName(synth).get(target)!;
    const [machineId] = Object.entries(synth.json['HishamOS-Workflows']!.Resources).find(
      ([, r]) =>
        r.Type === 'AWS::StepFunctions::StateMachine' &&
        r.Properties.StateMachineName === `HishamOS-Workflows-${machine}`,
    )!;
    // Act / Assess
    workflows.hasResourceProperties('AWS::Events::Rule', {
      EventPattern: {
        source: ['aws.states'],
        'detail-type': ['Step Functions Execution Status Change'],
        detail: {
          status: ['FAILED', 'TIMED_OUT', 'ABORTED'],
          stateMachineArn: [{ Ref: machineId }],
        },
      },
      State: 'ENABLED',
      Targets: [
        Match.objectLike({
          Arn: { 'Fn::GetAtt': [settle.logicalId, 'Arn'] },
          RetryPolicy: Match.objectLike({ MaximumRetryAttempts: 8 }),
          DeadLetterConfig: { Arn: Match.anyValue() },
        }),
      ],
    });
    workflows.hasResourceProperties('AWS::Lambda::Permission', {
      Action: 'lambda:InvokeFunction',
      FunctionName: { 'Fn::GetAtt': [settle.logicalId, 'Arn'] },
      Principal: 'events.amazonaws.com',
    });
  });

  it('dead-letters undeliverable events into an encrypted, TLS-only queue', () => {
    // Act
    const queues = resourcesOf('HishamOS-Workflows', 'AWS::SQS::Queue');
    const policies = resourcesOf('HishamOS-Workflows', 'AWS::SQS::QueuePolicy');
    // Assess
    expect(queues.length).toBeGreaterThanOrEqual(1);
    for (const [, q] of queues) expect(q.Properties.SqsManagedSseEnabled).toBe(true);
    expect(JSON.stringify(policies)).toContain('aws:SecureTransport');
  });
});

const allResources = (type: string) =>
  Object.entries(synth.json).flatMap(([stack, t]) =>
    Object.entries(t.Resources)
      .filter(([, r]) => r.Type === type)
      .map(([logicalId, r]) => ({ stack, logicalId, r })),
  );
const alarmsOn = (metric: string) =>
  allResources('AWS::CloudWatch::Alarm').filter((a) => a.r.Properties.MetricName === metric);
const dimensionRefs = (a: { r: any }) => JSON.stringify(a.r.Properties.Dimensions ?? []);

describe('alarms', () => {
  it('notify one SNS topic, TLS only, from every stack', () => {
    // Act
    const topics = allResources('AWS::SNS::Topic');
    const alarms = allResources('AWS::CloudWatch::Alarm');
    // Assess
    expect(topics.map((t) => t.stack)).toEqual(['HishamOS-Data']);
    expect(JSON.stringify(allResources('AWS::SNS::TopicPolicy'))).toContain('aws:SecureTransport');
    expect(alarms.length).toBeGreaterThan(40);
    for (const a of alarms)
      expect({ id: a.logicalId, actions: JSON.stringify(a.r.Properties.AlarmActions) }).toEqual({
        id: a.logicalId,
        // In the data stack a Ref; elsewhere the data stack's published output of that Ref.
        actions: expect.stringContaining(topics[0]!.logicalId.slice(0, 'AlarmsTopic'.length)),
      });
  });

  it('watch every state machine for failed and timed-out executions', () => {
    for (const name of Object.keys(stateMachines)) {
      const [machineId] = Object.entries(synth.json['HishamOS-Workflows']!.Resources).find(
        ([, r]) =>
          r.Type === 'AWS::StepFunctions::StateMachine' &&
          r.Properties.StateMachineName === `HishamOS-Workflows-${name}`,
      )!;
      for (const metric of ['ExecutionsFailed', 'ExecutionsTimedOut']) {
        const found = alarmsOn(metric).filter((a) => dimensionRefs(a).includes(machineId));
        expect({ name, metric, alarms: found.length }).toEqual({ name, metric, alarms: 1 });
        expect(found[0]!.r.Properties).toMatchObject({ Threshold: 1, Namespace: 'AWS/States' });
      }
    }
  });

  it('watch every function for errors and throttles', () => {
    const lambdas = lambdasByManifestName(synth);
    for (const [name, fn] of lambdas) {
      for (const metric of ['Errors', 'Throttles']) {
        const found = alarmsOn(metric).filter(
          (a) => a.stack === fn.stack && dimensionRefs(a).includes(`"${fn.logicalId}"`),
        );
        expect({ name, metric, alarms: found.length }).toEqual({ name, metric, alarms: 1 });
      }
    }
  });

  it('watch the API for 5xx answers and the database for capacity near its maximum', () => {
    // Act
    const api5xx = alarmsOn('5xx');
    const capacity = alarmsOn('ServerlessDatabaseCapacity');
    // Assess
    expect(api5xx.map((a) => [a.stack, a.r.Properties.Namespace])).toEqual([
      ['HishamOS-Api', 'AWS/ApiGateway'],
    ]);
    expect(
      capacity.map((a) => [a.stack, a.r.Properties.Threshold, a.r.Properties.EvaluationPeriods]),
    ).toEqual([['HishamOS-Data', 3.6, 3]]);
  });
});

describe('dashboard', () => {
  it('is one dashboard covering runs, API, Lambda errors, throttles, concurrency and the database', () => {
    // Act
    const dashboards = allResources('AWS::CloudWatch::Dashboard');
    const body = JSON.stringify(dashboards[0]?.r.Properties.DashboardBody);
    // Assess
    expect(dashboards).toHaveLength(1);
    for (const needle of [
      'MetricName=\\\\\\"ExecutionsFailed\\\\\\"',
      'MetricName=\\\\\\"Errors\\\\\\"',
      'MetricName=\\\\\\"Throttles\\\\\\"',
      'MetricName=\\\\\\"ConcurrentExecutions\\\\\\"',
      'MetricName=\\\\\\"ServerlessDatabaseCapacity\\\\\\"',
      '5xx',
    ])
      expect({ needle, found: body.includes(needle) }).toEqual({ needle, found: true });
  });
});

describe('scheduler', () => {
  it('dead-letters every schedule into an encrypted queue after two retries', () => {
    // Act
    const schedules = resourcesOf('HishamOS-Workflows', 'AWS::Scheduler::Schedule');
    // Assess
    expect(schedules.length).toBeGreaterThan(0);
    for (const [id, s] of schedules) {
      expect({ id, target: s.Properties.Target }).toEqual({
        id,
        target: expect.objectContaining({
          DeadLetterConfig: { Arn: { 'Fn::GetAtt': [expect.any(String), 'Arn'] } },
          RetryPolicy: expect.objectContaining({ MaximumRetryAttempts: 2 }),
        }),
      });
      const queueId = s.Properties.Target.DeadLetterConfig.Arn['Fn::GetAtt'][0];
      expect(synth.json['HishamOS-Workflows']!.Resources[queueId]).toMatchObject({
        Type: 'AWS::SQS::Queue',
        Properties: { SqsManagedSseEnabled: true },
      });
    }
  });
});

describe('reserved concurrency', () => {
  it('caps agent, tool and embedding steps so they cannot starve the API, which reserves none', () => {
    // Prepare
    const lambdas = lambdasByManifestName(synth);
    // Act
    const reserved = Object.fromEntries(
      [...lambdas.entries()]
        .filter(([, fn]) => fn.resource.Properties.ReservedConcurrentExecutions !== undefined)
        .map(([name, fn]) => [name, fn.resource.Properties.ReservedConcurrentExecutions]),
    );
    // Assess
    expect(reserved).toEqual({ runAgentStep: 40, runToolStep: 10, embedChunks: 10 });
    // Lambda keeps 100 unreserved; the default account limit is 1,000.
    expect(Object.values(reserved).reduce((a: number, b) => a + Number(b), 0)).toBeLessThanOrEqual(
      900,
    );
  });
});

describe('an unprotected deployment (hishamos:protectData=false)', () => {
  let unprotected: Synthesized;
  beforeAll(() => {
    unprotected = synthesize({
      bundle: false,
      functionsDir: synth.built.bundle?.outDir,
      protectData: false,
      reserveConcurrency: false,
    });
  }, 240_000);
  afterAll(() => rmSync(unprotected.outdir, { recursive: true, force: true }));

  it('empties every bucket on delete, so no bucket blocks the stack deletion', () => {
    for (const [stack, t] of Object.entries(unprotected.json)) {
      // The Object Lock bucket of audit anchors is retained by design: locked objects cannot be
      // deleted before their retention ends, by anyone (ADR 053), so it cannot block the deletion.
      const buckets = Object.entries(t.Resources).filter(
        ([, r]) =>
          r.Type === 'AWS::S3::Bucket' &&
          !(r.Properties?.ObjectLockEnabled === true && (r as any).DeletionPolicy === 'Retain'),
      );
      const autoDeleted = Object.values(t.Resources)
        .filter((r) => r.Type === 'Custom::S3AutoDeleteObjects')
        .map((r) => JSON.stringify(r.Properties.BucketName));
      for (const [id] of buckets)
        expect({ stack, id, autoDelete: autoDeleted.some((b) => b.includes(id)) }).toEqual({
          stack,
          id,
          autoDelete: true,
        });
    }
  });

  it('stays clean under cdk-nag, and reserves no concurrency when told not to', () => {
    const errors = unprotected.violations.filter(
      (v) => v.ruleName.startsWith('AwsSolutions-') && ['error', 'fatal'].includes(v.severity),
    );
    expect(
      errors.map((e) => `${e.ruleName} @ ${e.violatingConstructs?.[0]?.constructPath}`),
    ).toEqual([]);
    expect(unprotected.synthError?.message).toBeUndefined();
    const reserved = [...lambdasByManifestName(unprotected).values()].filter(
      (fn) => fn.resource.Properties.ReservedConcurrentExecutions !== undefined,
    );
    expect(reserved).toEqual([]);
  });
});

describe('a protected deployment (the default)', () => {
  it('retains the data buckets with their objects instead of blocking the stack deletion', () => {
    const data = synth.json['HishamOS-Data']!.Resources;
    const buckets = Object.values(data).filter((r) => r.Type === 'AWS::S3::Bucket');
    expect(buckets.length).toBe(4); // access logs, documents, artifacts, audit anchors
    for (const b of buckets) expect(b).toMatchObject({ DeletionPolicy: 'Retain' });
    expect(Object.values(data).some((r) => r.Type === 'Custom::S3AutoDeleteObjects')).toBe(false);
  });
});
