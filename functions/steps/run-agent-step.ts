import { runAgentStep } from '../../shared/runs/engine/agent-step';
import { taskHandler } from '../../shared/tasks/task-handler';
import { AgentStepRef } from './inputs';

export const handler = taskHandler(AgentStepRef, runAgentStep);
