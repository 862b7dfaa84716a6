import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { WorkFlowNode } from '../../dag/workflowFlow';

const FIELD_LABEL: Record<string, string> = {
  agent: 'agent',
  prompt: 'prompt',
  id: 'id',
  tool: 'tool',
};

/** An editor node: what it runs, a prompt preview, and the validation issues that concern it. */
export function WorkNode({ id, data, selected }: NodeProps<WorkFlowNode>) {
  const { node, agentName, issues = [], readOnly } = data;
  const what =
    node.type === 'agent'
      ? (agentName ?? node.agent ?? 'no agent')
      : node.type === 'tool'
        ? (node.tool ?? 'no tool')
        : 'human approval';
  return (
    <div
      className={`flow-node work-node type-${node.type}${issues.length > 0 ? ' has-issues' : ''}${selected ? ' is-selected' : ''}`}
      data-testid={`editor-node-${id}`}
      data-invalid={issues.length > 0 || undefined}
    >
      <Handle type="target" position={Position.Left} isConnectable={!readOnly} />
      <div className="flow-node-kind">{node.type}</div>
      <div className="flow-node-title">{id}</div>
      <div className="flow-node-sub">{what}</div>
      {node.prompt && (
        <div className="flow-node-prompt">
          {node.prompt.length > 90 ? `${node.prompt.slice(0, 90)}…` : node.prompt}
        </div>
      )}
      {issues.length > 0 && (
        <ul className="node-issues" aria-label={`Problems with ${id}`}>
          {issues.map((issue, i) => (
            <li key={i} data-testid="node-issue" data-field={issue.field}>
              {issue.field && (
                <span className="node-issue-field">
                  {FIELD_LABEL[issue.field.split('.')[0]] ?? issue.field}:{' '}
                </span>
              )}
              {issue.message}
            </li>
          ))}
        </ul>
      )}
      <Handle type="source" position={Position.Right} isConnectable={!readOnly} />
    </div>
  );
}
