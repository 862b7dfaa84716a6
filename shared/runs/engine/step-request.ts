/** What an agent step sends its provider: its prompt template, its inputs and its gateway call. */
import type { AgentSpec } from '../../api/contracts/agents';
import type { PriorAttempt } from '../../llm/fallback';
import type { StepCallInput } from '../../llm/step-call';
import { protectOutbound, type PiiCounts, type PiiPolicy } from '../../pii/policy';
import type { Platform } from '../../platform/platform';
import type { WorkflowNode } from '../../workflow/model';
import { referencedSteps } from './context';
import { partialOutputSink } from './partial-output';
import type { StepIds } from './record-call';
import { routerRequest } from './router';

/** Attempts before a retryable failure becomes final, unless the node sets maxAttempts. */
export const DEFAULT_MAX_ATTEMPTS = 3;
/** The ASL Retry allows 4 retries (5 invocations): a longer chain cannot use more. */
const MAX_DEFAULT_ATTEMPTS = 5;

/** An agent node's prompt template. */
export const promptOf = (node: { prompt?: string } | undefined) => node?.prompt ?? '{{input}}';

/** The steps whose outputs an agent node's prompt reads. */
export const readsOf = (node: { prompt?: string } | undefined) => referencedSteps(promptOf(node));

/**
 * The gateway call of a prepared step: the tenant's PII policy puts placeholders into what goes to
 * the provider (the values come back in the output); a plain-text answer streams (ADR 142).
 */
export function buildCall(
  p: Platform,
  executionId: string,
  prepared: {
    ids: StepIds;
    node: WorkflowNode;
    agent: AgentSpec;
    chain: string[];
    prior: PriorAttempt[];
    attempt: number;
    piiPolicy: PiiPolicy;
    tools: string[];
    /** What the prompt's scan for traces masked, per class. */
    masked: PiiCounts;
  },
  content: string,
) {
  const { ids, node, agent, chain, prior, attempt, piiPolicy, tools, masked } = prepared;
  const outbound = protectOutbound(piiPolicy, { system: agent.systemPrompt, content });
  const pii = { masked, toProvider: outbound.counts };
  const stepCall: StepCallInput = {
    ...ids,
    executionId,
    chain,
    prior,
    nextRow: attempt,
    maxAttempts:
      node.maxAttempts ??
      Math.min(MAX_DEFAULT_ATTEMPTS, Math.max(DEFAULT_MAX_ATTEMPTS, chain.length + 1)),
    request: routerRequest(node, {
      system: outbound.system,
      messages: [{ role: 'user', content: outbound.content }],
      temperature: agent.parameters.temperature,
      maxTokens: agent.parameters.maxTokens,
      outputSchema: agent.outputSchema,
    }),
    ...(tools.length ? {} : { partialOutput: (n: number) => partialOutputSink(p, ids, n) }),
  };
  return { stepCall, outbound, pii };
}
