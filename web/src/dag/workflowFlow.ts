/**
 * Conversions between a workflow (the API's shape) and the editor's React Flow graph. Pure:
 * the node order of the flow is the order of `nodes` in the request body, which is what
 * validation paths like `nodes[2].agent` index.
 */
import type { Edge, Node } from '@xyflow/react';
import type { WorkflowCreate, WorkflowEdge, WorkflowInputField, WorkflowNode } from '../api/types';
import type { Condition } from '../../../shared/workflow/condition';
import { conditionLabel } from './conditions';
import type { NodeIssue } from './issues';
import { layoutDag } from './layout';

export type WorkNodeData = {
  node: WorkflowNode;
  /** Display name of the node's agent, when known. */
  agentName?: string;
  issues?: NodeIssue[];
  readOnly?: boolean;
};
export type WorkFlowNode = Node<WorkNodeData, 'work'>;
export type WorkEdgeData = {
  when?: WorkflowEdge['when'];
  if?: Condition;
  /** Set on a loop's back edge (to an ancestor). */
  maxIterations?: number;
  invalid?: boolean;
};
export type WorkFlowEdge = Edge<WorkEdgeData>;

export interface WorkflowMeta {
  slug: string;
  name: string;
  description: string;
}

export function edgeId(from: string, to: string): string {
  return `${from}->${to}`;
}

export function toFlowEdge(e: WorkflowEdge): WorkFlowEdge {
  return withLook({
    id: edgeId(e.from, e.to),
    source: e.from,
    target: e.to,
    data: { when: e.when, if: e.if, maxIterations: e.maxIterations },
  });
}

/** The label and style an edge's data implies: `on failure`, the condition, `×N` for a loop. */
export function edgeLabel(data: WorkEdgeData | undefined): string | undefined {
  const parts: string[] = [];
  if (data?.maxIterations !== undefined) parts.push(`×${data.maxIterations}`);
  if (data?.when && data.when !== 'success') parts.push(`on ${data.when}`);
  if (data?.if) parts.push(`if ${conditionLabel(data.if)}`);
  return parts.length > 0 ? parts.join(' · ') : undefined;
}

/** Re-derive the label, class and dash of an edge from its data (after every edit of it). */
export function withLook(e: WorkFlowEdge): WorkFlowEdge {
  const loop = e.data?.maxIterations !== undefined;
  const classes = [loop ? 'edge-loop' : '', e.data?.if ? 'edge-conditional' : '']
    .filter(Boolean)
    .join(' ');
  const label = edgeLabel(e.data);
  return {
    ...e,
    label,
    className: classes || undefined,
    style: loop ? { strokeDasharray: '6 4' } : undefined,
    // A back edge runs right to left: stepped, it goes round the loop's nodes instead of through them.
    type: loop ? 'smoothstep' : undefined,
    // Labelled edges above the nodes, so a condition is not hidden under the node it leads to.
    zIndex: label ? 1 : undefined,
  };
}

/** The dependency edges, without loops' back edges (which start a new iteration, not a dependency). */
export function forwardEdges(edges: readonly WorkFlowEdge[]): { from: string; to: string }[] {
  return edges
    .filter((e) => e.data?.maxIterations === undefined)
    .map((e) => ({ from: e.source, to: e.target }));
}

export function toFlow(graph: {
  nodes: readonly WorkflowNode[];
  edges?: readonly WorkflowEdge[];
}): { nodes: WorkFlowNode[]; edges: WorkFlowEdge[] } {
  const edges = graph.edges ?? [];
  // Editor nodes show a prompt preview (and issues), so they get more room than run nodes.
  const placed = layoutDag(
    graph.nodes.map((n) => n.id),
    edges.filter((e) => e.maxIterations === undefined),
    { nodeGap: 190 },
  );
  return {
    nodes: graph.nodes.map((n) => ({
      id: n.id,
      type: 'work',
      position: placed.get(n.id) ?? { x: 0, y: 0 },
      data: { node: { ...n } },
    })),
    edges: edges.map(toFlowEdge),
  };
}

