import * as z from 'zod';
import { CronError, isTimeZone, nextFirings, parseCron } from '../../schedules/cron';
import { IdOrSlug, PageQuery, Uuid } from './common';

/** 5 fields: minute hour day-of-month month day-of-week, e.g. `0 9 * * 1-5`. */
export const CronExpression = z
  .string()
  .min(1)
  .max(200)
  .superRefine((value, ctx) => {
    try {
      // Whether a day ever matches does not depend on the zone (30 February never comes).
      if (!nextFirings(parseCron(value), 'UTC', new Date(0)).length)
        ctx.addIssue({ code: 'custom', message: 'never fires (no such day)' });
    } catch (e) {
      if (!(e instanceof CronError)) throw e;
      ctx.addIssue({ code: 'custom', message: e.message });
    }
  });
export const TimeZone = z
  .string()
  .min(1)
  .max(64)
  .refine(isTimeZone, 'not an IANA time zone name (e.g. Europe/Berlin, America/New_York, UTC)');

const ScheduleFields = {
  /** The workflow's id or slug. */
  workflowId: IdOrSlug,
  /** Run this version; absent or null: the published version at each firing. */
  version: z.number().int().min(1).nullable().optional(),
  cron: CronExpression,
  timezone: TimeZone,
  input: z.record(z.string(), z.unknown()).default({}),
  enabled: z.boolean().default(true),
};

export const ScheduleCreateBody = z.object(ScheduleFields).strict();
export type ScheduleCreateBody = z.infer<typeof ScheduleCreateBody>;
export const SchedulePatchBody = z
  .object({
    ...ScheduleFields,
    input: z.record(z.string(), z.unknown()),
    enabled: z.boolean(),
  })
  .partial()
  .strict();
export type SchedulePatchBody = z.infer<typeof SchedulePatchBody>;

export const Schedule = z.object({
  id: Uuid,
  workflowId: Uuid,
  workflowSlug: z.string(),
  version: z.number().int().nullable(),
  cron: z.string(),
  timezone: z.string(),
  input: z.record(z.string(), z.unknown()),
  enabled: z.boolean(),
  /** The next firing (null when disabled). */
  nextFireAt: z.string().nullable(),
  /** The next few firings after it, for people to check the expression (empty when disabled). */
  upcoming: z.array(z.string()),
  lastFiredAt: z.string().nullable(),
  lastRunId: Uuid.nullable(),
  /** Why the last firing started no run (e.g. the input no longer fits the workflow). */
  lastError: z.string().nullable(),
  createdAt: z.string(),
  updatedAt: z.string(),
});
export type Schedule = z.infer<typeof Schedule>;

export const ScheduleListQuery = PageQuery.extend({ workflowId: IdOrSlug.optional() });
