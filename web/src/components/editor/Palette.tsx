import { useState } from 'react';
import type { Agent } from '../../api/types';
import type { PaletteType } from '../../hooks/useWorkflowEditor';
import { Link } from '../../router/Link';

export interface WorkflowChoice {
  slug: string;
  name: string;
}

const KINDS: { type: PaletteType; label: string; title: string }[] = [
  { type: 'router', label: 'Router', title: 'A model call that picks one of its routes' },
  { type: 'tool', label: 'Tool', title: 'Call a tool with arguments' },
  { type: 'approval', label: 'Approval', title: 'Wait for a person to approve or reject' },
  { type: 'workflow', label: 'Sub-workflow', title: 'Run another workflow as one step' },
  { type: 'map', label: 'Map', title: 'Run a workflow once per item of a list' },
];

/**
 * Every node type of the workflow language, each added with defaults; with a node selected the
 * new one is connected after it. Agent and router nodes use the agent chosen here.
 */
export function Palette({
  agents,
  workflows,
  after,
  onAdd,
}: {
  agents: readonly Agent[];
  /** The tenant's other workflows, for sub-workflow and map nodes. */
  workflows: readonly WorkflowChoice[];
  after: string | null;
  onAdd: (type: PaletteType, opts: { agent?: string; workflow?: string }) => void;
}) {
  const [slug, setSlug] = useState('');
  const chosen = slug || agents[0]?.slug || '';
  const opts = { agent: chosen || undefined, workflow: workflows[0]?.slug };
  const suffix = after ? ` after ${after}` : '';
  return (
    <fieldset className="toolbar add-node-bar" aria-label="Add a node" data-testid="palette">
      {agents.length === 0 ? (
        <span className="muted">
          No agents yet. <Link to="/agents/new">Create one</Link> to add agent nodes.
        </span>
      ) : (
        <>
          <div className="field field-inline">
            <label htmlFor="add-node-agent">Agent</label>
            <select
              id="add-node-agent"
              value={chosen}
              onChange={(e) => setSlug(e.target.value)}
              data-testid="add-node-agent"
            >
              {agents.map((a) => (
                <option key={a.id} value={a.slug}>
                  {a.name} ({a.slug})
                </option>
              ))}
            </select>
          </div>
          <button
            type="button"
            className="btn btn-primary btn-sm"
            onClick={() => onAdd('agent', opts)}
            data-testid="add-agent-node"
          >
            {`Add agent node${suffix}`}
          </button>
        </>
      )}
      {KINDS.map((k) => (
        <button
          key={k.type}
          type="button"
          className="btn btn-secondary btn-sm"
          title={k.title}
          onClick={() => onAdd(k.type, opts)}
          data-testid={`add-node-${k.type}`}
        >
          {`Add ${k.label.toLowerCase()}${suffix}`}
        </button>
      ))}
    </fieldset>
  );
}
