/**
 * The Step Functions tasks (manifest functions of kind `task`, except `migrate`, which belongs to the
 * data stack) and every state machine in the manifest, loaded from statemachines/<asl>.
 */
import {
  ArnFormat,
  Duration,
  RemovalPolicy,
  Stack,
  Validations,
  type StackProps,
} from 'aws-cdk-lib';
import type * as lambda from 'aws-cdk-lib/aws-lambda';
import * as iam from 'aws-cdk-lib/aws-iam';
import * as logs from 'aws-cdk-lib/aws-logs';
import * as scheduler from 'aws-cdk-lib/aws-scheduler';
import * as schedulerTargets from 'aws-cdk-lib/aws-scheduler-targets';
import type * as sns from 'aws-cdk-lib/aws-sns';
import * as sfn from 'aws-cdk-lib/aws-stepfunctions';
import type { Construct } from 'constructs';
import path from 'node:path';
import {
  functionArnPlaceholder,
  functions,
  stateMachines,
  type FunctionName,
  type FunctionSpec,
  type StateMachineName,
  type StateMachineSpec,
} from '../../manifest';
import { DeadLetterQueue } from '../constructs/dead-letter-queue';
import { ExecutionFailureRule } from '../constructs/execution-failure-rule';
import { FunctionAlarms } from '../constructs/function-alarms';
import { StateMachineAlarms } from '../constructs/state-machine-alarms';
import { HishamFunction } from '../constructs/hisham-function';
import {
  environmentFor,
  grantDistributedMap,
  grantUses,
  type DataRefs,
  type ExecutionTarget,
  type SchedulerRefs,
} from '../wiring';

/** The task every user schedule's EventBridge Scheduler schedule invokes (ADR 121). */
export const USER_SCHEDULE_TARGET: FunctionName = 'fireSchedule';

/** Task functions deployed by this stack (every `task` in the manifest but the deploy-time ones). */
export const DEPLOY_TIME_FUNCTIONS: readonly FunctionName[] = ['migrate'];

export function workflowTaskFunctions(): FunctionName[] {
  return (Object.entries(functions) as Array<[FunctionName, FunctionSpec]>)
    .filter(([name, spec]) => spec.kind === 'task' && !DEPLOY_TIME_FUNCTIONS.includes(name))
    .map(([name]) => name);
}

export interface WorkflowsStackProps extends StackProps {
  readonly data: DataRefs;
  readonly functionsDir: string;
  /** Directory of the ASL files. */
  readonly stateMachinesDir: string;
  readonly alarmTopic: sns.ITopic;
  /** Apply the manifest's reserved concurrency. @default true */
  readonly reserveConcurrency?: boolean;
}

export class WorkflowsStack extends Stack {
  readonly functions: Partial<Record<FunctionName, HishamFunction>> = {};
  readonly stateMachines: Partial<Record<StateMachineName, sfn.StateMachine>> = {};
  /** What the API functions need to start and stop executions, keyed by manifest name. */
  readonly executionTargets: Record<string, ExecutionTarget> = {};
  /** User schedules' group, firing function, invoke role and DLQ (ADR 121), for the API stack too. */
  readonly schedulerRefs: SchedulerRefs;

  constructor(scope: Construct, id: string, props: WorkflowsStackProps) {
    super(scope, id, props);

    // Tasks that start runs (sub-workflow and map steps) reach the machines by their fixed names:
    // a reference to the machine resource would be a cycle, as its definition names the tasks.
    const byName: Record<string, ExecutionTarget> = {};
    for (const machineName of Object.keys(stateMachines)) {
      const physicalName = `${this.stackName}-${machineName}`;
      byName[machineName] = {
        physicalName,
        stateMachine: sfn.StateMachine.fromStateMachineName(
          this,
          `${machineName}ByName`,
          physicalName,
        ),
      };
    }

    this.schedulerRefs = this.userSchedules();

    for (const name of workflowTaskFunctions()) {
      const spec: FunctionSpec = functions[name];
      const fn = new HishamFunction(this, name, {
        name,
        spec,
        codeDir: path.join(props.functionsDir, name),
        environment: environmentFor(spec, props.data, byName, this.schedulerRefs),
        reserveConcurrency: props.reserveConcurrency,
      });
      grantUses(fn, spec, props.data, byName, this.schedulerRefs);
      if (name === USER_SCHEDULE_TARGET)
        // A fixed name: the firing function re-arms its schedule with its own ARN, which a
        // reference to the function resource in its own environment would make a cycle.
        (fn.fn.node.defaultChild as lambda.CfnFunction).functionName = this.fireFunctionName();
      this.functions[name] = fn;
      if (spec.schedule) {
        // EventBridge Scheduler invokes the task on the manifest's timer (a setInterval locally).
        const role = new iam.Role(this, `${name}ScheduleRole`, {
          assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com'),
          description: `HishamOS scheduler invokes ${name}`,
        });
        new scheduler.Schedule(this, `${name}Schedule`, {
          description: `HishamOS ${name}: ${spec.schedule.description}`,
          schedule: scheduler.ScheduleExpression.rate(Duration.minutes(spec.schedule.everyMinutes)),
          target: new schedulerTargets.LambdaInvoke(fn.fn, {
            role,
            input: scheduler.ScheduleTargetInput.fromObject({
              source: 'hishamos.scheduler',
              task: name,
            }),
            retryAttempts: 2,
            maxEventAge: Duration.hours(1),
            // What the scheduler could not deliver after its retries is kept for an operator.
            deadLetterQueue: new DeadLetterQueue(this, `${name}ScheduleDeadLetters`, {
              purpose: `${name} schedule invocations that failed after their retries`,
            }).queue,
          }),
        });
        Validations.of(role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
          reason: `The scheduler target grant covers the ${name} function and its versions/aliases (<arn>:*), one function only.`,
        });
      }
    }

