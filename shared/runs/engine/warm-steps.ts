/**
 * What a completion that planned a chain's next agent step leaves for that step's task in the
 * same process (ADR 181): the step starts and completes without a read, its writes checking in
 * SQL that what was read still holds.
 */
import type { WorkflowSpec } from '../../api/contracts/workflows';
import { asJsonb } from '../../db/jsonb-value';
import type { PiiPolicy } from '../../pii/policy';
import { cachedSpecOf, type Outputs, type RunRow, type StepRow } from './context';
import type { CompletingStep, PlanDecision, PlanResult } from './plan-run';
import type { PreparedAgentStep } from './agent-step';
import { readsOf } from './step-request';

/**
 * What a completion that planned one agent step knew of it (ADR 181): the run and its steps as
 * planning left them, the tenant's PII policy, and the outputs it holds (the completing step's,
 * unless it had to be read). A task of that step in the same process (a warm Lambda, as a chain's
 * next step often gets) prepares from this instead of reading, its claim checking in SQL what the
 * read would have (`markRunningWrite`), and its completion plans from it, checking that no other
 * step changed (`stepCallWrite`). Taken once; bounded, the oldest entry goes first; not for runs
 * of more than `WARM_RUN_MAX_STEPS` steps.
 */
export interface WarmStep {
  run: RunRow;
  step: StepRow;
  /** Every step of the run as planning left them, this one PENDING. */
  steps: StepRow[];
  piiPolicy: PiiPolicy;
  outputs: Outputs;
  /** The step's call, when the completion that planned it prepared it (ADR 186). */
  prepared?: PreparedAgentStep;
}

/** The run as a planner left it: what a warm step's completion plans from (ADR 181). */
export type RunSnapshot = Pick<WarmStep, 'run' | 'steps' | 'piiPolicy'>;

// Bounded by entries and by their size: an entry holds its run's steps, and in AWS the next step
// often runs in another instance, leaving the entry here until it is pushed out.
const WARM_STEPS_SIZE = 100;
/** Longer runs are read: their snapshot would hold, and their completion's check hash, every step. */
const WARM_RUN_MAX_STEPS = 500;
const warmSteps = new Map<string, WarmStep>();

export function rememberWarmStep(warm: WarmStep): void {
  if (warm.steps.length > WARM_RUN_MAX_STEPS) return;
  if (warmSteps.size >= WARM_STEPS_SIZE) {
    const oldest = warmSteps.keys().next();
    if (!oldest.done) warmSteps.delete(oldest.value);
  }
  warmSteps.set(warm.step.id, warm);
}

/** A step's context as a warm entry gives it, instead of a read. */
export interface WarmStepContext {
  run: RunRow;
  step: StepRow;
  spec: WorkflowSpec;
  piiPolicy: PiiPolicy;
  outputs: () => Promise<Outputs>;
  /** The run as the planner left it: this step's completion may plan from it. */
  snapshot: RunSnapshot;
}

/**
 * The step's context from a warm entry, when there is one for this run and step, its workflow
 * version is cached and every output its node reads is known; else undefined (read it).
 */
export function takeWarmStepContext(
  runId: string,
  stepId: string,
  reads: (node: WorkflowSpec['nodes'][number] | undefined) => string[],
): (WarmStepContext & { prepared?: PreparedAgentStep }) | undefined {
  const warm = warmSteps.get(stepId);
  if (!warm) return undefined;
  warmSteps.delete(stepId);
  const spec = cachedSpecOf(warm.run);
  if (warm.run.id !== runId || !spec) return undefined;
  const node = spec.nodes.find((n) => n.id === warm.step.nodeId);
  if (!reads(node).every((id) => id in warm.outputs)) return undefined;
  const snapshot: RunSnapshot = { run: warm.run, steps: warm.steps, piiPolicy: warm.piiPolicy };
  return {
    run: warm.run,
    step: warm.step,
    spec,
    piiPolicy: warm.piiPolicy,
    outputs: async () => warm.outputs,
    snapshot,
    prepared: warm.prepared,
  };
}

/** The largest output (JSON characters) a warm step entry holds. */
const WARM_OUTPUT_MAX_CHARS = 64 * 1024;

/**
 * What a completion knows of the one agent step its plan made ready, for that step's task to
 * prepare without reading (ADR 181); undefined when the step needs a read. The output is given as
 * jsonb gives it back (an object's keys reordered): the prompt must render what a read would give.
 */
export function warmNextStep(
  decision: PlanDecision,
  completing: CompletingStep,
  result: PlanResult,
  /** The outputs the completing step read, valid while its planner's snapshot holds (ADR 187). */
  inherited: Outputs = {},
): WarmStep | undefined {
  if (decision.settled || result.next !== 'agent' || !result.stepId) return undefined;
  const step = decision.steps.find((s) => s.id === result.stepId);
  const { run, piiPolicy } = decision;
  if (step?.status !== 'PENDING' || !piiPolicy) return undefined;
  const node = decision.spec.nodes.find((n) => n.id === step.nodeId);
  const outputs = readable(heldOutputs(decision, completing, inherited), node);
  return { run, step, steps: decision.steps, piiPolicy, outputs };
}

/**
 * What a completion holds of the outputs the steps it made ready read: its own output, unless a
 * node's earlier iterations come with it (this process does not hold theirs) or it is large (read,
 * from S3 when it was offloaded, instead); and what the completing step itself read, `inherited`.
 */
export function heldOutputs(
  decision: Extract<PlanDecision, { settled: false }>,
  completing: CompletingStep,
  inherited: Outputs = {},
): Outputs {
  const earlier = decision.steps.some(
    (s) => s.nodeId === completing.nodeId && s.id !== completing.stepId && s.status === 'SUCCEEDED',
  );
  const held =
    !earlier && (JSON.stringify(completing.output) ?? '').length <= WARM_OUTPUT_MAX_CHARS;
  const { [completing.nodeId]: _superseded, ...others } = inherited;
  return held
    ? { ...others, [completing.nodeId]: { output: asJsonb(completing.output), iterations: [] } }
    : others;
}

/** The outputs a node's prompt reads, of those held: an entry holds no more than its step needs. */
function readable(outputs: Outputs, node: WorkflowSpec['nodes'][number] | undefined): Outputs {
  return Object.fromEntries(
    readsOf(node).flatMap((id) => (id in outputs ? [[id, outputs[id]]] : [])),
  );
}

/**
 * Entries for the agent steps of a Map a planner made ready whose prompts read only `outputs`
 * (ADR 187): a task of one in this process starts without a read, its claim checking in SQL what
 * the read would have. Their calls are not prepared: each branch walks in its own task.
 */
export function warmBranches(
  decision: Extract<PlanDecision, { settled: false }> & { piiPolicy: PiiPolicy },
  ready: PlanResult['ready'],
  outputs: Outputs,
): WarmStep[] {
  const { run, spec, steps, piiPolicy } = decision;
  return ready.flatMap(({ stepId, type }) => {
    const step = steps.find((s) => s.id === stepId);
    const node = spec.nodes.find((n) => n.id === step?.nodeId);
    if (type !== 'agent' || step?.status !== 'PENDING' || !node) return [];
    if (!readsOf(node).every((id) => id in outputs)) return [];
    return [{ run, step, steps, piiPolicy, outputs: readable(outputs, node) }];
  });
}
