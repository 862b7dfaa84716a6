import { ReactFlowProvider } from '@xyflow/react';
import { useEffect, useMemo, useRef, useState } from 'react';
import { ApiError } from '../../api/errors';
import type { Agent, Workflow, WorkflowCreate } from '../../api/types';
import { conditionPaths } from '../../dag/conditions';
import { forwardEdges } from '../../dag/workflowFlow';
import { useWorkflowEditor } from '../../hooks/useWorkflowEditor';
import { useLeaveGuard } from '../../hooks/useLeaveGuard';
import { ErrorBanner } from '../ErrorBanner';
import { EdgeInspector } from './EdgeInspector';
import { EditorCanvas } from './EditorCanvas';
import { InputsEditor } from './InputsEditor';
import { IssueSummary } from './IssueSummary';
import { MetaFields } from './MetaFields';
import { NodeInspector } from './NodeInspector';
import { Palette, type WorkflowChoice } from './Palette';

export interface WorkflowEditorProps {
  workflow?: Workflow;
  agents: readonly Agent[];
  /** The tenant's workflows (for sub-workflow and map nodes); undefined while unknown. */
  workflows?: readonly WorkflowChoice[];
  readOnly: boolean;
  /** POST (new) or PATCH (new version); rejects with ApiError on validation failure. */
  onSave: (body: WorkflowCreate) => Promise<Workflow>;
  /** Opens the run form; only offered when saved and clean. */
  onRun?: () => void;
  /** Start a batch: one run per input of a file. */
  onBatch?: () => void;
}

export function WorkflowEditor(props: WorkflowEditorProps) {
  return (
    <ReactFlowProvider>
      <EditorBody {...props} />
    </ReactFlowProvider>
  );
}

