/**
 * One CloudWatch dashboard for the whole deployment. Widgets find their metrics with SEARCH
 * expressions on the stack-name prefix (every function, state machine and cluster carries it), so the
 * dashboard references no resource of another stack and adds no cross-stack export.
 */
import { Duration, Stack } from 'aws-cdk-lib';
import type * as apigw from 'aws-cdk-lib/aws-apigatewayv2';
import * as cloudwatch from 'aws-cdk-lib/aws-cloudwatch';
import { Construct } from 'constructs';

export interface OperationsDashboardProps {
  /** The common stack-name prefix, e.g. `HishamOS`. */
  readonly prefix: string;
  readonly api: apigw.HttpApi;
}

export class OperationsDashboard extends Construct {
  readonly dashboard: cloudwatch.Dashboard;

  constructor(scope: Construct, id: string, props: OperationsDashboardProps) {
    super(scope, id);
    const period = Duration.minutes(5);
    // A quoted term matches whole tokens of a dimension value (names split at '-'), so the stack
    // prefix finds this deployment's functions, state machines and cluster, and nothing else.
    const search = (namespace: string, metric: string, stat: string, term: string, label: string) =>
      new cloudwatch.SearchExpression({
        expression: `SEARCH('{${namespace}} MetricName="${metric}" "${term}"', '${stat}', ${period.toSeconds()})`,
        label: label || undefined,
        period,
      });
    const p = props.prefix;
    const lower = p.toLowerCase();
    const graph = (title: string, left: cloudwatch.IMetric[], width = 12) =>
      new cloudwatch.GraphWidget({ title, left, width, height: 6 });

    this.dashboard = new cloudwatch.Dashboard(this, 'Dashboard', {
      dashboardName: `${Stack.of(this).stackName}-operations`,
      defaultInterval: Duration.hours(24),
    });
    this.dashboard.addWidgets(
      graph('Runs: executions started, succeeded, failed, timed out', [
        search('AWS/States,StateMachineArn', 'ExecutionsStarted', 'Sum', p, 'started'),
        search('AWS/States,StateMachineArn', 'ExecutionsSucceeded', 'Sum', p, 'succeeded'),
        search('AWS/States,StateMachineArn', 'ExecutionsFailed', 'Sum', p, 'failed'),
        search('AWS/States,StateMachineArn', 'ExecutionsTimedOut', 'Sum', p, 'timed out'),
      ]),
      graph('API: requests, 4xx, 5xx', [
        props.api.metricCount({ period, label: 'requests' }),
        props.api.metricClientError({ period, label: '4xx' }),
        props.api.metricServerError({ period, label: '5xx' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Lambda errors by function', [
        search('AWS/Lambda,FunctionName', 'Errors', 'Sum', p, ''),
      ]),
      graph('Lambda throttles by function', [
        search('AWS/Lambda,FunctionName', 'Throttles', 'Sum', p, ''),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Lambda concurrency by function (agent steps are capped)', [
        search('AWS/Lambda,FunctionName', 'ConcurrentExecutions', 'Maximum', p, ''),
      ]),
      graph('API latency p99 (ms)', [
        props.api.metricLatency({ period, statistic: 'p99', label: 'p99' }),
      ]),
    );
    this.dashboard.addWidgets(
      graph('Database capacity (ACU)', [
        search('AWS/RDS,DBClusterIdentifier', 'ServerlessDatabaseCapacity', 'Average', lower, ''),
      ]),
      graph('Database connections', [
        search('AWS/RDS,DBClusterIdentifier', 'DatabaseConnections', 'Average', lower, ''),
      ]),
    );
  }
}
