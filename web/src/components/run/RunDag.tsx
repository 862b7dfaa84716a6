import {
  Background,
  Controls,
  MarkerType,
  ReactFlow,
  type Edge,
  type NodeChange,
} from '@xyflow/react';
import { useCallback, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { RunStep, WorkflowEdge, WorkflowNode } from '../../api/types';
import { fitLayout } from '../../dag/layout';
import { statusTone } from '../../dag/status';
import { formatUsd } from '../../format';
import { StepNode, type StepFlowNode } from './StepNode';

const nodeTypes = { step: StepNode };
/** The drawn size of a step node (see `.step-node` in app.css). */
const NODE = { width: 180, height: 74 };
const MAX_ZOOM = 1.2;

interface RunDagProps {
  nodes: readonly WorkflowNode[];
  edges: readonly WorkflowEdge[];
  steps: readonly RunStep[];
  selected: string | null;
  onSelect: (nodeId: string) => void;
}

/** The size of an element, kept current (null until measured, or where ResizeObserver is missing). */
function useSize<T extends HTMLElement>() {
  const ref = useRef<T>(null);
  const [size, setSize] = useState<{ width: number; height: number } | null>(null);
  useLayoutEffect(() => {
    const el = ref.current;
    if (!el || typeof ResizeObserver === 'undefined') return;
    const measure = () =>
      setSize((prev) =>
        prev && prev.width === el.clientWidth && prev.height === el.clientHeight
          ? prev
          : { width: el.clientWidth, height: el.clientHeight },
      );
    measure();
    const ro = new ResizeObserver(measure);
    ro.observe(el);
    return () => ro.disconnect();
  }, []);
  return [ref, size] as const;
}

/**
 * The workflow DAG of a run, laid out by topological depth (left to right, or top to bottom when
 * that draws it larger in the space there is), each node colored by its step status.
 */
export function RunDag({ nodes, edges, steps, selected, onSelect }: RunDagProps) {
  const [wrap, size] = useSize<HTMLDivElement>();
  const byNode = useMemo(() => new Map(steps.map((s) => [s.nodeId, s])), [steps]);
  const all = useMemo(() => mergeNodes(nodes, steps), [nodes, steps]);
  const { direction, positions } = useMemo(
    () =>
      fitLayout(
        all.map((n) => n.id),
        edges,
        NODE,
        size && { width: size.width * 0.85, height: size.height * 0.85 },
        MAX_ZOOM,
      ),
    [all, edges, size],
  );

  // Each live update hands React Flow new node objects. Without their measured size it treats
  // them as unmeasured: hidden (visibility) and without handles, so edges vanish, until its
  // ResizeObserver reports again, which a busy or background tab may not do: the blank graph.
  // So sizes React Flow measured are kept and passed back, and a node never measured yet
  // starts at its drawn size (visible at once).
  const measured = useRef(new Map<string, { width: number; height: number }>());
  const onNodesChange = useCallback((changes: NodeChange<StepFlowNode>[]) => {
    for (const change of changes)
      if (change.type === 'dimensions' && change.dimensions)
        measured.current.set(change.id, change.dimensions);
  }, []);

  const flowNodes: StepFlowNode[] = all.map((n) => {
    const step = byNode.get(n.id);
    const status = step?.status ?? 'PENDING';
    const size = measured.current.get(n.id);
    return {
      id: n.id,
      type: 'step',
      position: positions.get(n.id) ?? { x: 0, y: 0 },
      ...(size ? { measured: size } : { initialWidth: NODE.width, initialHeight: NODE.height }),
      draggable: false,
      connectable: false,
      selected: selected === n.id,
      ariaLabel: `Step ${n.id}, ${status.toLowerCase()}`,
      data: {
        nodeId: n.id,
        label: n.id,
        kind:
          n.type === 'agent'
            ? `agent · ${n.agent ?? '?'}`
            : n.type === 'tool'
              ? `tool · ${n.tool ?? '?'}`
              : n.type,
        status,
        detail: step && step.costUsd > 0 ? formatUsd(step.costUsd) : undefined,
        selected: selected === n.id,
        direction,
      },
    };
  });
  const flowEdges: Edge[] = edges.map((e, i) => {
    const source = byNode.get(e.from)?.status;
    return {
      id: `e${i}-${e.from}-${e.to}`,
      source: e.from,
      target: e.to,
      label: e.when && e.when !== 'success' ? e.when : undefined,
      animated: source === 'RUNNING' || byNode.get(e.to)?.status === 'RUNNING',
      className: `edge tone-${statusTone(source ?? 'PENDING')}`,
      markerEnd: { type: MarkerType.ArrowClosed },
      focusable: false,
    };
  });

  // Remount when the graph's shape changes so the view fits the whole DAG again.
  const shape = `${direction}|${all.map((n) => n.id).join(',')}|${edges.map((e) => `${e.from}>${e.to}`).join(',')}`;

  return (
    <div
      className="flow-canvas run-flow"
      data-testid="run-dag"
      data-direction={direction}
      ref={wrap}
    >
      <ReactFlow
        key={shape}
        nodes={flowNodes}
        edges={flowEdges}
        nodeTypes={nodeTypes}
        onNodesChange={onNodesChange}
        onNodeClick={(_e, node) => onSelect(node.id)}
        nodesDraggable={false}
        nodesConnectable={false}
        elementsSelectable
        fitView
        fitViewOptions={{ padding: 0.12, maxZoom: MAX_ZOOM }}
        proOptions={{ hideAttribution: true }}
        minZoom={0.2}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
      </ReactFlow>
    </div>
  );
}

/** Workflow nodes plus any step whose node the definition does not list (e.g. the definition failed to load). */
export function mergeNodes(
  nodes: readonly WorkflowNode[],
  steps: readonly RunStep[],
): WorkflowNode[] {
  const known = new Set(nodes.map((n) => n.id));
  const extra = steps
    .filter((s) => !known.has(s.nodeId))
    .map((s) => ({ id: s.nodeId, type: (s.type as WorkflowNode['type']) ?? 'agent' }));
  return [...nodes, ...extra];
}
