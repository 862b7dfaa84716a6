/** Errors and throttles of Lambda functions: one alarm each per function, to the alarm topic. */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';
import type { HishamFunction } from './hisham-function';

export interface FunctionAlarmsProps {
  readonly functions: readonly HishamFunction[];
  readonly topic: sns.ITopic;
}

export class FunctionAlarms extends Construct {
  readonly alarms: cloudwatch.Alarm[] = [];

  constructor(scope: Construct, id: string, props: FunctionAlarmsProps) {
    super(scope, id);
    const action = new actions.SnsAction(props.topic);
    for (const f of props.functions) {
      const name = f.manifestName;
      const watched: Array<[string, cloudwatch.Metric, string]> = [
        [
          'Errors',
          f.fn.metricErrors({ period: Duration.minutes(5), statistic: 'Sum' }),
          `HishamOS ${name}: invocations failed (an unhandled error, a timeout or out of memory)`,
        ],
        [
          'Throttles',
          f.fn.metricThrottles({ period: Duration.minutes(5), statistic: 'Sum' }),
          `HishamOS ${name}: invocations throttled (reserved or account concurrency exhausted)`,
        ],
      ];
      for (const [kind, metric, description] of watched) {
        const alarm = metric.createAlarm(this, `${name}${kind}`, {
          alarmDescription: description,
          threshold: 1,
          evaluationPeriods: 1,
          comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
          treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
        });
        alarm.addAlarmAction(action);
        this.alarms.push(alarm);
      }
    }
  }
}
