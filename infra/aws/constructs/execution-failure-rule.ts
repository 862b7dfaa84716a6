/**
 * Settles runs whose execution ended without settling them: an EventBridge rule on the state
 * machine's "Step Functions Execution Status Change" events with status FAILED, TIMED_OUT or
 * ABORTED, targeting the manifest's `onExecutionFailed` function (retried, then dead-lettered).
 */
import { Duration } from 'aws-cdk-lib';
import * as events from 'aws-cdk-lib/aws-events';
import * as targets from 'aws-cdk-lib/aws-events-targets';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';
import { DeadLetterQueue } from './dead-letter-queue';

export const FAILED_EXECUTION_STATUSES = ['FAILED', 'TIMED_OUT', 'ABORTED'] as const;

export interface ExecutionFailureRuleProps {
  readonly stateMachine: sfn.IStateMachine;
  readonly handler: lambda.IFunction;
}

export class ExecutionFailureRule extends Construct {
  readonly rule: events.Rule;
  readonly deadLetters: DeadLetterQueue;

  constructor(scope: Construct, id: string, props: ExecutionFailureRuleProps) {
    super(scope, id);
    this.deadLetters = new DeadLetterQueue(this, 'DeadLetters', {
      purpose: 'execution-status events that could not be delivered to the settling function',
    });
    this.rule = new events.Rule(this, 'Rule', {
      description: 'HishamOS: settle runs whose execution failed, timed out or was aborted',
      eventPattern: {
        source: ['aws.states'],
        detailType: ['Step Functions Execution Status Change'],
        detail: {
          status: [...FAILED_EXECUTION_STATUSES],
          stateMachineArn: [props.stateMachine.stateMachineArn],
        },
      },
      targets: [
        new targets.LambdaFunction(props.handler, {
          retryAttempts: 8,
          maxEventAge: Duration.hours(24),
          deadLetterQueue: this.deadLetters.queue,
        }),
      ],
    });
  }
}
