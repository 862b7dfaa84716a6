import { ReactFlowProvider } from '@xyflow/react';
import { useState } from 'react';
import { ApiError } from '../../api/errors';
import type { Agent, Workflow, WorkflowCreate } from '../../api/types';
import { useWorkflowEditor } from '../../hooks/useWorkflowEditor';
import { ErrorBanner } from '../ErrorBanner';
import { AddNodeBar } from './AddNodeBar';
import { EdgeInspector } from './EdgeInspector';
import { EditorCanvas } from './EditorCanvas';
import { InputsEditor } from './InputsEditor';
import { IssueSummary } from './IssueSummary';
import { MetaFields } from './MetaFields';
import { NodeInspector } from './NodeInspector';

export interface WorkflowEditorProps {
  workflow?: Workflow;
  agents: readonly Agent[];
  readOnly: boolean;
  /** POST (new) or PATCH (new version); rejects with ApiError on validation failure. */
  onSave: (body: WorkflowCreate) => Promise<Workflow>;
  /** Opens the run form; only offered when saved and clean. */
  onRun?: () => void;
}

export function WorkflowEditor(props: WorkflowEditorProps) {
  return (
    <ReactFlowProvider>
      <EditorBody {...props} />
    </ReactFlowProvider>
  );
}

function EditorBody({ workflow, agents, readOnly, onSave, onRun }: WorkflowEditorProps) {
  const editor = useWorkflowEditor(workflow);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const creating = !workflow;
  const node = editor.selectedNode;
  const edge = editor.selectedEdge;
  const nodeIds = editor.nodes.map((n) => n.id);

  const save = async () => {
    const body = editor.spec();
    const sentIds = body.nodes.map((n) => n.id);
    setBusy(true);
    setError(null);
    setSavedVersion(null);
    try {
      const saved = await onSave(body);
      editor.clearIssues();
      editor.markSaved(body, saved.slug);
      setSavedVersion(saved.version);
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0)
        editor.showIssues(err.details, sentIds);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  return (
    <div className="editor">
      <div className="editor-bar">
        <MetaFields
          meta={editor.meta}
          onChange={editor.setMeta}
          creating={creating}
          errors={editor.issues.byField}
          readOnly={readOnly}
        />
        <div className="editor-actions">
          {editor.dirty && !readOnly && (
            <span className="dirty-pill" role="status">
              Unsaved changes
            </span>
          )}
          {savedVersion !== null && !editor.dirty && (
            <span className="saved-pill" role="status" data-testid="workflow-saved">
              Saved v{savedVersion}
            </span>
          )}
          {!readOnly && (
            <button
              type="button"
              className="btn btn-primary"
              onClick={save}
              disabled={busy || (!editor.dirty && !creating)}
              data-testid="workflow-save"
            >
              {busy ? 'Saving…' : creating ? 'Create workflow' : 'Save new version'}
            </button>
          )}
          {!readOnly && onRun && (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={onRun}
              disabled={creating || editor.dirty}
              title={editor.dirty ? 'Save first: a run uses the saved version' : undefined}
              data-testid="workflow-run"
            >
              Run…
            </button>
          )}
        </div>
      </div>
      <ErrorBanner error={error} title="Could not save" />
      <IssueSummary issues={editor.issues} onSelectNode={(id) => editor.select(id)} />
      {editor.notice && (
        <div className="alert alert-warn" role="status">
          {editor.notice}
        </div>
      )}
      {!readOnly && <AddNodeBar agents={agents} after={node?.id ?? null} onAdd={editor.addNode} />}
      <div className="editor-main">
        <EditorCanvas editor={editor} agents={agents} readOnly={readOnly} />
        <aside className="editor-side" aria-label="Inspector">
          {node ? (
            <NodeInspector
              key={node.id}
              node={{ ...node.data.node, id: node.id }}
              nodeIds={nodeIds}
              edges={editor.edges}
              inputs={editor.inputs}
              agents={agents}
              issues={editor.issues.byNode[node.id] ?? []}
              readOnly={readOnly}
              onChange={(patch) => editor.updateNode(node.id, patch)}
              onRename={(to) => editor.rename(node.id, to)}
              onToggleParent={(parent, on) => editor.toggleParent(parent, node.id, on)}
              onDelete={() => editor.removeNode(node.id)}
              onClose={() => editor.select(null)}
            />
          ) : edge ? (
            <EdgeInspector
              edge={edge}
              issues={editor.issues.byEdge[editor.edges.indexOf(edge)] ?? []}
              readOnly={readOnly}
              onChange={(when) => editor.setEdgeWhen(edge.id, when)}
              onDelete={() => editor.removeEdge(edge.id)}
              onClose={() => editor.select(null, 'edge')}
            />
          ) : (
            <div className="card">
              <InputsEditor
                value={editor.inputs}
                onChange={editor.setInputs}
                errors={editor.issues.byInput}
                readOnly={readOnly}
              />
              <h3>Steps</h3>
              {nodeIds.length === 0 ? (
                <p className="muted">No steps yet.</p>
              ) : (
                <ul className="step-pick">
                  {editor.nodes.map((n) => (
                    <li key={n.id}>
                      <button
                        type="button"
                        className={`link-button${editor.issues.byNode[n.id] ? ' text-danger' : ''}`}
                        onClick={() => editor.select(n.id)}
                        data-testid={`select-node-${n.id}`}
                      >
                        {n.id}
                      </button>{' '}
                      <span className="muted">
                        {n.data.node.type === 'agent'
                          ? (n.data.node.agent ?? 'no agent')
                          : n.data.node.type}
                      </span>
                      {editor.issues.byNode[n.id] && (
                        <span className="text-danger">
                          {' '}
                          · {editor.issues.byNode[n.id].length} problem(s)
                        </span>
                      )}
                    </li>
                  ))}
                </ul>
              )}
            </div>
          )}
        </aside>
      </div>
    </div>
  );
}
