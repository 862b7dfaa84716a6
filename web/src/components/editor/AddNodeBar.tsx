import { useState } from 'react';
import type { Agent } from '../../api/types';
import { Link } from '../../router/Link';

/** Add agent (or approval) nodes; with a node selected, the new one is connected after it. */
export function AddNodeBar({
  agents,
  after,
  onAdd,
}: {
  agents: readonly Agent[];
  after: string | null;
  onAdd: (type: 'agent' | 'approval', agentSlug?: string) => void;
}) {
  const [slug, setSlug] = useState('');
  const chosen = slug || agents[0]?.slug || '';
  return (
    <fieldset className="toolbar add-node-bar" aria-label="Add a node">
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
            onClick={() => onAdd('agent', chosen)}
            data-testid="add-agent-node"
          >
            {after ? `Add agent node after ${after}` : 'Add agent node'}
          </button>
        </>
      )}
      <button type="button" className="btn btn-secondary btn-sm" onClick={() => onAdd('approval')}>
        Add approval
      </button>
    </fieldset>
  );
}
