/** The AWS side of a schedule's timer (ADR 121): one EventBridge Scheduler schedule per schedule. */
import {
  CreateScheduleCommand,
  DeleteScheduleCommand,
  ResourceNotFoundException,
  UpdateScheduleCommand,
} from '@aws-sdk/client-scheduler';
import { EventBridgeScheduleTimers } from '../../../shared/platform/eventbridge-schedule-timers';

const target = {
  group: 'HishamOS-Workflows-schedules',
  targetArn: 'arn:aws:lambda:eu-west-1:111122223333:function:HishamOS-Workflows-fireSchedule',
  roleArn: 'arn:aws:iam::111122223333:role/UserScheduleRole',
  deadLetterArn: 'arn:aws:sqs:eu-west-1:111122223333:dlq',
};
const ids = {
  tenantId: '11111111-1111-4111-8111-111111111111',
  scheduleId: '33333333-3333-4333-8333-333333333333',
};
const notFound = () =>
  new ResourceNotFoundException({
    message: 'no such schedule',
    Message: 'no such schedule',
    $metadata: {},
  });

function fakeClient(fail: (command: unknown) => Error | undefined = () => undefined) {
  const sent: unknown[] = [];
  return {
    sent,
    client: {
      send: async (command: unknown) => {
        sent.push(command);
        const error = fail(command);
        if (error) throw error;
        return {};
      },
    } as never,
  };
}

test('arming moves the schedule to a one-time at() in UTC with ids and the slot only', async () => {
  const { client, sent } = fakeClient();

  await new EventBridgeScheduleTimers(target, client).arm(ids, new Date('2026-12-01T08:00:00Z'));

  expect(sent).toHaveLength(1);
  expect(sent[0]).toBeInstanceOf(UpdateScheduleCommand);
  const input = (sent[0] as UpdateScheduleCommand).input;
  expect(input).toMatchObject({
    Name: `hishamos-${ids.scheduleId}`,
    GroupName: target.group,
    ScheduleExpression: 'at(2026-12-01T08:00:00)',
    ScheduleExpressionTimezone: 'UTC',
    FlexibleTimeWindow: { Mode: 'OFF' },
    Target: {
      Arn: target.targetArn,
      RoleArn: target.roleArn,
      DeadLetterConfig: { Arn: target.deadLetterArn },
    },
  });
  expect(JSON.parse(input.Target?.Input ?? '')).toEqual({
    source: 'hishamos.schedule',
    ...ids,
    slot: '2026-12-01T08:00:00.000Z',
  });
});

test('a schedule that does not exist yet is created', async () => {
  const { client, sent } = fakeClient((c) =>
    c instanceof UpdateScheduleCommand ? notFound() : undefined,
  );

  await new EventBridgeScheduleTimers(target, client).arm(ids, new Date('2026-12-01T08:00:00Z'));

  expect(sent.map((c) => (c as object).constructor)).toEqual([
    UpdateScheduleCommand,
    CreateScheduleCommand,
  ]);
});

test('disarming deletes it, and a schedule already gone is fine', async () => {
  const { client, sent } = fakeClient(() => notFound());

  await new EventBridgeScheduleTimers(target, client).arm(ids, null);

  expect(sent).toHaveLength(1);
  expect(sent[0]).toBeInstanceOf(DeleteScheduleCommand);
  expect((sent[0] as DeleteScheduleCommand).input).toEqual({
    Name: `hishamos-${ids.scheduleId}`,
    GroupName: target.group,
  });
});

test('other errors and a missing configuration are not swallowed', async () => {
  const denied = fakeClient(() => new Error('AccessDenied'));
  await expect(
    new EventBridgeScheduleTimers(target, denied.client).arm(ids, new Date()),
  ).rejects.toThrow('AccessDenied');
  await expect(
    new EventBridgeScheduleTimers(undefined, fakeClient().client).arm(ids, new Date()),
  ).rejects.toThrow('not configured');
});
