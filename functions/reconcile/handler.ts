import * as z from 'zod';
import { reconcileGithubDeliveries } from '../../shared/automation/reconcile';
import { taskHandler } from '../../shared/tasks/task-handler';

/** Invoked by EventBridge Scheduler (AWS) or the local timer; the scheduled event's fields are not used. */
export const handler = taskHandler(z.object({}).passthrough(), (p) => reconcileGithubDeliveries(p));