/** The request body; empty optional strings are dropped so the API sees absent fields. */
export function toSpec(
  meta: WorkflowMeta,
  inputs: readonly WorkflowInputField[],
  nodes: readonly WorkFlowNode[],
  edges: readonly WorkFlowEdge[],
): WorkflowCreate {
  return {
    slug: meta.slug.trim(),
    name: meta.name.trim(),
    description: meta.description,
    inputs: inputs.map(cleanInput),
    nodes: nodes.map((n) => cleanNode({ ...n.data.node, id: n.id })),
    edges: edges.map((e) => ({
      from: e.source,
      to: e.target,
      ...(e.data?.when && e.data.when !== 'success' ? { when: e.data.when } : {}),
      ...(e.data?.if ? { if: e.data.if } : {}),
      ...(e.data?.maxIterations !== undefined ? { maxIterations: e.data.maxIterations } : {}),
    })),
  };
}

/** Keep the fields the node's type uses; a palette switch or an emptied field leaves none behind. */
function cleanNode(n: WorkflowNode): WorkflowNode {
  const out: WorkflowNode = { id: n.id, type: n.type };
  const calls = n.type === 'agent' || n.type === 'router';
  const child = n.type === 'workflow' || n.type === 'map';
  if (calls && n.agent) out.agent = n.agent;
  if (calls && n.agentVersion) out.agentVersion = n.agentVersion;
  if (n.type === 'tool' && n.tool) out.tool = n.tool;
  if (n.type !== 'approval' && !child && n.prompt) out.prompt = n.prompt;
  if (n.with && Object.keys(n.with).length > 0) out.with = n.with;
  if (n.type === 'router' && n.routes) out.routes = n.routes;
  if (child && n.workflow) out.workflow = n.workflow;
  if (child && n.version) out.version = n.version;
  if (child && n.input && Object.keys(n.input).length > 0) out.input = n.input;
  if (n.type === 'map' && n.items) out.items = n.items;
  if (n.type === 'map' && n.as) out.as = n.as;
  if (n.type === 'map' && n.maxConcurrency) out.maxConcurrency = n.maxConcurrency;
  if (n.maxAttempts) out.maxAttempts = n.maxAttempts;
  return out;
}

function cleanInput(f: WorkflowInputField): WorkflowInputField {
  const out: WorkflowInputField = { name: f.name.trim() };
  if (f.description) out.description = f.description;
  if (f.required) out.required = true;
  if (f.multiline) out.multiline = true;
  return out;
}

/** Rename a node: its id, the edges that touch it, and `{{steps.<old>.…}}` references in prompts. */
export function renameNode(
  nodes: readonly WorkFlowNode[],
  edges: readonly WorkFlowEdge[],
  from: string,
  to: string,
): { nodes: WorkFlowNode[]; edges: WorkFlowEdge[] } {
  const ref = new RegExp(`(\\{\\{\\s*steps\\.)${from.replace(/[-]/g, '\\-')}(\\.)`, 'g');
  return {
    nodes: nodes.map((n) => {
      const prompt = n.data.node.prompt?.replace(ref, `$1${to}$2`);
      const node = { ...n.data.node, id: n.id === from ? to : n.data.node.id, prompt };
      return { ...n, id: n.id === from ? to : n.id, data: { ...n.data, node } };
    }),
    edges: edges.map((e) => {
      const source = e.source === from ? to : e.source;
      const target = e.target === from ? to : e.target;
      const cond = e.data?.if ? renameInCondition(e.data.if, from, to) : undefined;
      const data = cond ? { ...e.data, if: cond } : e.data;
      return withLook({ ...e, id: edgeId(source, target), source, target, data });
    }),
  };
}

function renameInCondition(c: Condition, from: string, to: string): Condition {
  if ('all' in c) return { all: c.all.map((x) => renameInCondition(x, from, to)) };
  if ('any' in c) return { any: c.any.map((x) => renameInCondition(x, from, to)) };
  if ('not' in c) return { not: renameInCondition(c.not, from, to) };
  const prefix = `steps.${from}.`;
  return c.path.startsWith(prefix)
    ? { ...c, path: `steps.${to}.${c.path.slice(prefix.length)}` }
    : c;
}
