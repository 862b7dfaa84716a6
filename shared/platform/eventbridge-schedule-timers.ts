/**
 * Each HishamOS schedule is one EventBridge Scheduler schedule in the stack's group, a one-time
 * `at(...)` expression for the row's next firing (ADR 121): the firing function re-arms it for
 * the next slot, so DST and cron semantics are ours (shared/schedules/cron.ts), not a translation.
 */
import {
  ConflictException,
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  SchedulerClient,
  UpdateScheduleCommand,
  type CreateScheduleCommandInput,
} from '@aws-sdk/client-scheduler';
import type { Config } from '../config';
import type { ScheduleTimers } from './ports';

export interface SchedulerTargetConfig {
  group: string;
  /** The function that fires a slot (manifest `fireSchedule`). */
  targetArn: string;
  /** The role EventBridge Scheduler assumes to invoke it (the only role the API may pass). */
  roleArn: string;
  deadLetterArn: string;
}

export function schedulerTargetFrom(cfg: Config): SchedulerTargetConfig | undefined {
  const { SCHEDULE_GROUP, SCHEDULE_TARGET_ARN, SCHEDULE_ROLE_ARN, SCHEDULE_DLQ_ARN } = cfg;
  if (!SCHEDULE_GROUP || !SCHEDULE_TARGET_ARN || !SCHEDULE_ROLE_ARN || !SCHEDULE_DLQ_ARN)
    return undefined;
  return {
    group: SCHEDULE_GROUP,
    targetArn: SCHEDULE_TARGET_ARN,
    roleArn: SCHEDULE_ROLE_ARN,
    deadLetterArn: SCHEDULE_DLQ_ARN,
  };
}

/** `at()` takes the wall time without a zone; the schedule's own zone is UTC. */
const atExpression = (at: Date) => `at(${at.toISOString().slice(0, 19)})`;

export class EventBridgeScheduleTimers implements ScheduleTimers {
  constructor(
    private readonly target: SchedulerTargetConfig | undefined,
    private readonly client: Pick<SchedulerClient, 'send'>,
  ) {}

  static fromConfig(cfg: Config): EventBridgeScheduleTimers {
    return new EventBridgeScheduleTimers(
      schedulerTargetFrom(cfg),
      new SchedulerClient({ region: cfg.AWS_REGION }),
    );
  }

  async arm(s: { tenantId: string; scheduleId: string }, at: Date | null): Promise<void> {
    const target = this.target;
    // Functions without the scheduler wiring (none that change schedules) must not pretend.
    if (!target) throw new Error('schedule timers are not configured (SCHEDULE_* settings)');
    const name = `hishamos-${s.scheduleId}`;
    if (at === null) {
      try {
        await this.client.send(new DeleteScheduleCommand({ Name: name, GroupName: target.group }));
      } catch (e) {
        if (!(e instanceof ResourceNotFoundException)) throw e;
      }
      return;
    }
    const input: CreateScheduleCommandInput = {
      Name: name,
      GroupName: target.group,
      ScheduleExpression: atExpression(at),
      ScheduleExpressionTimezone: 'UTC',
      FlexibleTimeWindow: { Mode: 'OFF' },
      State: 'ENABLED',
      Target: {
        Arn: target.targetArn,
        RoleArn: target.roleArn,
        // Ids and the slot only: never the input or anything secret (it is in the row).
        Input: JSON.stringify({
          source: 'hishamos.schedule',
          tenantId: s.tenantId,
          scheduleId: s.scheduleId,
          slot: at.toISOString(),
        }),
        RetryPolicy: { MaximumRetryAttempts: 3, MaximumEventAgeInSeconds: 3600 },
        DeadLetterConfig: { Arn: target.deadLetterArn },
      },
    };
    try {
      await this.client.send(new UpdateScheduleCommand(input));
    } catch (e) {
      if (!(e instanceof ResourceNotFoundException)) throw e;
      try {
        await this.client.send(new CreateScheduleCommand(input));
      } catch (again) {
        // Created meanwhile by a concurrent arm: set it to this slot.
        if (!(again instanceof ConflictException)) throw again;
        await this.client.send(new UpdateScheduleCommand(input));
      }
    }
  }
}
