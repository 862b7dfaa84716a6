import { route as r } from '../route';
import { IdParams, listOf } from '../contracts/common';
import * as schedules from '../contracts/schedules';

export const schedulesRoutes = [
  r('GET', '/v1/schedules', 'viewer', 'List schedules', {
    query: schedules.ScheduleListQuery,
    response: listOf(schedules.Schedule),
  }),
  r('POST', '/v1/schedules', 'dev', 'Run a workflow on a cron in a time zone', {
    body: schedules.ScheduleCreateBody,
    response: schedules.Schedule,
    status: 201,
  }),
  r('GET', '/v1/schedules/{id}', 'viewer', 'Get a schedule with its next firings', {
    params: IdParams,
    response: schedules.Schedule,
  }),
  r('PATCH', '/v1/schedules/{id}', 'dev', 'Change a schedule (cron, zone, input, enable)', {
    params: IdParams,
    body: schedules.SchedulePatchBody,
    response: schedules.Schedule,
  }),
  r('DELETE', '/v1/schedules/{id}', 'dev', 'Delete a schedule', {
    params: IdParams,
    status: 204,
  }),
] as const;
