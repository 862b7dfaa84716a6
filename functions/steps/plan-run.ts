import { planRun } from '../../shared/runs/engine/plan-run';
import { taskHandler } from '../../shared/tasks/task-handler';
import { RunRef } from './inputs';

export const handler = taskHandler(RunRef, planRun);
