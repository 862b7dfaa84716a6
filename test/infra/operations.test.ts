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
  it('sends FAILED, TIMED_OUT and ABORTED executions of the run machine to settleFailedRun', () => {
    // Prepare
    const workflows = synth.templates['HishamOS-Workflows']!;
    const settle = lambdasByManifestName(synth).get(stateMachines.runWorkflow.onExecutionFailed)!;
    const [machineId] = Object.entries(synth.json['HishamOS-Workflows']!.Resources).find(
      ([, r]) =>
        r.Type === 'AWS::StepFunctions::StateMachine' &&
        r.Properties.StateMachineName === 'HishamOS-Workflows-runWorkflow',
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
