import * as z from 'zod';

export const RunRef = z.object({ tenantId: z.uuid(), runId: z.uuid() });
export const StepRef = RunRef.extend({
  stepId: z.uuid(),
  executionId: z.string().min(1).max(400),
  /** Set by the top-level single-step states: the completion plans the next steps (ADR 110). */
  plan: z.boolean().optional(),
});

export const AgentStepRef = StepRef.extend({
  /** Set by PreparedAgentStep: the step's predecessor prepared its call (ADR 186). */
  prepared: z.boolean().optional(),
});

/** The Plan task's payload, sent to the agent steps' function (ADR 187). */
export const PlanTaskRef = RunRef.extend({
  task: z.literal('plan'),
  executionId: z.string().min(1).max(400),
});

const PlanMark = PlanTaskRef.pick({ task: true });

/** Whether a payload is a Plan turn's (else an agent step's). */
export const isPlanTask = (event: unknown): boolean => PlanMark.safeParse(event).success;
