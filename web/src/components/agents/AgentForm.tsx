import { useState, type FormEvent } from 'react';
import type { Agent, AgentCreate, FieldIssue, KnowledgeBase } from '../../api/types';
import { Field } from '../Field';
import { FallbackEditor } from './FallbackEditor';
import { isModelRef, ModelInput } from './ModelInput';
import { ToolPicker, type WorkflowChoice } from './ToolPicker';

export interface AgentDraft {
  slug: string;
  name: string;
  role: string;
  systemPrompt: string;
  model: string;
  fallbacks: string[];
  temperature: string;
  maxTokens: string;
  knowledgeBaseIds: string[];
  tools: string[];
  maxTurns: string;
}

export function draftOf(agent?: Agent): AgentDraft {
  return {
    slug: agent?.slug ?? '',
    name: agent?.name ?? '',
    role: agent?.role ?? '',
    systemPrompt: agent?.systemPrompt ?? '',
    model: agent?.model ?? 'simulator:echo',
    fallbacks: [...(agent?.fallbacks ?? [])],
    temperature: agent?.parameters?.temperature?.toString() ?? '',
    maxTokens: agent?.parameters?.maxTokens?.toString() ?? '',
    knowledgeBaseIds: [...(agent?.knowledgeBaseIds ?? [])],
    tools: [...(agent?.tools ?? [])],
    maxTurns: agent?.maxTurns?.toString() ?? '',
  };
}

export function bodyOf(d: AgentDraft): AgentCreate {
  const parameters: AgentCreate['parameters'] = {};
  if (d.temperature.trim() !== '') parameters.temperature = Number(d.temperature);
  if (d.maxTokens.trim() !== '') parameters.maxTokens = Number(d.maxTokens);
  return {
    slug: d.slug.trim(),
    name: d.name.trim(),
    role: d.role.trim(),
    systemPrompt: d.systemPrompt,
    model: d.model.trim(),
    fallbacks: d.fallbacks.map((f) => f.trim()).filter(Boolean),
    parameters,
    // Always sent: an empty list detaches every base.
    knowledgeBaseIds: [...d.knowledgeBaseIds],
    // Always sent too: an empty list removes every tool.
    tools: [...d.tools],
    ...(d.maxTurns.trim() !== '' ? { maxTurns: Number(d.maxTurns) } : {}),
  };
}

/** API issue paths (`model`, `fallbacks[1]`, `parameters.temperature`) to the form's fields. */
function issuesByField(issues: readonly FieldIssue[]) {
  const fields: Record<string, string[]> = {};
  const fallbacks: Record<number, string[]> = {};
  for (const { path, message } of issues) {
    const fb = /^fallbacks\[(\d+)\]/.exec(path);
    if (fb) (fallbacks[Number(fb[1])] ??= []).push(message);
    else (fields[path.replace(/^parameters\./, '')] ??= []).push(message);
  }
  return { fields, fallbacks };
}

interface AgentFormProps {
  initial?: Agent;
  /** The tenant's knowledge bases to attach (undefined while loading or where the server has none). */
  knowledgeBases?: readonly KnowledgeBase[];
  /** The tenant's workflows, offered as `workflow:<slug>` tools (undefined while loading). */
  workflows?: readonly WorkflowChoice[];
  readOnly: boolean;
  issues: readonly FieldIssue[];
  busy: boolean;
  onSubmit: (draft: AgentDraft) => void;
}

