/**
 * Validation while typing: the request body is checked by the same model and validator the API
 * runs on save (`shared/workflow`), so the editor shows the API's own messages on the node or
 * edge they concern before anything is sent. What only the server knows (other tenants' data,
 * registered tools) still comes back from the save.
 */
import { WorkflowGraph } from '../../../shared/workflow/model';
import { validateWorkflow } from '../../../shared/workflow/validate';
import type { FieldIssue, WorkflowCreate } from '../api/types';

export interface LiveContext {
  /** Agent slugs of the tenant; undefined while the list is not known (then agents are not checked). */
  agents?: ReadonlySet<string>;
  /** Workflow slugs of the tenant; undefined while not known. */
  workflows?: ReadonlySet<string>;
}

/** `['nodes', 2, 'agent']` → `nodes[2].agent`, the API's detail path format. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out ? `.${String(part)}` : String(part);
  }
  return out;
}

export function liveIssues(spec: WorkflowCreate, ctx: LiveContext): FieldIssue[] {
  // An empty canvas is a start, not a mistake.
  if (spec.nodes.length === 0) return [];
  const parsed = WorkflowGraph.safeParse({
    inputs: spec.inputs,
    nodes: spec.nodes,
    edges: spec.edges,
  });
  if (!parsed.success)
    return parsed.error.issues.map((i) => ({ path: formatPath(i.path), message: i.message }));
  return validateWorkflow(parsed.data, {
    agentExists: (slug) => ctx.agents?.has(slug) ?? true,
    workflowExists: ctx.workflows ? (slug) => ctx.workflows?.has(slug) ?? true : undefined,
  });
}
