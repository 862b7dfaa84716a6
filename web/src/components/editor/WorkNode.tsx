import { Handle, Position, type NodeProps } from '@xyflow/react';
import type { WorkFlowNode } from '../../dag/workflowFlow';

const FIELD_LABEL: Record<string, string> = {
  agent: 'agent',
  prompt: 'prompt',
  id: 'id',
  tool: 'tool',
  routes: 'routes',
  workflow: 'workflow',
  items: 'items',
  input: 'input',
};

/** One line saying what the node runs. */
function summary(node: WorkFlowNode['data']['node'], agentName: string | undefined): string {
  switch (node.type) {
    case 'agent':
      return agentName ?? node.agent ?? 'no agent';
    case 'router':
      return `${agentName ?? node.agent ?? 'no agent'} → ${(node.routes ?? []).join(' | ') || 'no routes'}`;
    case 'tool':
      return node.tool || 'no tool';
    case 'workflow':
      return `runs ${node.workflow ?? 'no workflow'}${node.version ? ` v${node.version}` : ''}`;
    case 'map':
      return `${node.workflow ?? 'no workflow'} for each ${node.as ?? 'item'} in ${node.items ?? '?'}`;
    case 'approval':
      return 'human approval';
  }
}

/** An editor node: what it runs, a prompt preview, and the validation issues that concern it. */
export function WorkNode({ id, data, selected }: NodeProps<WorkFlowNode>) {
  const { node, agentName, issues = [], readOnly } = data;
  const what = summary(node, agentName);
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
