/**
 * A chain's next agent step prepared inside the completion that plans it (ADR 186): what its own
 * preparation would write rides with that completion's statement.
 */
import type { Tx } from '../../db/client';
import type { StatementPart } from '../../db/prebuilt-statement';
import { preparedRecordId } from '../../llm/attempt-outcomes';
import { prepareCleanStepCall } from '../../llm/step-call';
import { maskForTrace } from '../../pii/policy';
import type { Platform } from '../../platform/platform';
import { agentToolsOf } from '../../tools/agent-tools/catalog';
import { renderTemplate } from '../../workflow/template';
import type { RunEventInput } from '../events';
import { offloadPayload } from '../step-payloads';
import type { PreparedAgentStep } from './agent-step';
import { cachedSpecOf, loadPinnedAgent } from './context';
import { type StepIds, stepEvents } from './record-call';
import { buildCall, promptOf, readsOf } from './step-request';
import { markRunningWrite } from './step-writes';
import type { WarmStep } from './warm-steps';

/** The next step's preparation, folded into its predecessor's completion (ADR 186). */
export interface FoldedStep {
  /** Its claim (RUNNING, with its prompt) and its `prepared` usage record. */
  writes: StatementPart[];
  /** Its `step.started` event. */
  started: RunEventInput;
  /** For its task in this process: the call to make. */
  prepared: PreparedAgentStep;
}

/**
 * `prepareNextStep`, whose failure (the breaker's table, the tenant's keys) leaves the step to
 * prepare itself: preparing must not fail the completion or the planning turn that asked for it.
 */
export async function prepareNextStepOrLeaveIt(
  p: Platform,
  tx: Tx,
  next: WarmStep,
  executionId: string,
): Promise<FoldedStep | undefined> {
  try {
    return await prepareNextStep(p, tx, next, executionId);
  } catch (error) {
    p.log.warn('next step not prepared; it prepares itself', {
      stepId: next.step.id,
      error: error instanceof Error ? error.message : String(error),
    });
    return undefined;
  }
}

/**
 * Prepares, inside the completion that planned it, the call of the one agent step a chain goes on
 * with (ADR 186): what the step's own preparation would write (its claim, its in-flight record,
 * its budget reservation and its start) rides with the completion's statement instead of a
 * transaction of its own. Only a step whose walk goes straight to a call (no tools, no knowledge,
 * no skip, no fallback, a closed breaker, budget left) and whose inputs the completion holds;
 * otherwise undefined, with nothing written, and the step prepares itself as before.
 */
export async function prepareNextStep(
  p: Platform,
  tx: Tx,
  next: WarmStep,
  executionId: string,
): Promise<FoldedStep | undefined> {
  const { run, step, piiPolicy, outputs } = next;
  const node = cachedSpecOf(run)?.nodes.find((n) => n.id === step.nodeId);
  if (!node?.agent || !readsOf(node).every((id) => id in outputs)) return undefined;
  const agent = await loadPinnedAgent(tx, run, node.agent);
  const tools = agentToolsOf(agent.tools);
  if (tools.length || agent.knowledgeBaseIds?.length) return undefined;
  const prompt = renderTemplate(promptOf(node), {
    input: run.input as Record<string, unknown>,
    steps: outputs,
  });
  const ids: StepIds = {
    tenantId: run.tenantId,
    workflowId: run.workflowId,
    runId: run.id,
    stepId: step.id,
    nodeId: step.nodeId,
  };
  const masked = maskForTrace(prompt, piiPolicy);
  const prepared = {
    ids,
    node,
    agent,
    prompt,
    chain: [agent.model, ...agent.fallbacks],
    prior: [],
    attempt: 1,
    piiPolicy,
    tools,
    masked: masked.counts,
    snapshot: { run, steps: next.steps, piiPolicy },
    held: outputs,
  };
  const built = buildCall(p, executionId, prepared, prompt);
  built.stepCall.takesOver = preparedRecordId(step.id, executionId);
  const writes: StatementPart[] = [];
  const pending = await prepareCleanStepCall(p, tx, built.stepCall, (w) => writes.push(w));
  if (!pending) return undefined;
  const stored = await offloadPayload(p, { ...ids, attempt: 1 }, 'prompt', masked.text);
  // Claimed as a preparation from a read is (ADR 181): a cancel that committed since the
  // planning read fails the statement, which is then written again from a fresh read.
  writes.unshift(
    markRunningWrite({
      stepId: step.id,
      prompt: stored.inline,
      pointer: stored.pointer,
      startedAt: new Date(p.now()),
      claim: true,
    }),
  );
  return {
    writes,
    started: stepEvents(ids)('step.started', `${step.nodeId} started`),
    prepared: { skip: undefined, ...prepared, built, pending },
  };
}
