import { useEffect, useState } from 'react';
import type { Agent, WorkflowInputField, WorkflowNode } from '../../api/types';
import { ancestors, wouldCycle } from '../../dag/graph';
import type { NodeIssue } from '../../dag/issues';
import { availableReferences } from '../../dag/references';
import { forwardEdges, type WorkFlowEdge } from '../../dag/workflowFlow';
import { ConfirmButton } from '../ConfirmButton';
import { Field } from '../Field';
import {
  AgentSelect,
  ChildWorkflowFields,
  InputMappingFields,
  MapFields,
  RoutesFields,
} from './NodeTypeFields';
import type { WorkflowChoice } from './Palette';
import { PromptEditor } from './PromptEditor';

interface NodeInspectorProps {
  node: WorkflowNode;
  nodeIds: readonly string[];
  edges: readonly WorkFlowEdge[];
  inputs: readonly WorkflowInputField[];
  agents: readonly Agent[];
  workflows: readonly WorkflowChoice[];
  issues: readonly NodeIssue[];
  readOnly: boolean;
  onChange: (patch: Partial<WorkflowNode>) => void;
  onRename: (to: string) => string | null;
  onToggleParent: (parent: string, on: boolean) => void;
  /** Draw a loop's back edge from this node to one of its ancestors. */
  onLoopBack: (target: string) => void;
  onDelete: () => void;
  onClose: () => void;
}

const NODE_ID = /^[a-z][a-z0-9_-]*$/;

