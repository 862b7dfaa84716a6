/**
 * Save-time validation of a workflow graph. It reports every problem at once, each
 * with a path an editor can highlight, so a builder fixes a graph in one round trip
 * instead of discovering problems one failed run at a time.
 */
import { ValidationError, type FieldIssue } from '../errors/index';
import { conditionIssues, conditionPaths } from './condition';
import {
  ancestorsOf,
  cycleMessage,
  findCycles,
  indexGraph,
  loopsOf,
  runnableOrder,
  type GraphIndex,
} from './graph';
import type { WorkflowGraph } from './model';
import { templateIssues } from './validate-templates';

export { topologicalOrder } from './graph';

export interface WorkflowValidationContext {
  /** Whether an agent with this slug exists in the workflow's tenant. */
  agentExists: (slug: string) => boolean;
  /** Whether the agent has this saved version; without it pinned agent versions are not checked. */
  agentVersionExists?: (slug: string, version: number) => boolean;
  /** Whether a tool with this name is registered; without it tool names are not checked. */
  toolExists?: (name: string) => boolean;
  /** Whether a workflow with this slug exists; without it sub-workflow slugs are not checked. */
  workflowExists?: (slug: string) => boolean;
}

export function validateWorkflow(
  graph: WorkflowGraph,
  ctx: WorkflowValidationContext,
): FieldIssue[] {
  const index = indexGraph(graph);
  return [
    ...nodeIssues(graph, index, ctx),
    ...edgeIssues(graph, index),
    ...loopIssues(graph, index),
    ...shapeIssues(index),
    ...templateIssues(graph, index),
  ];
}

export function assertValidWorkflow(graph: WorkflowGraph, ctx: WorkflowValidationContext): void {
  const issues = validateWorkflow(graph, ctx);
  if (issues.length > 0) throw new ValidationError('workflow is invalid', issues);
}

const pinLabel = (v: number | undefined) => (v === undefined ? 'its published version' : `v${v}`);