export function AgentForm({
  initial,
  knowledgeBases,
  workflows,
  readOnly,
  issues,
  busy,
  onSubmit,
}: AgentFormProps) {
  const [d, setD] = useState<AgentDraft>(() => draftOf(initial));
  const set = <K extends keyof AgentDraft>(key: K, value: AgentDraft[K]) =>
    setD((prev) => ({ ...prev, [key]: value }));
  const { fields, fallbacks } = issuesByField(issues);
  const creating = !initial;
  const modelErr =
    d.model && !isModelRef(d.model) ? ['must be provider:model, e.g. openai:gpt-4.1-mini'] : [];

  const submit = (e: FormEvent) => {
    e.preventDefault();
    onSubmit(d);
  };

  return (
    <form
      className="card form"
      onSubmit={submit}
      aria-label={creating ? 'New agent' : `Edit agent ${initial.slug}`}
      data-testid="agent-form"
    >
      <fieldset className="fieldset-plain" disabled={readOnly}>
        <div className="grid-2">
          <Field label="Name" errors={fields.name}>
            <input
              value={d.name}
              onChange={(e) => set('name', e.target.value)}
              required
              maxLength={100}
              data-testid="agent-name"
            />
          </Field>
          <Field
            label="Slug"
            hint={
              creating
                ? 'Lowercase letters, digits and dashes; how workflows name this agent.'
                : 'Slugs never change.'
            }
            errors={fields.slug}
          >
            <input
              value={d.slug}
              onChange={(e) => set('slug', e.target.value.toLowerCase())}
              required
              readOnly={!creating}
              pattern="[a-z0-9]+(-[a-z0-9]+)*"
              maxLength={64}
              spellCheck={false}
              data-testid="agent-slug"
            />
          </Field>
          <Field
            label="Role"
            hint="A short description, e.g. “Code reviewer”."
            errors={fields.role}
          >
            <input
              value={d.role}
              onChange={(e) => set('role', e.target.value)}
              maxLength={100}
              data-testid="agent-role"
            />
          </Field>
          <Field
            label="Model"
            hint="provider:model"
            errors={[...(fields.model ?? []), ...modelErr]}
          >
            <ModelInput
              value={d.model}
              onChange={(v) => set('model', v)}
              required
              data-testid="agent-model"
            />
          </Field>
        </div>
        <Field label="System prompt" errors={fields.systemPrompt}>
          <textarea
            value={d.systemPrompt}
            onChange={(e) => set('systemPrompt', e.target.value)}
            rows={8}
            className="mono"
            data-testid="agent-system-prompt"
          />
        </Field>
        <FallbackEditor
          value={d.fallbacks}
          onChange={(v) => set('fallbacks', v)}
          errors={fallbacks}
          disabled={readOnly}
        />
        <KnowledgeBasePicker
          value={d.knowledgeBaseIds}
          onChange={(v) => set('knowledgeBaseIds', v)}
          bases={knowledgeBases}
          errors={Object.entries(fields)
            .filter(([k]) => k.startsWith('knowledgeBaseIds'))
            .flatMap(([, v]) => v)}
        />
        <ToolPicker
          value={d.tools}
          onChange={(v) => set('tools', v)}
          maxTurns={d.maxTurns}
          onMaxTurns={(v) => set('maxTurns', v)}
          errors={Object.entries(fields)
            .filter(([k]) => k.startsWith('tools'))
            .flatMap(([, v]) => v)}
          maxTurnsErrors={fields.maxTurns}
          workflows={workflows}
        />
        <fieldset className="fieldset">
          <legend>Parameters</legend>
          <div className="grid-2">
            <Field
              label="Temperature"
              hint="0 to 2; empty for the provider default."
              errors={fields.temperature}
            >
              <input
                type="number"
                min={0}
                max={2}
                step={0.1}
                value={d.temperature}
                onChange={(e) => set('temperature', e.target.value)}
                data-testid="agent-temperature"
              />
            </Field>
            <Field
              label="Max tokens"
              hint="Upper bound on the answer length."
              errors={fields.maxTokens}
            >
              <input
                type="number"
                min={1}
                max={200000}
                step={1}
                value={d.maxTokens}
                onChange={(e) => set('maxTokens', e.target.value)}
                data-testid="agent-max-tokens"
              />
            </Field>
          </div>
        </fieldset>
      </fieldset>
      {!readOnly && (
        <div className="form-actions">
          <button
            type="submit"
            className="btn btn-primary"
            disabled={busy}
            data-testid="agent-save"
          >
            {busy ? 'Saving…' : creating ? 'Create agent' : 'Save new version'}
          </button>
        </div>
      )}
    </form>
  );
}

const MAX_BASES = 10;

/** Checkboxes of the tenant's knowledge bases; ids the list does not know (deleted bases) stay visible so they can be detached. */
function KnowledgeBasePicker({
  value,
  onChange,
  bases,
  errors,
}: {
  value: readonly string[];
  onChange: (ids: string[]) => void;
  bases?: readonly KnowledgeBase[];
  errors: readonly string[];
}) {
  const known = new Set((bases ?? []).map((b) => b.id));
  const unknown = value.filter((id) => !known.has(id));
  const toggle = (id: string, on: boolean) =>
    onChange(on ? [...value, id] : value.filter((x) => x !== id));
  return (
    <fieldset className="fieldset" data-testid="agent-knowledge">
      <legend>Knowledge bases</legend>
      <p className="hint">
        Each step of this agent retrieves the top chunks for its prompt from these bases and cites
        them. Up to {MAX_BASES}.
      </p>
      {bases === undefined ? (
        <p className="muted small">{value.length ? `${value.length} attached.` : 'Loading…'}</p>
      ) : bases.length === 0 && unknown.length === 0 ? (
        <p className="muted small">No knowledge bases yet: create one on the Knowledge page.</p>
      ) : (
        <ul className="check-list kb-checks">
          {bases.map((b) => {
            const on = value.includes(b.id);
            return (
              <li key={b.id}>
                <label className="check">
                  <input
                    type="checkbox"
                    checked={on}
                    disabled={!on && value.length >= MAX_BASES}
                    onChange={(e) => toggle(b.id, e.target.checked)}
                    data-testid={`agent-kb-${b.id}`}
                  />
                  <span>
                    {b.name}{' '}
                    <span className="muted small">
                      {b.embeddingModel} · {b.documentCount} doc{b.documentCount === 1 ? '' : 's'}
                    </span>
                  </span>
                </label>
              </li>
            );
          })}
          {unknown.map((id) => (
            <li key={id}>
              <label className="check">
                <input
                  type="checkbox"
                  checked
                  onChange={() => toggle(id, false)}
                  data-testid={`agent-kb-${id}`}
                />
                <span className="muted">
                  unknown base <span className="mono small">{id}</span> (deleted?)
                </span>
              </label>
            </li>
          ))}
        </ul>
      )}
      {errors.length > 0 && <p className="field-error">{errors.join(' · ')}</p>}
    </fieldset>
  );
}
