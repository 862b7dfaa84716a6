import * as z from 'zod';
import { anchorAuditHeads } from '../../shared/audit/anchor';
import { taskHandler } from '../../shared/tasks/task-handler';

/** Invoked by EventBridge Scheduler (AWS) or the local timer: signs and stores moved chain heads. */
export const handler = taskHandler(z.object({}).passthrough(), (p) => anchorAuditHeads(p));