function nodeIssues(
  graph: WorkflowGraph,
  index: GraphIndex,
  ctx: WorkflowValidationContext,
): FieldIssue[] {
  const issues: FieldIssue[] = [];
  // A run pins one version per agent, so the nodes sharing an agent must agree on it.
  const agentPins = new Map<string, { node: string; version: number | undefined }>();
  graph.nodes.forEach((node, i) => {
    if ((node.type === 'agent' || node.type === 'router') && node.agent) {
      const seen = agentPins.get(node.agent);
      if (!seen) agentPins.set(node.agent, { node: node.id, version: node.agentVersion });
      else if (seen.version !== node.agentVersion)
        issues.push({
          path: `nodes[${i}].agentVersion`,
          message: `node "${node.id}" runs agent "${node.agent}" at ${pinLabel(node.agentVersion)} but node "${seen.node}" at ${pinLabel(seen.version)}; a run uses one version per agent`,
        });
    }
    const first = required(index.position, node.id);
    if (first !== i) {
      issues.push({
        path: `nodes[${i}].id`,
        message: `node id "${node.id}" is already used by nodes[${first}]`,
      });
    }
    if (node.type === 'router') {
      if (!node.routes)
        issues.push({
          path: `nodes[${i}].routes`,
          message: `router node "${node.id}" lists no routes`,
        });
      else if (new Set(node.routes).size !== node.routes.length)
        issues.push({
          path: `nodes[${i}].routes`,
          message: `router node "${node.id}" lists a route twice`,
        });
    } else if (node.routes) {
      issues.push({
        path: `nodes[${i}].routes`,
        message: `only a router node has routes ("${node.id}" is ${node.type})`,
      });
    }
    if (node.type === 'agent' || node.type === 'router') {
      if (!node.agent)
        issues.push({
          path: `nodes[${i}].agent`,
          message: `${node.type} node "${node.id}" names no agent`,
        });
      else if (!ctx.agentExists(node.agent)) {
        issues.push({
          path: `nodes[${i}].agent`,
          message: `node "${node.id}" uses unknown agent "${node.agent}"`,
        });
      } else if (
        node.agentVersion !== undefined &&
        ctx.agentVersionExists &&
        !ctx.agentVersionExists(node.agent, node.agentVersion)
      )
        issues.push({
          path: `nodes[${i}].agentVersion`,
          message: `node "${node.id}" pins version ${node.agentVersion} of agent "${node.agent}", which has no such version`,
        });
    } else if (node.agentVersion !== undefined) {
      issues.push({
        path: `nodes[${i}].agentVersion`,
        message: `only agent and router nodes pin an agent version ("${node.id}" is ${node.type})`,
      });
    }
    if (node.type === 'workflow' || node.type === 'map') {
      if (!node.workflow)
        issues.push({
          path: `nodes[${i}].workflow`,
          message: `${node.type} node "${node.id}" names no workflow`,
        });
      else if (ctx.workflowExists && !ctx.workflowExists(node.workflow))
        issues.push({
          path: `nodes[${i}].workflow`,
          message: `node "${node.id}" uses unknown workflow "${node.workflow}"`,
        });
    }
    if (node.type === 'map' && !node.items)
      issues.push({
        path: `nodes[${i}].items`,
        message: `map node "${node.id}" names no items path (e.g. steps.<id>.output.files)`,
      });
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
    if (edge.if) {
      issues.push(...conditionIssues(edge.if, `edges[${i}].if`));
      issues.push(...conditionPathIssues(graph, index, edge, `edges[${i}].if`));
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

/** A condition reads the run input or steps finished when its edge is decided: `from` and its upstream. */
function conditionPathIssues(
  graph: WorkflowGraph,
  index: GraphIndex,
  edge: WorkflowGraph['edges'][number],
  base: string,
): FieldIssue[] {
  if (!edge.if) return [];
  const declared = new Set((graph.inputs ?? []).map((f) => f.name));
  const readable = ancestorsOf(index, edge.from);
  readable.add(edge.from);
  for (const loop of loopsOf(index))
    if (loop.body.includes(edge.from)) for (const id of loop.body) readable.add(id);
  const issues: FieldIssue[] = [];
  for (const { path, root, segments } of conditionPaths(edge.if, base)) {
    const where = `condition on ${edge.from} -> ${edge.to} reads "${[root, ...segments].join('.')}"`;
    if (root === 'input') {
      if (segments.length === 0)
        issues.push({ path, message: `${where} without a field: use input.<field>` });
      else if (declared.size > 0 && !declared.has(segments[0]))
        issues.push({
          path,
          message: `${where}, but the workflow declares no input "${segments[0]}"`,
        });
    } else if (root === 'steps') {
      const [stepId, field] = segments;
      if (stepId === undefined || !index.position.has(stepId))
        issues.push({ path, message: `${where}, but there is no node "${stepId ?? ''}"` });
      else if (field !== 'output')
        issues.push({ path, message: `${where}: read a step through steps.${stepId}.output` });
      else if (!readable.has(stepId))
        issues.push({
          path,
          message: `${where}, but "${stepId}" is not upstream of "${edge.from}" so it may not have run yet`,
        });
    } else {
      issues.push({ path, message: `${where}: a path starts with input. or steps.` });
    }
  }
  return issues;
}

/** Back edges: bounded, conditional, pointing to an ancestor, one loop per node. */
function loopIssues(graph: WorkflowGraph, index: GraphIndex): FieldIssue[] {
  const issues: FieldIssue[] = [];
  const edgePath = (edge: WorkflowGraph['edges'][number]) =>
    `edges[${(graph.edges ?? []).indexOf(edge)}]`;
  const owner = new Map<string, string>();
  for (const { edge, body } of loopsOf(index)) {
    const name = `${edge.from} -> ${edge.to}`;
    if (!edge.if)
      issues.push({
        path: `${edgePath(edge)}.if`,
        message: `loop edge ${name} needs an "if": without one it would always loop until maxIterations`,
      });
    if (body.length === 0) {
      issues.push({
        path: `${edgePath(edge)}.maxIterations`,
        message: `edge ${name} has maxIterations but "${edge.to}" is not upstream of "${edge.from}": only an edge back to an ancestor forms a loop`,
      });
      continue;
    }
    for (const id of body) {
      const other = owner.get(id);
      if (other !== undefined) {
        issues.push({
          path: `${edgePath(edge)}.maxIterations`,
          message: `loops ${other} and ${name} share node "${id}": loops may not overlap or nest`,
        });
        break;
      }
      owner.set(id, name);
    }
  }
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
