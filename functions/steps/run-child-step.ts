import { runChildStep } from '../../shared/runs/engine/child-step';
import { taskHandler } from '../../shared/tasks/task-handler';
import { StepRef } from './inputs';

export const handler = taskHandler(StepRef, runChildStep);
