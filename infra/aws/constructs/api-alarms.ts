/** Server errors of the HTTP API: any 5xx answers in five minutes (bad input is 4xx, never 5xx). */
import { Duration } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import * as actions from 'aws-cdk-lib/aws-cloudwatch-actions';
import type * as sns from 'aws-cdk-lib/aws-sns';
import { Construct } from 'constructs';

export interface ApiAlarmsProps {
  readonly api: apigw.HttpApi;
  readonly topic: sns.ITopic;
  /** 5xx answers in five minutes that raise the alarm. @default 5 */
  readonly threshold?: number;
}

export class ApiAlarms extends Construct {
  readonly serverErrors: cloudwatch.Alarm;

  constructor(scope: Construct, id: string, props: ApiAlarmsProps) {
    super(scope, id);
    this.serverErrors = props.api
      .metricServerError({ period: Duration.minutes(5), statistic: 'Sum' })
      .createAlarm(this, 'ServerErrors', {
        alarmDescription:
          'HishamOS API: 5xx answers (an unmapped error, a handler timeout or an integration failure)',
        threshold: props.threshold ?? 5,
        evaluationPeriods: 1,
        comparisonOperator: cloudwatch.ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD,
        treatMissingData: cloudwatch.TreatMissingData.NOT_BREACHING,
      });
    this.serverErrors.addAlarmAction(new actions.SnsAction(props.topic));
  }
}
