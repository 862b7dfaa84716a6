import {
  Background,
  Controls,
  MarkerType,
  MiniMap,
  ReactFlow,
  useReactFlow,
  type DefaultEdgeOptions,
} from '@xyflow/react';
import { useEffect, useMemo } from 'react';
import type { Agent } from '../../api/types';
import type { WorkflowEditorState } from '../../hooks/useWorkflowEditor';
import { WorkNode } from './WorkNode';

const nodeTypes = { work: WorkNode };
const edgeDefaults: DefaultEdgeOptions = { markerEnd: { type: MarkerType.ArrowClosed } };
const FIT = { padding: 0.25, maxZoom: 1.1 };

/** The React Flow canvas of the editor; issues and agent names are laid onto the nodes here. */
export function EditorCanvas({
  editor,
  agents,
  readOnly,
}: {
  editor: WorkflowEditorState;
  agents: readonly Agent[];
  readOnly: boolean;
}) {
  const names = useMemo(() => new Map(agents.map((a) => [a.slug, a.name])), [agents]);
  const nodes = editor.nodes.map((n) => ({
    ...n,
    data: {
      ...n.data,
      agentName: n.data.node.agent ? names.get(n.data.node.agent) : undefined,
      issues: editor.issues.byNode[n.id],
      readOnly,
    },
  }));
  const edges = editor.edges.map((e, i) =>
    editor.issues.byEdge[i]
      ? {
          ...e,
          className: [e.className, 'edge-invalid'].filter(Boolean).join(' '),
          data: { ...e.data, invalid: true },
          ariaLabel: `Edge ${e.source} to ${e.target}: ${editor.issues.byEdge[i].join('; ')}`,
        }
      : e,
  );

  // A node added (or removed) may sit outside the view: fit the whole graph again once it is measured.
  const { fitView } = useReactFlow();
  const count = editor.nodes.length;
  useEffect(() => {
    if (count === 0) return;
    const t = setTimeout(() => void fitView({ ...FIT, duration: 150 }), 60);
    return () => clearTimeout(t);
  }, [count, fitView]);

  return (
    <div className="flow-canvas editor-flow" data-testid="workflow-canvas">
      <ReactFlow
        nodes={nodes}
        edges={edges}
        nodeTypes={nodeTypes}
        defaultEdgeOptions={edgeDefaults}
        onNodesChange={editor.onNodesChange}
        onEdgesChange={editor.onEdgesChange}
        onConnect={readOnly ? undefined : editor.connect}
        nodesConnectable={!readOnly}
        deleteKeyCode={readOnly ? null : ['Delete', 'Backspace']}
        fitView
        fitViewOptions={FIT}
        proOptions={{ hideAttribution: true }}
        minZoom={0.2}
      >
        <Background gap={20} size={1} />
        <Controls showInteractive={false} />
        {editor.nodes.length > 8 && <MiniMap pannable zoomable />}
      </ReactFlow>
      {editor.nodes.length === 0 && (
        <div className="canvas-empty" data-testid="canvas-empty">
          <p>
            Add a node from the palette to start. Select a node and add another to chain them, or
            drag from a node's right handle to another's left handle.
          </p>
        </div>
      )}
    </div>
  );
}
