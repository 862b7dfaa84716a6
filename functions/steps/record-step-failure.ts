import * as z from 'zod';
import { recordStepFailure } from '../../shared/runs/engine/step-failure';
import { taskHandler } from '../../shared/tasks/task-handler';
import { RunRef } from './inputs';

const Input = RunRef.extend({
  stepId: z.uuid(),
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
});

export const handler = taskHandler(Input, recordStepFailure);
