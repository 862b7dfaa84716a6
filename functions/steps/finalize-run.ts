import * as z from 'zod';
import { finalizeRun } from '../../shared/runs/engine/finalize-run';
import { taskHandler } from '../../shared/tasks/task-handler';
import { RunRef } from './inputs';

const Input = RunRef.extend({
  state: z
    .object({
      error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
    })
    .loose()
    .optional(),
});

export const handler = taskHandler(Input, finalizeRun);
