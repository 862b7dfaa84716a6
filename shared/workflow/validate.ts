/**
 * Save-time validation of a workflow graph. It reports every problem at once, each
 * with a path an editor can highlight, so a builder fixes a graph in one round trip
 * instead of discovering problems one failed run at a time.
 */
import { ValidationError, type FieldIssue } from '../errors/index';
import { cycleMessage, findCycles, indexGraph, runnableOrder, type GraphIndex } from './graph';
import type { WorkflowGraph } from './model';
import { templateIssues } from './validate-templates';

export { topologicalOrder } from './graph';

export interface WorkflowValidationContext {
  /** Whether an agent with this slug exists in the workflow's tenant. */
  agentExists: (slug: string) => boolean;
  /** Whether a tool with this name is registered; without it tool names are not checked. */
  toolExists?: (name: string) => boolean;
}

export function validateWorkflow(
  graph: WorkflowGraph,
  ctx: WorkflowValidationContext,
): FieldIssue[] {
  const index = indexGraph(graph);
  return [
    ...nodeIssues(graph, index, ctx),
    ...edgeIssues(graph, index),
    ...shapeIssues(index),
    ...templateIssues(graph, index),
  ];
}

export function assertValidWorkflow(graph: WorkflowGraph, ctx: WorkflowValidationContext): void {
  const issues = validateWorkflow(graph, ctx);
  if (issues.length > 0) throw new ValidationError('workflow is invalid', issues);
}

function nodeIssues(
  graph: WorkflowGraph,
  index: GraphIndex,
  ctx: WorkflowValidationContext,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  graph.nodes.forEach((node, i) => {
    const first = required(index.position, node.id);
    if (first !== i) {
      issues.push({
        path: `nodes[${i}].id`,
        message: `node id "${node.id}" is already used by nodes[${first}]`,
      });
    }
    if (node.type === 'agent') {
      if (!node.agent)
        issues.push({
          path: `nodes[${i}].agent`,
          message: `agent node "${node.id}" names no agent`,
        });
      else if (!ctx.agentExists(node.agent)) {
        issues.push({
          path: `nodes[${i}].agent`,
          message: `node "${node.id}" uses unknown agent "${node.agent}"`,
        });
      }
    }
    if (node.type === 'tool') {
      if (!node.tool)
        issues.push({ path: `nodes[${i}].tool`, message: `tool node "${node.id}" names no tool` });
      else if (ctx.toolExists && !ctx.toolExists(node.tool)) {
        issues.push({
          path: `nodes[${i}].tool`,
          message: `node "${node.id}" uses unknown tool "${node.tool}"`,
        });
      }
    }
  });
  return issues;
}

function edgeIssues(graph: WorkflowGraph, index: GraphIndex): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const seen = new Map<string, number>();
  (graph.edges ?? []).forEach((edge, i) => {
    for (const end of ['from', 'to'] as const) {
      if (!index.position.has(edge[end])) {
        const verb = end === 'from' ? 'starts at' : 'ends at';
        issues.push({
          path: `edges[${i}].${end}`,
          message: `edge ${edge.from} -> ${edge.to} ${verb} unknown node "${edge[end]}"`,
        });
      }
    }
    // Keyed without `when`: a node waits for all incoming edges, so two edges between the same pair are redundant or contradictory.
    const key = `${edge.from}\u0000${edge.to}`;
    const first = seen.get(key);
    if (first === undefined) seen.set(key, i);
    else
      issues.push({
        path: `edges[${i}]`,
        message: `edge ${edge.from} -> ${edge.to} is a duplicate of edges[${first}]`,
      });
  });
  return issues;
}

/** Cycles, a missing root, and nodes no run could ever reach. */
function shapeIssues(index: GraphIndex): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const nodePath = (id: string) => `nodes[${index.position.get(id)}]`;
  const onCycle = new Set<string>();
  for (const cycle of findCycles(index)) {
    for (const id of cycle.members) {
      onCycle.add(id);
      issues.push({ path: nodePath(id), message: cycleMessage(id, cycle) });
    }
  }
  if (!index.ids.some((id) => required(index.incoming, id).length === 0)) {
    issues.push({
      path: 'nodes',
      message: 'workflow has no root node: every node has an incoming edge, so nothing can start',
    });
  }
  // A node downstream of a cycle waits for a parent that can never finish, which is the same as never being reached.
  const runnable = new Set(runnableOrder(index));
  for (const id of index.ids) {
    if (!runnable.has(id) && !onCycle.has(id)) {
      issues.push({
        path: nodePath(id),
        message: `node "${id}" is unreachable from any root: it depends on a cycle`,
      });
    }
  }
  return issues;
}

export function validateRunInput(graph: WorkflowGraph, input: unknown): FieldIssue[] {
  if (input === null || typeof input !== 'object' || Array.isArray(input)) {
    return [{ path: 'input', message: 'run input must be a JSON object' }];
  }
  const values = input as Record<string, unknown>;
  return (graph.inputs ?? [])
    .filter(
      (field) =>
        field.required &&
        isEmpty(Object.hasOwn(values, field.name) ? values[field.name] : undefined),
    )
    .map((field) => ({
      path: `input.${field.name}`,
      message: `input "${field.name}" is required`,
    }));
}

function isEmpty(value: unknown): boolean {
  return (
    value === undefined || value === null || (typeof value === 'string' && value.trim() === '')
  );
}

/** A map entry the algorithm put there itself; its absence is a bug, not bad input. */
function required<K, V>(map: ReadonlyMap<K, V>, key: K): V {
  const value = map.get(key);
  if (value === undefined) throw new Error(`internal: no entry for ${String(key)}`);
  return value;
}
