import { Handle, Position, type Node, type NodeProps } from '@xyflow/react';
import { statusTone } from '../../dag/status';

export type StepNodeData = {
  nodeId: string;
  label: string;
  kind: string;
  status: string;
  detail?: string;
  selected?: boolean;
  /** How the graph is laid out: edges enter and leave on the matching sides. */
  direction?: 'LR' | 'TB';
};
export type StepFlowNode = Node<StepNodeData, 'step'>;

/** A run's step on the graph, colored by its status. */
export function StepNode({ data }: NodeProps<StepFlowNode>) {
  const tone = statusTone(data.status);
  const vertical = data.direction === 'TB';
  return (
    <div
      className={`flow-node step-node tone-${tone}${data.selected ? ' is-selected' : ''}${data.status === 'RUNNING' ? ' is-running' : ''}`}
      data-testid={`step-node-${data.nodeId}`}
      data-status={data.status}
    >
      <Handle
        type="target"
        position={vertical ? Position.Top : Position.Left}
        isConnectable={false}
      />
      <div className="flow-node-kind">{data.kind}</div>
      <div className="flow-node-title" title={data.label}>
        {data.label}
      </div>
      <div className="flow-node-status">
        <span className="badge-dot" aria-hidden="true" /> {data.status.toLowerCase()}
        {data.detail && <span className="muted"> · {data.detail}</span>}
      </div>
      <Handle
        type="source"
        position={vertical ? Position.Bottom : Position.Right}
        isConnectable={false}
      />
    </div>
  );
}