/** Edit one node: id, the fields of its type, prompt (with reference chips), retries, upstream steps. */
export function NodeInspector(props: NodeInspectorProps) {
  const { node, nodeIds, edges, inputs, agents, issues, readOnly, onChange } = props;
  const [idDraft, setIdDraft] = useState(node.id);
  const [idError, setIdError] = useState<string | null>(null);
  useEffect(() => {
    setIdDraft(node.id);
    setIdError(null);
  }, [node.id]);

  const errs = (field: string) =>
    issues
      .filter(
        (i) =>
          i.field === field || i.field.startsWith(`${field}.`) || i.field.startsWith(`${field}[`),
      )
      .map((i) => i.message);
  const whole = issues.filter((i) => i.field === '').map((i) => i.message);
  const plain = forwardEdges(edges);
  const upstream = ancestors(node.id, plain);
  const closesLoop = edges.some((e) => e.source === node.id && e.data?.maxIterations !== undefined);
  const refs = availableReferences(
    node.id,
    inputs.map((f) => f.name),
    plain,
  );
  const parents = new Set(edges.filter((e) => e.target === node.id).map((e) => e.source));

  const commitId = () => {
    const next = idDraft.trim();
    if (next === node.id) return setIdError(null);
    if (!NODE_ID.test(next))
      return setIdError('lowercase letter first, then letters, digits, _ or -');
    if (nodeIds.includes(next)) return setIdError(`"${next}" is already used`);
    setIdError(props.onRename(next));
  };

  return (
    <section
      className="card inspector"
      aria-labelledby="inspector-title"
      data-testid="node-inspector"
    >
      <div className="card-header">
        <h2 id="inspector-title">
          {node.type} node <span className="mono">{node.id}</span>
        </h2>
        <button
          type="button"
          className="btn btn-ghost btn-icon"
          onClick={props.onClose}
          aria-label="Close node editor"
        >
          ×
        </button>
      </div>
      {whole.length > 0 && (
        <div className="alert alert-danger" role="alert">
          {whole.join(' · ')}
        </div>
      )}
      <fieldset className="fieldset-plain" disabled={readOnly}>
        <Field
          label="Step id"
          hint="Used in {{steps.<id>.output}}."
          errors={[...(idError ? [idError] : []), ...errs('id')]}
        >
          <input
            value={idDraft}
            onChange={(e) => setIdDraft(e.target.value)}
            onBlur={commitId}
            onKeyDown={(e) => e.key === 'Enter' && commitId()}
            className="mono"
            data-testid="node-id"
          />
        </Field>
        {(node.type === 'agent' || node.type === 'router') && (
          <AgentSelect node={node} agents={agents} onChange={onChange} errors={errs('agent')} />
        )}
        {node.type === 'router' && <RoutesFields node={node} onChange={onChange} errs={errs} />}
        {(node.type === 'workflow' || node.type === 'map') && (
          <ChildWorkflowFields
            node={node}
            workflows={props.workflows}
            onChange={onChange}
            errs={errs}
          />
        )}
        {node.type === 'map' && (
          <MapFields
            node={node}
            paths={[
              ...upstream.map((id) => `steps.${id}.output`),
              ...inputs.map((f) => `input.${f.name}`),
            ]}
            onChange={onChange}
            errs={errs}
          />
        )}
        {(node.type === 'workflow' || node.type === 'map') && (
          <InputMappingFields node={node} onChange={onChange} errs={errs} />
        )}
        {node.type === 'tool' && (
          <ToolFields
            node={node}
            onChange={onChange}
            toolErrors={errs('tool')}
            withErrors={errs('with')}
          />
        )}
        {(node.type === 'agent' || node.type === 'router' || node.type === 'tool') && (
          <PromptEditor
            value={node.prompt ?? ''}
            onChange={(prompt) => onChange({ prompt })}
            refs={refs}
            errors={errs('prompt')}
            readOnly={readOnly}
          />
        )}
        {node.type === 'approval' && (
          <p className="hint">
            The run waits here (status WAITING) until someone approves or rejects it.
          </p>
        )}
        <Field
          label="Max attempts"
          hint="Retries of this step on throttling or outages (1–10)."
          errors={errs('maxAttempts')}
        >
          <input
            type="number"
            min={1}
            max={10}
            value={node.maxAttempts ?? ''}
            onChange={(e) =>
              onChange({ maxAttempts: e.target.value ? Number(e.target.value) : undefined })
            }
          />
        </Field>
        {nodeIds.length > 1 && (
          <fieldset className="fieldset">
            <legend>Runs after</legend>
            <ul className="check-list">
              {nodeIds
                .filter((id) => id !== node.id)
                .map((id) => {
                  const checked = parents.has(id);
                  const blocked = !checked && wouldCycle(id, node.id, plain);
                  return (
                    <li key={id}>
                      <label className="check">
                        <input
                          type="checkbox"
                          checked={checked}
                          disabled={blocked}
                          onChange={(e) => props.onToggleParent(id, e.target.checked)}
                          data-testid={`parent-${id}`}
                        />
                        <span className="mono">{id}</span>
                        {blocked && <span className="muted"> (would make a cycle)</span>}
                      </label>
                    </li>
                  );
                })}
            </ul>
          </fieldset>
        )}
        {upstream.length > 0 && !closesLoop && (
          <Field
            label="Loop back to"
            hint="Repeat the steps from there to here while a condition holds, a bounded number of times."
          >
            <select
              value=""
              onChange={(e) => e.target.value && props.onLoopBack(e.target.value)}
              data-testid="loop-back"
            >
              <option value="">Choose an upstream step…</option>
              {upstream.map((id) => (
                <option key={id} value={id}>
                  {id}
                </option>
              ))}
            </select>
          </Field>
        )}
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <ConfirmButton
            onConfirm={props.onDelete}
            confirmLabel="Remove this node?"
            data-testid="node-delete"
          >
            Remove node
          </ConfirmButton>
        </div>
      )}
    </section>
  );
}

function ToolFields({
  node,
  onChange,
  toolErrors,
  withErrors,
}: {
  node: WorkflowNode;
  onChange: (p: Partial<WorkflowNode>) => void;
  toolErrors: string[];
  withErrors: string[];
}) {
  const [text, setText] = useState(() => (node.with ? JSON.stringify(node.with, null, 2) : ''));
  const [bad, setBad] = useState(false);
  return (
    <>
      <Field
        label="Tool"
        hint="e.g. github.comment, jira.comment, http.request"
        errors={toolErrors}
      >
        <input
          value={node.tool ?? ''}
          onChange={(e) => onChange({ tool: e.target.value || undefined })}
          className="mono"
        />
      </Field>
      <Field
        label="Arguments (JSON)"
        errors={[...(bad ? ['not a JSON object'] : []), ...withErrors]}
      >
        <textarea
          rows={5}
          className="mono"
          value={text}
          onChange={(e) => {
            setText(e.target.value);
            try {
              const parsed = e.target.value.trim() ? JSON.parse(e.target.value) : undefined;
              const ok =
                parsed === undefined ||
                (typeof parsed === 'object' && parsed !== null && !Array.isArray(parsed));
              setBad(!ok);
              if (ok) onChange({ with: parsed });
            } catch {
              setBad(true);
            }
          }}
        />
      </Field>
    </>
  );
}