function EditorBody({
  workflow,
  agents,
  workflows,
  readOnly,
  onSave,
  onRun,
  onBatch,
}: WorkflowEditorProps) {
  const live = useMemo(
    () => ({
      agents: new Set(agents.map((a) => a.slug)),
      workflows: workflows ? new Set(workflows.map((w) => w.slug)) : undefined,
    }),
    [agents, workflows],
  );
  const editor = useWorkflowEditor(workflow, live);
  const children = (workflows ?? []).filter((w) => w.slug !== workflow?.slug);
  useLeaveGuard(editor.dirty && !readOnly);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<unknown>(null);
  const [savedVersion, setSavedVersion] = useState<number | null>(null);
  const creating = !workflow;
  const node = editor.selectedNode;
  const edge = editor.selectedEdge;
  const nodeIds = editor.nodes.map((n) => n.id);

  const save = async () => {
    const body = editor.spec();
    setBusy(true);
    setError(null);
    setSavedVersion(null);
    try {
      const saved = await onSave(body);
      editor.clearIssues();
      editor.markSaved(body, saved.slug);
      setSavedVersion(saved.version);
    } catch (err) {
      if (err instanceof ApiError && err.details.length > 0) editor.showIssues(err.details, body);
      else setError(err);
    } finally {
      setBusy(false);
    }
  };

  const liveCount = problemCount(editor.issues);
  // Ctrl/Cmd+Z undoes, Shift+Ctrl/Cmd+Z and Ctrl+Y redo: every graph edit, typing included.
  const root = useRef<HTMLDivElement>(null);
  const history = useRef({ undo: editor.undo, redo: editor.redo });
  history.current = { undo: editor.undo, redo: editor.redo };
  useEffect(() => {
    const el = root.current;
    if (!el || readOnly) return;
    const onKeyDown = (e: KeyboardEvent) => {
      if (!(e.ctrlKey || e.metaKey)) return;
      const key = e.key.toLowerCase();
      if (key === 'z' && !e.shiftKey) history.current.undo();
      else if ((key === 'z' && e.shiftKey) || key === 'y') history.current.redo();
      else return;
      e.preventDefault();
    };
    el.addEventListener('keydown', onKeyDown);
    return () => el.removeEventListener('keydown', onKeyDown);
  }, [readOnly]);

  return (
    <div className="editor" ref={root}>
      <div className="editor-bar">
        <MetaFields
          meta={editor.meta}
          onChange={editor.setMeta}
          creating={creating}
          errors={editor.issues.byField}
          readOnly={readOnly}
        />
        <div className="editor-actions">
          {!readOnly && (
            <>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={editor.undo}
                disabled={!editor.canUndo}
                aria-keyshortcuts="Control+Z Meta+Z"
                data-testid="editor-undo"
              >
                Undo
              </button>
              <button
                type="button"
                className="btn btn-ghost btn-sm"
                onClick={editor.redo}
                disabled={!editor.canRedo}
                aria-keyshortcuts="Control+Shift+Z Meta+Shift+Z Control+Y"
                data-testid="editor-redo"
              >
                Redo
              </button>
            </>
          )}
          {liveCount > 0 && (
            <span className="problem-pill" data-testid="live-problems">
              {liveCount} problem{liveCount === 1 ? '' : 's'}
            </span>
          )}
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
          {!readOnly && onBatch && (
            <button
              type="button"
              className="btn btn-secondary"
              onClick={onBatch}
              disabled={creating || editor.dirty}
              title={editor.dirty ? 'Save first: a batch uses the saved version' : undefined}
              data-testid="workflow-batch"
            >
              Batch…
            </button>
          )}
        </div>
      </div>
      <ErrorBanner error={error} title="Could not save" />
      <IssueSummary issues={editor.saveIssues} onSelectNode={(id) => editor.select(id)} />
      {editor.notice && (
        <div className="alert alert-warn" role="status">
          {editor.notice}
        </div>
      )}
      {!readOnly && (
        <Palette
          agents={agents}
          workflows={children}
          after={node?.id ?? null}
          onAdd={editor.addNode}
        />
      )}
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
              workflows={children}
              issues={editor.issues.byNode[node.id] ?? []}
              readOnly={readOnly}
              onChange={(patch) => editor.updateNode(node.id, patch)}
              onRename={(to) => editor.rename(node.id, to)}
              onToggleParent={(parent, on) => editor.toggleParent(parent, node.id, on)}
              onLoopBack={(target) => editor.connect({ source: node.id, target })}
              onDelete={() => editor.removeNode(node.id)}
              onClose={() => editor.select(null)}
            />
          ) : edge ? (
            <EdgeInspector
              key={edge.id}
              edge={edge}
              paths={conditionPaths(
                edge.source,
                editor.inputs.map((f) => f.name),
                forwardEdges(editor.edges),
              )}
              issues={editor.issues.byEdge[editor.edges.indexOf(edge)] ?? []}
              readOnly={readOnly}
              onChange={(patch) => editor.updateEdge(edge.id, patch)}
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
              {editor.edges.length > 0 && (
                <>
                  <h3>Edges</h3>
                  <ul className="step-pick" data-testid="edge-list">
                    {editor.edges.map((e, i) => (
                      <li key={e.id}>
                        <button
                          type="button"
                          className={`link-button${editor.issues.byEdge[i] ? ' text-danger' : ''}`}
                          onClick={() => editor.select(e.id, 'edge')}
                          data-testid={`select-edge-${e.source}-${e.target}`}
                        >
                          {e.source} → {e.target}
                        </button>
                        {e.label && <span className="muted"> {e.label}</span>}
                      </li>
                    ))}
                  </ul>
                </>
              )}
            </div>
          )}
        </aside>
      </div>
    </div>
  );
}

function problemCount(issues: {
  byNode: Record<string, unknown[]>;
  byEdge: Record<number, unknown[]>;
  byInput: Record<number, unknown[]>;
  general: unknown[];
}): number {
  const sum = (r: Record<string | number, unknown[]>) =>
    Object.values(r).reduce((n, list) => n + list.length, 0);
  // Edge problems are also in `general` (mapIssues lists them there for the summary).
  return sum(issues.byNode) + sum(issues.byInput) + issues.general.length;
}
