/**
 * Aurora Serverless v2 near its ceiling: capacity at 90% of the maximum ACUs for 15 minutes means
 * queries will queue; raise `maxCapacity` (DataStackProps) or find the query.
 */
import { Duration } from 'aws-cdk-lib';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as rds from 'aws-cdk-lib/aws-rds';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface DatabaseAlarmsProps {
  readonly cluster: rds.DatabaseCluster;
  readonly maxCapacity: number;
  readonly topic: sns.ITopic;
}

export class DatabaseAlarms extends Construct {
  readonly capacity: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: DatabaseAlarmsProps) {
    super(scope, id);
    this.capacity = props.cluster
      .metricServerlessDatabaseCapacity({ period: Duration.minutes(5), statistic: 'Average' })
      .createAlarm(this, 'CapacityNearMax', {
        alarmDescription: `HishamOS database: capacity at 90% of its ${props.maxCapacity} ACU maximum for 15 minutes`,
        threshold: 0.9 * props.maxCapacity,
        evaluationPeriods: 3,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.capacity.addAlarmAction(new actions.SnsAction(props.topic));
  }
}