    if (!this.functions[USER_SCHEDULE_TARGET])
      throw new Error(`the user schedules' target ${USER_SCHEDULE_TARGET} is not a task function`);

    new FunctionAlarms(this, 'FunctionAlarms', {
      functions: Object.values(this.functions).filter((f) => f !== undefined),
      topic: props.alarmTopic,
    });

    for (const [machineName, machine] of Object.entries(stateMachines) as Array<
      [StateMachineName, (typeof stateMachines)[StateMachineName]]
    >) {
      const spec: StateMachineSpec = machine;
      const taskFns = [...new Set(Object.values(machine.tasks))] as FunctionName[];
      const definitionSubstitutions: Record<string, string> = {};
      for (const fnName of taskFns) {
        const fn = this.functions[fnName];
        if (!fn)
          throw new Error(
            `state machine ${machineName}: task function ${fnName} is not a workflow task function`,
          );
        definitionSubstitutions[functionArnPlaceholder(fnName)] = fn.fn.functionArn;
      }
      const logGroup = new logs.LogGroup(this, `${machineName}Logs`, {
        retention: logs.RetentionDays.ONE_MONTH,
        removalPolicy: RemovalPolicy.DESTROY,
      });
      // A fixed name (per stack) makes execution ARNs known at synth: `...:execution:<name>:<run>`.
      const physicalName = `${this.stackName}-${machineName}`;
      const sm = new sfn.StateMachine(this, machineName, {
        stateMachineName: physicalName,
        comment: machine.description,
        definitionBody: sfn.DefinitionBody.fromFile(path.join(props.stateMachinesDir, machine.asl)),
        definitionSubstitutions,
        stateMachineType: sfn.StateMachineType.STANDARD,
        tracingEnabled: true,
        // ALL events, but never the payloads: state input/output stays out of the logs.
        logs: { destination: logGroup, level: sfn.LogLevel.ALL, includeExecutionData: false },
      });
      const retired = (spec.retiredTasks ?? []) as FunctionName[];
      for (const fnName of [...taskFns, ...retired]) {
        const fn = this.functions[fnName];
        if (!fn)
          throw new Error(`state machine ${machineName}: task function ${fnName} is not deployed`);
        fn.fn.grantInvoke(sm);
        Validations.of(sm.role).acknowledge({
          id: `AwsSolutions-IAM5[Resource::<${this.getLogicalId(fn.fn.node.defaultChild as lambda.CfnFunction)}.Arn>:*]`,
          reason: `grantInvoke covers the ${fnName} function and its versions/aliases (<arn>:*), one function only; the ASL invokes it by ARN.`,
        });
      }
      Validations.of(sm.role).acknowledge({
        id: 'AwsSolutions-IAM5[Resource::*]',
        reason:
          'X-Ray tracing (xray:PutTraceSegments, PutTelemetryRecords, GetSampling*) and CloudWatch Logs delivery (logs:CreateLogDelivery, ListLogDeliveries, ...) support no resource-level permissions, so Step Functions requires them on "*".',
      });
      if (spec.distributedMap)
        grantDistributedMap(sm, physicalName, props.data, spec.distributedMap.itemsBucket);
      new StateMachineAlarms(this, `${machineName}Alarms`, {
        stateMachine: sm,
        name: machineName,
        topic: props.alarmTopic,
      });
      this.stateMachines[machineName] = sm;
      this.executionTargets[machineName] = { stateMachine: sm, physicalName };
      if (spec.onExecutionFailed) {
        const handler = this.functions[spec.onExecutionFailed as FunctionName];
        if (!handler)
          throw new Error(
            `state machine ${machineName}: onExecutionFailed ${spec.onExecutionFailed} is not a workflow task function`,
          );
        new ExecutionFailureRule(this, `${machineName}FailedExecutions`, {
          stateMachine: sm,
          handler: handler.fn,
        });
      }
    }
  }

  private fireFunctionName(): string {
    return `${this.stackName}-${USER_SCHEDULE_TARGET}`.slice(0, 64);
  }

  /**
   * User schedules (ADR 121): a schedule group, the role EventBridge Scheduler invokes the firing
   * function with (that function only, from this account only) and the DLQ of failed firings.
   */
  private userSchedules(): SchedulerRefs {
    const groupName = `${this.stackName}-schedules`;
    new scheduler.ScheduleGroup(this, 'UserSchedules', { scheduleGroupName: groupName });
    const targetArn = this.formatArn({
      service: 'lambda',
      resource: 'function',
      resourceName: this.fireFunctionName(),
      arnFormat: ArnFormat.COLON_RESOURCE_NAME,
    });
    const deadLetters = new DeadLetterQueue(this, 'UserScheduleDeadLetters', {
      purpose: 'user schedule firings that failed after their retries',
    }).queue;
    const role = new iam.Role(this, 'UserScheduleRole', {
      assumedBy: new iam.ServicePrincipal('scheduler.amazonaws.com', {
        conditions: { StringEquals: { 'aws:SourceAccount': this.account } },
      }),
      description: `HishamOS user schedules invoke ${USER_SCHEDULE_TARGET}`,
    });
    role.addToPrincipalPolicy(
      new iam.PolicyStatement({ actions: ['lambda:InvokeFunction'], resources: [targetArn] }),
    );
    deadLetters.grantSendMessages(role);
    return {
      groupName,
      targetArn,
      roleArn: role.roleArn,
      deadLetterArn: deadLetters.queueArn,
    };
  }
}
