import {
  addEdge,
  useEdgesState,
  useNodesState,
  type Connection,
  type EdgeChange,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useMemo, useRef, useState } from 'react';
import type { FieldIssue, Workflow, WorkflowInputField, WorkflowNode } from '../api/types';
import { uniqueNodeId, wouldCycle } from '../dag/graph';
import { mapIssues, NO_ISSUES, type MappedIssues } from '../dag/issues';
import { liveIssues as validateLive, type LiveContext } from '../dag/liveIssues';
import {
  edgeId,
  forwardEdges,
  renameNode,
  toFlow,
  toSpec,
  withLook,
  type WorkEdgeData,
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

export type PaletteType = WorkflowNode['type'];

/** What an undo restores: everything the saved body is made of (positions and selection ride along). */
interface Snapshot {
  meta: WorkflowMeta;
  inputs: WorkflowInputField[];
  nodes: WorkFlowNode[];
  edges: WorkFlowEdge[];
}

const ID_BASE: Record<PaletteType, string> = {
  agent: 'agent',
  tool: 'tool',
  approval: 'approval',
  router: 'router',
  workflow: 'sub',
  map: 'map',
};

/** A new node of `type` with defaults that need the fewest edits (wired to `after` when given). */
export function defaultNode(
  type: PaletteType,
  id: string,
  opts: { after?: string; agent?: string; workflow?: string },
): WorkflowNode {
  const upstream = opts.after ? `{{steps.${opts.after}.output}}` : '';
  switch (type) {
    case 'agent':
      return { id, type, agent: opts.agent, prompt: upstream };
    case 'router':
      return { id, type, agent: opts.agent, prompt: upstream, routes: ['yes', 'no'] };
    case 'tool':
      return { id, type, tool: '', with: {} };
    case 'workflow':
      return { id, type, workflow: opts.workflow, input: opts.after ? { input: upstream } : {} };
    case 'map':
      return {
        id,
        type,
        workflow: opts.workflow,
        items: opts.after ? `steps.${opts.after}.output` : '',
        as: 'item',
        maxConcurrency: 5,
      };
    case 'approval':
      return { id, type };
  }
}

/** All the state of the workflow editor and the operations on it, with undo/redo over every edit. */
export function useWorkflowEditor(initial: Workflow | undefined, live: LiveContext = {}) {
  const start = useMemo(() => (initial ? toFlow(initial) : { nodes: [], edges: [] }), [initial]);
  const [meta, setMetaState] = useState<WorkflowMeta>({
    slug: initial?.slug ?? '',
    name: initial?.name ?? '',
    description: initial?.description ?? '',
  });
  const [inputs, setInputsState] = useState<WorkflowInputField[]>(initial?.inputs ?? []);
  const [nodes, setNodes, applyNodeChanges] = useNodesState<WorkFlowNode>(start.nodes);
  const [edges, setEdges, applyEdgeChanges] = useEdgesState<WorkFlowEdge>(start.edges);
  const [server, setServer] = useState<{ key: string; issues: MappedIssues } | null>(null);
  const [notice, setNotice] = useState<string | null>(null);
  const [saved, setSaved] = useState(() =>
    initial ? specKey(toSpec(meta, inputs, start.nodes, start.edges)) : '',
  );
  const [history, setHistory] = useState<{ past: Snapshot[]; future: Snapshot[] }>({
    past: [],
    future: [],
  });
  // Consecutive edits of the same field (typing) make one undo step.
  const lastKey = useRef<string | null>(null);

  const spec = useCallback(() => toSpec(meta, inputs, nodes, edges), [meta, inputs, nodes, edges]);
  const current = useMemo(() => spec(), [spec]);
  const currentKey = specKey(current);
  const dirty = currentKey !== saved;
  const liveIssues = useMemo(
    () =>
      mapIssues(
        validateLive(current, live),
        current.nodes.map((n) => n.id),
      ),
    [current, live],
  );
  // The API's answer stands while the body it judged is unchanged; after an edit the live check speaks.
  const saveIssues = server && server.key === currentKey ? server.issues : NO_ISSUES;
  const issues = server && server.key === currentKey ? server.issues : liveIssues;
  const selectedNode = nodes.find((n) => n.selected) ?? null;
  const selectedEdge = selectedNode ? null : (edges.find((e) => e.selected) ?? null);

  const record = useCallback(
    (key: string | null = null) => {
      if (key !== null && key === lastKey.current) return;
      lastKey.current = key;
      const snap = { meta, inputs, nodes, edges };
      setHistory((h) => ({ past: [...h.past.slice(-99), snap], future: [] }));
    },
    [meta, inputs, nodes, edges],
  );

  const restore = useCallback(
    (snap: Snapshot) => {
      setMetaState(snap.meta);
      setInputsState(snap.inputs);
      setNodes(snap.nodes);
      setEdges(snap.edges);
      lastKey.current = null;
    },
    [setNodes, setEdges],
  );

  const undo = useCallback(() => {
    const prev = history.past.at(-1);
    if (!prev) return;
    setHistory({
      past: history.past.slice(0, -1),
      future: [{ meta, inputs, nodes, edges }, ...history.future],
    });
    restore(prev);
  }, [history, meta, inputs, nodes, edges, restore]);

  const redo = useCallback(() => {
    const next = history.future[0];
    if (!next) return;
    setHistory({
      past: [...history.past, { meta, inputs, nodes, edges }],
      future: history.future.slice(1),
    });
    restore(next);
  }, [history, meta, inputs, nodes, edges, restore]);

  const setMeta = useCallback(
    (m: WorkflowMeta) => {
      record('meta');
      setMetaState(m);
    },
    [record],
  );
  const setInputs = useCallback(
    (next: WorkflowInputField[]) => {
      record('inputs');
      setInputsState(next);
    },
    [record],
  );

  const onNodesChange = useCallback(
    (changes: NodeChange<WorkFlowNode>[]) => {
      if (changes.some((c) => c.type === 'remove')) record('delete');
      applyNodeChanges(changes);
    },
    [record, applyNodeChanges],
  );
  const onEdgesChange = useCallback(
    (changes: EdgeChange<WorkFlowEdge>[]) => {
      if (changes.some((c) => c.type === 'remove')) record('delete');
      applyEdgeChanges(changes);
    },
    [record, applyEdgeChanges],
  );

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
    (type: PaletteType, opts: { agent?: string; workflow?: string } = {}) => {
      record();
      const after = nodes.find((n) => n.selected);
      const id = uniqueNodeId(
        type === 'agent' ? (opts.agent ?? 'agent') : ID_BASE[type],
        nodes.map((n) => n.id),
      );
      const position = after
        ? {
            x: after.position.x + LAYER,
            y: after.position.y + 190 * edges.filter((e) => e.source === after.id).length,
          }
        : { x: nodes.length === 0 ? 0 : Math.max(...nodes.map((n) => n.position.x)) + LAYER, y: 0 };
      const node = defaultNode(type, id, { ...opts, after: after?.id });
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
    [nodes, edges, setNodes, setEdges, record],
  );

  const updateNode = useCallback(
    (id: string, patch: Partial<WorkflowNode>) => {
      record(`node:${id}:${Object.keys(patch).sort().join(',')}`);
      setNodes((ns) =>
        ns.map((n) =>
          n.id === id ? { ...n, data: { ...n.data, node: { ...n.data.node, ...patch } } } : n,
        ),
      );
    },
    [setNodes, record],
  );

  const rename = useCallback(
    (from: string, to: string): string | null => {
      if (nodes.some((n) => n.id === to)) return `"${to}" is already used`;
      record();
      const next = renameNode(nodes, edges, from, to);
      setNodes(next.nodes);
      setEdges(next.edges);
      return null;
    },
    [nodes, edges, setNodes, setEdges, record],
  );

  /**
   * Draw `source → target`. Back to an ancestor it becomes a loop's back edge: bounded (3 by
   * default) and conditional (on the source's output), the two things a loop edge must carry.
   */
  const connect = useCallback(
    (c: Connection | { source: string; target: string }) => {
      if (!c.source || !c.target) return;
      if (c.source === c.target) {
        setNotice('A step cannot run after itself.');
        return;
      }
      if (edges.some((e) => e.source === c.source && e.target === c.target)) return;
      const loop = wouldCycle(c.source, c.target, forwardEdges(edges));
      if (loop && edges.some((e) => e.data?.maxIterations !== undefined && e.source === c.source)) {
        setNotice(`${c.source} already closes a loop: loops may not overlap or nest.`);
        return;
      }
      record();
      setNotice(
        loop
          ? `${c.source} → ${c.target} is a loop back edge: set its condition and how many times it may run.`
          : null,
      );
      const data = loop
        ? {
            maxIterations: 3,
            if: { path: `steps.${c.source}.output`, notEquals: '' },
          }
        : {};
      setEdges((es) =>
        addEdge(
          withLook({ id: edgeId(c.source, c.target), source: c.source, target: c.target, data }),
          es.map((e) => ({ ...e, selected: false })),
        ),
      );
      if (loop) select(edgeId(c.source, c.target), 'edge');
    },
    [edges, setEdges, record, select],
  );

  const toggleParent = useCallback(
    (parent: string, child: string, on: boolean) => {
      if (on) connect({ source: parent, target: child });
      else {
        record();
        setEdges((es) => es.filter((e) => !(e.source === parent && e.target === child)));
      }
    },
    [connect, setEdges, record],
  );

  const removeNode = useCallback(
    (id: string) => {
      record();
      setNodes((ns) => ns.filter((n) => n.id !== id));
      setEdges((es) => es.filter((e) => e.source !== id && e.target !== id));
    },
    [setNodes, setEdges, record],
  );

  /** Change an edge's data (when, if, maxIterations); `undefined` values remove the field. */
  const updateEdge = useCallback(
    (id: string, patch: Partial<WorkEdgeData>) => {
      record(`edge:${id}:${Object.keys(patch).sort().join(',')}`);
      setEdges((es) =>
        es.map((e) => (e.id === id ? withLook({ ...e, data: { ...e.data, ...patch } }) : e)),
      );
    },
    [setEdges, record],
  );
  const setEdgeWhen = useCallback(
    (id: string, when: 'success' | 'failure' | 'always') => updateEdge(id, { when }),
    [updateEdge],
  );

  const removeEdge = useCallback(
    (id: string) => {
      record();
      setEdges((es) => es.filter((e) => e.id !== id));
    },
    [setEdges, record],
  );

  /** Show the API's 400 details on the nodes they concern (paths index the node order that was sent). */
  const showIssues = useCallback(
    (details: readonly FieldIssue[], sent: ReturnType<typeof toSpec>) =>
      setServer({
        key: specKey(sent),
        issues: mapIssues(
          details,
          sent.nodes.map((n) => n.id),
        ),
      }),
    [],
  );
  const clearIssues = useCallback(() => setServer(null), []);
  /** Remember what the server accepted (the body that was sent), so the editor is clean again. */
  const markSaved = useCallback((sent: ReturnType<typeof toSpec>, slug: string) => {
    setMetaState((m) => ({ ...m, slug }));
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
    saveIssues,
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
    updateEdge,
    setEdgeWhen,
    removeEdge,
    showIssues,
    clearIssues,
    markSaved,
    undo,
    redo,
    canUndo: history.past.length > 0,
    canRedo: history.future.length > 0,
  };
}

export type WorkflowEditorState = ReturnType<typeof useWorkflowEditor>;

/** Comparable form of a spec for dirty tracking (the slug is fixed once created). */
function specKey(spec: ReturnType<typeof toSpec>): string {
  const { slug: _slug, ...rest } = spec;
  return JSON.stringify(rest);
}
