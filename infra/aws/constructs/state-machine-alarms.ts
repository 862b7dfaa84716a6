/**
 * Executions of a state machine that failed or timed out. A failed execution of the run machine also
 * settles its run (the execution-status rule); the alarm tells an operator that it happened.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import type * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import { Construct } from 'constructs';

export interface StateMachineAlarmsProps {
  readonly stateMachine: sfn.StateMachine;
  /** The manifest name, for alarm descriptions. */
  readonly name: string;
  readonly topic: sns.ITopic;
}

export class StateMachineAlarms extends Construct {
  readonly failed: cloudwatch.Alarm;
  readonly timedOut: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: StateMachineAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    const alarm = (alarmId: string, metric: cloudwatch.Metric, description: string) => {
      const a = metric.createAlarm(this, alarmId, {
        alarmDescription: description,
        threshold: 1,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
      a.addAlarmAction(action);
      return a;
    };
    const period = { period: Duration.minutes(5), statistic: 'Sum' };
    this.failed = alarm(
      'ExecutionsFailed',
      props.stateMachine.metricFailed(period),
      `HishamOS ${props.name}: executions failed past every Catch`,
    );
    this.timedOut = alarm(
      'ExecutionsTimedOut',
      props.stateMachine.metricTimedOut(period),
      `HishamOS ${props.name}: executions timed out`,
    );
  }
}
