/**
 * Conversions between a workflow (the API's shape) and the editor's React Flow graph. Pure:
 * the node order of the flow is the order of `nodes` in the request body, which is what
 * validation paths like `nodes[2].agent` index.
 */
import type { Edge, Node } from '@xyflow/react';
import type { WorkflowCreate, WorkflowEdge, WorkflowInputField, WorkflowNode } from '../api/types';
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
export type WorkEdgeData = { when?: WorkflowEdge['when']; invalid?: boolean };
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
  return {
    id: edgeId(e.from, e.to),
    source: e.from,
    target: e.to,
    data: { when: e.when },
    label: e.when && e.when !== 'success' ? `on ${e.when}` : undefined,
  };
}

export function toFlow(graph: {
  nodes: readonly WorkflowNode[];
  edges?: readonly WorkflowEdge[];
}): { nodes: WorkFlowNode[]; edges: WorkFlowEdge[] } {
  const edges = graph.edges ?? [];
  // Editor nodes show a prompt preview (and issues), so they get more room than run nodes.
  const placed = layoutDag(
    graph.nodes.map((n) => n.id),
    edges,
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
    })),
  };
}

function cleanNode(n: WorkflowNode): WorkflowNode {
  const out: WorkflowNode = { id: n.id, type: n.type };
  if (n.type === 'agent' && n.agent) out.agent = n.agent;
  if (n.type === 'tool' && n.tool) out.tool = n.tool;
  if (n.prompt) out.prompt = n.prompt;
  if (n.with && Object.keys(n.with).length > 0) out.with = n.with;
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
      return source === e.source && target === e.target
        ? e
        : { ...e, id: edgeId(source, target), source, target };
    }),
  };
}
