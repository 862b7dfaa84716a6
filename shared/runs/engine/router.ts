/**
 * Router nodes: a model call whose structured output must name one of the node's routes. The
 * schema is an object (`{"route": …}`) because OpenAI's strict structured output wants an object
 * root; the step's output is the bare route, which edges test with `steps.<id>.output`.
 */
import type { ModelCallRequest } from '../../llm/types';
import type { WorkflowNode } from '../../workflow/model';

type Request = Omit<ModelCallRequest, 'model'>;

export function routeSchema(routes: string[]): Record<string, unknown> {
  return {
    type: 'object',
    properties: { route: { type: 'string', enum: routes } },
    required: ['route'],
    additionalProperties: false,
  };
}

export function routerRequest(node: WorkflowNode, request: Request): Request {
  if (node.type !== 'router' || !node.routes) return request;
  const instruction = `Choose exactly one route for this input: ${node.routes.join(', ')}. Answer as JSON {"route": "<route>"}.`;
  return {
    ...request,
    system: request.system ? `${request.system}\n\n${instruction}` : instruction,
    outputSchema: routeSchema(node.routes),
  };
}

/** The chosen route (already validated against the schema by the gateway), or the output as is. */
export function routeAnswer(node: WorkflowNode, output: unknown): unknown {
  if (node.type !== 'router') return output;
  const route = (output as { route?: unknown } | null)?.route;
  return typeof route === 'string' ? route : output;
}
