import { runToolStep } from '../../shared/runs/engine/tool-step';
import { taskHandler } from '../../shared/tasks/task-handler';
import { StepRef } from './inputs';

export const handler = taskHandler(StepRef, runToolStep);
