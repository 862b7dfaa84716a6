import type { Context } from 'aws-lambda';
import { runAgentStep } from '../../shared/runs/engine/agent-step';
import { planAndPrepare } from '../../shared/runs/engine/plan-task';
import { taskHandler } from '../../shared/tasks/task-handler';
import { AgentStepRef, isPlanTask, PlanTaskRef } from './inputs';

const plan = taskHandler(PlanTaskRef, planAndPrepare);
const step = taskHandler(AgentStepRef, runAgentStep);

/**
 * The engine's agent function: its agent steps, and the Plan turns that may prepare the step they
 * go on with, so that step's task often lands in the instance holding its call (ADR 187).
 */
export const handler = (event: unknown, context: Context) =>
  isPlanTask(event) ? plan(event, context) : step(event, context);
