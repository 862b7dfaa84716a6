import { addEdge, useEdgesState, useNodesState, type Connection } from '@xyflow/react';
import { useCallback, useMemo, useState } from 'react';
import type { FieldIssue, Workflow, WorkflowInputField, WorkflowNode } from '../api/types';
import { uniqueNodeId, wouldCycle } from '../dag/graph';
import { mapIssues, NO_ISSUES, type MappedIssues } from '../dag/issues';
import {
  edgeId,
  renameNode,
  toFlow,
  toSpec,
  type WorkflowMeta,
  type WorkFlowEdge,
  type WorkFlowNode,
} from '../dag/workflowFlow';

const LAYER = 280;

export function slugify(name: string): string {
  return name
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-+|-+$/g, '')
    .slice(0, 64);
}

/** All the state of the workflow editor and the operations on it. */
export function useWorkflowEditor(initial: Workflow | undefined) {
  const start = useMemo(() => (initial ? toFlow(initial) : { nodes: [], edges: [] }), [initial]);
  const [meta, setMeta] = useState<WorkflowMeta>({
    slug: initial?.slug ?? '',
    name: initial?.name ?? '',
    description: initial?.description ?? '',
  });
  const [inputs, setInputs] = useState<WorkflowInputField[]>(initial?.inputs ?? []);
  const [nodes, setNodes, onNodesChange] = useNodesState<WorkFlowNode>(start.nodes);
  const [edges, setEdges, onEdgesChange] = useEdgesState<WorkFlowEdge>(start.edges);
  const [issues, setIssues] = useState<MappedIssues>(NO_ISSUES);
  const [notice, setNotice] = useState<string | null>(null);
  const [saved, setSaved] = useState(() =>
    initial ? specKey(toSpec(meta, inputs, start.nodes, start.edges)) : '',
  );

  const spec = useCallback(() => toSpec(meta, inputs, nodes, edges), [meta, inputs, nodes, edges]);
  const dirty = useMemo(() => specKey(spec()) !== saved, [spec, saved]);
  const selectedNode = nodes.find((n) => n.selected) ?? null;
  const selectedEdge = selectedNode ? null : (edges.find((e) => e.selected) ?? null);

  const select = useCallback(
    (id: string | null, kind: 'node' | 'edge' = 'node') => {
      setNodes((ns) =>
        ns.map((n) =>
          n.selected === (kind === 'node' && n.id === id)
            ? n
            : { ...n, selected: kind === 'node' && n.id === id },
        ),
      );
      setEdges((es) =>
        es.map((e) =>
          e.selected === (kind === 'edge' && e.id === id)
            ? e
            : { ...e, selected: kind === 'edge' && e.id === id },
        ),
      );
    },
    [setNodes, setEdges],
  );

  const addNode = useCallback(
    (type: 'agent' | 'approval', agentSlug?: string) => {
      const after = nodes.find((n) => n.selected);
      const id = uniqueNodeId(
        type === 'agent' ? (agentSlug ?? 'agent') : 'approval',
        nodes.map((n) => n.id),
      );
      const position = after
        ? {
            x: after.position.x + LAYER,
            y: after.position.y + 190 * edges.filter((e) => e.source === after.id).length,
          }
        : { x: nodes.length === 0 ? 0 : Math.max(...nodes.map((n) => n.position.x)) + LAYER, y: 0 };
      const node: WorkflowNode =
        type === 'agent'
          ? { id, type, agent: agentSlug, prompt: after ? `{{steps.${after.id}.output}}` : '' }
          : { id, type };
      setNodes((ns) => [
        ...ns.map((n) => ({ ...n, selected: false })),
        { id, type: 'work', position, data: { node }, selected: true },
      ]);
      if (after)
        setEdges((es) => [
          ...es,
          { id: edgeId(after.id, id), source: after.id, target: id, data: {} },
        ]);
      return id;
    },
    [nodes, edges, setNodes, setEdges],
  );

  const updateNode = useCallback(
    (id: string, patch: Partial<WorkflowNode>) =>
      setNodes((ns) =>
        ns.map((n) =>
          n.id === id ? { ...n, data: { ...n.data, node: { ...n.data.node, ...patch } } } : n,
        ),
      ),
    [setNodes],
  );

  const rename = useCallback(
    (from: string, to: string): string | null => {
      if (nodes.some((n) => n.id === to)) return `"${to}" is already used`;
      const next = renameNode(nodes, edges, from, to);
      setNodes(next.nodes);
      setEdges(next.edges);
      setIssues((prev) =>
        prev.byNode[from]
          ? {
              ...prev,
              byNode: Object.fromEntries(
                Object.entries(prev.byNode).map(([k, v]) => [k === from ? to : k, v]),
              ),
            }
          : prev,
      );
      return null;
    },
    [nodes, edges, setNodes, setEdges],
  );

  const connect = useCallback(
    (c: Connection | { source: string; target: string }) => {
      if (!c.source || !c.target) return;
      const plain = edges.map((e) => ({ from: e.source, to: e.target }));
      if (wouldCycle(c.source, c.target, plain)) {
        setNotice(`${c.source} → ${c.target} would make a cycle: workflows are acyclic.`);
        return;
      }
      if (edges.some((e) => e.source === c.source && e.target === c.target)) return;
      setNotice(null);
      setEdges((es) =>
        addEdge(
          { id: edgeId(c.source, c.target), source: c.source, target: c.target, data: {} },
          es,
        ),
      );
    },
    [edges, setEdges],
  );

  const toggleParent = useCallback(
    (parent: string, child: string, on: boolean) => {
      if (on) connect({ source: parent, target: child });
      else setEdges((es) => es.filter((e) => !(e.source === parent && e.target === child)));
    },
    [connect, setEdges],
  );

  const removeNode = useCallback(
    (id: string) => {
      setNodes((ns) => ns.filter((n) => n.id !== id));
      setEdges((es) => es.filter((e) => e.source !== id && e.target !== id));
    },
    [setNodes, setEdges],
  );

  const setEdgeWhen = useCallback(
    (id: string, when: 'success' | 'failure' | 'always') =>
      setEdges((es) =>
        es.map((e) =>
          e.id === id
            ? {
                ...e,
                data: { ...e.data, when },
                label: when === 'success' ? undefined : `on ${when}`,
              }
            : e,
        ),
      ),
    [setEdges],
  );

  const removeEdge = useCallback(
    (id: string) => setEdges((es) => es.filter((e) => e.id !== id)),
    [setEdges],
  );

  /** Show the API's 400 details on the nodes they concern (paths index the node order that was sent). */
  const showIssues = useCallback(
    (details: readonly FieldIssue[], sentNodeIds: readonly string[]) =>
      setIssues(mapIssues(details, sentNodeIds)),
    [],
  );
  const clearIssues = useCallback(() => setIssues(NO_ISSUES), []);
  /** Remember what the server accepted (the body that was sent), so the editor is clean again. */
  const markSaved = useCallback((sent: ReturnType<typeof toSpec>, slug: string) => {
    setMeta((m) => ({ ...m, slug }));
    setSaved(specKey(sent));
  }, []);

  return {
    meta,
    setMeta,
    inputs,
    setInputs,
    nodes,
    edges,
    onNodesChange,
    onEdgesChange,
    issues,
    notice,
    setNotice,
    dirty,
    spec,
    selectedNode,
    selectedEdge,
    select,
    addNode,
    updateNode,
    rename,
    connect,
    toggleParent,
    removeNode,
    setEdgeWhen,
    removeEdge,
    showIssues,
    clearIssues,
    markSaved,
  };
}

export type WorkflowEditorState = ReturnType<typeof useWorkflowEditor>;

/** Comparable form of a spec for dirty tracking (the slug is fixed once created). */
function specKey(spec: ReturnType<typeof toSpec>): string {
  const { slug: _slug, ...rest } = spec;
  return JSON.stringify(rest);
}
