import { runAgentStep } from '../../shared/runs/engine/agent-step';
import { taskHandler } from '../../shared/tasks/task-handler';
import { StepRef } from './inputs';

export const handler = taskHandler(StepRef, runAgentStep);
