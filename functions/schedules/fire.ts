import * as z from 'zod';
import { fireDueSchedules, fireSchedule } from '../../shared/schedules/fire';
import { taskHandler } from '../../shared/tasks/task-handler';

/**
 * Two callers: a schedule's own EventBridge Scheduler schedule with the slot it was armed for,
 * and the manifest timer (every 5 minutes), the safety net that fires any schedule left overdue.
 */
const Event = z.discriminatedUnion('source', [
  z.object({
    source: z.literal('hishamos.schedule'),
    tenantId: z.uuid(),
    scheduleId: z.uuid(),
    slot: z.iso.datetime(),
  }),
  z.object({ source: z.enum(['hishamos.scheduler', 'local.scheduler']) }).passthrough(),
]);

export const handler = taskHandler(Event, async (p, event) =>
  event.source === 'hishamos.schedule'
    ? fireSchedule(p, {
        tenantId: event.tenantId,
        scheduleId: event.scheduleId,
        slot: new Date(event.slot),
      })
    : { fired: await fireDueSchedules(p) },
);
