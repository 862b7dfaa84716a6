/** The inspector fields of router, sub-workflow and map nodes (agent and tool ones live beside). */
import { useId } from 'react';
import type { Agent, WorkflowNode } from '../../api/types';
import { Field } from '../Field';
import type { WorkflowChoice } from './Palette';

type Change = (patch: Partial<WorkflowNode>) => void;
type Errs = (field: string) => string[];

const num = (text: string) => (text.trim() === '' ? undefined : Number(text));

export function AgentSelect({
  node,
  agents,
  onChange,
  errors,
}: {
  node: WorkflowNode;
  agents: readonly Agent[];
  onChange: Change;
  errors: string[];
}) {
  return (
    <Field label="Agent" errors={errors}>
      <SlugSelect
        value={node.agent}
        choices={agents}
        placeholder="Choose an agent…"
        testId="node-agent"
        onChange={(agent) => onChange({ agent })}
      />
    </Field>
  );
}

/** The answers a router's model must choose from; edges test `steps.<id>.output` against them. */
export function RoutesFields({
  node,
  onChange,
  errs,
}: {
  node: WorkflowNode;
  onChange: Change;
  errs: Errs;
}) {
  const routes = node.routes ?? [];
  const set = (next: string[]) => onChange({ routes: next });
  return (
    <fieldset className="fieldset" data-testid="router-routes">
      <legend>Routes</legend>
      <p className="hint">
        The model answers one of these; test it on an edge with steps.{node.id}.output.
      </p>
      <ul className="plain-list">
        {routes.map((r, i) => (
          <li key={i} className="row-inline">
            <Field label={`Route ${i + 1}`} errors={errs(`routes[${i}]`)}>
              <input
                value={r}
                className="mono"
                onChange={(e) => set(routes.map((x, j) => (j === i ? e.target.value : x)))}
                data-testid={`route-${i}`}
              />
            </Field>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => set(routes.filter((_, j) => j !== i))}
              aria-label={`Remove route ${r || i + 1}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      {errs('routes').length > 0 && (
        <p className="field-error" role="alert">
          {errs('routes').join(' · ')}
        </p>
      )}
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        onClick={() => set([...routes, `route${routes.length + 1}`])}
        data-testid="route-add"
      >
        Add route
      </button>
    </fieldset>
  );
}

/** Which workflow a sub-workflow or map node runs, and at which version. */
export function ChildWorkflowFields({
  node,
  workflows,
  onChange,
  errs,
}: {
  node: WorkflowNode;
  workflows: readonly WorkflowChoice[];
  onChange: Change;
  errs: Errs;
}) {
  return (
    <>
      <Field
        label="Workflow"
        errors={errs('workflow')}
        hint="Each child run is its own run, linked to this one."
      >
        <SlugSelect
          value={node.workflow}
          choices={workflows}
          placeholder="Choose a workflow…"
          testId="node-workflow"
          onChange={(workflow) => onChange({ workflow })}
        />
      </Field>
      <Field label="Version" errors={errs('version')} hint="Empty: its published version.">
        <input
          type="number"
          min={1}
          value={node.version ?? ''}
          onChange={(e) => onChange({ version: num(e.target.value) })}
          data-testid="node-version"
        />
      </Field>
    </>
  );
}

/** A map node's list, item name and concurrency. */
export function MapFields({
  node,
  paths,
  onChange,
  errs,
}: {
  node: WorkflowNode;
  /** Upstream outputs offered as the items path. */
  paths: readonly string[];
  onChange: Change;
  errs: Errs;
}) {
  const listId = useId();
  return (
    <>
      <Field
        label="Items path"
        errors={errs('items')}
        hint="A list in the run's data, e.g. steps.split.output.files."
      >
        <input
          value={node.items ?? ''}
          list={listId}
          className="mono"
          onChange={(e) => onChange({ items: e.target.value || undefined })}
          data-testid="node-items"
        />
      </Field>
      <datalist id={listId}>
        {paths.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      <Field
        label="Item field"
        errors={errs('as')}
        hint="The child run's input field each item is passed as."
      >
        <input
          value={node.as ?? ''}
          className="mono"
          onChange={(e) => onChange({ as: e.target.value || undefined })}
          data-testid="node-as"
        />
      </Field>
      <Field
        label="Max concurrency"
        errors={errs('maxConcurrency')}
        hint="Child runs in flight at once (1–50)."
      >
        <input
          type="number"
          min={1}
          max={50}
          value={node.maxConcurrency ?? ''}
          onChange={(e) => onChange({ maxConcurrency: num(e.target.value) })}
          data-testid="node-max-concurrency"
        />
      </Field>
    </>
  );
}

/** The child run's input: one templated string per field (`{{steps.fetch.output}}`). */
export function InputMappingFields({
  node,
  onChange,
  errs,
}: {
  node: WorkflowNode;
  onChange: Change;
  errs: Errs;
}) {
  const entries = Object.entries(node.input ?? {});
  const set = (next: [string, unknown][]) => onChange({ input: Object.fromEntries(next) });
  return (
    <fieldset className="fieldset" data-testid="input-mapping">
      <legend>Child input</legend>
      <ul className="plain-list">
        {entries.map(([key, value], i) => (
          <li key={i} className="row-inline">
            <Field label="Field">
              <input
                value={key}
                className="mono"
                onChange={(e) => set(entries.map((x, j) => (j === i ? [e.target.value, x[1]] : x)))}
                data-testid={`mapping-key-${i}`}
              />
            </Field>
            <Field label="Value" errors={errs(`input.${key}`)}>
              <input
                value={typeof value === 'string' ? value : JSON.stringify(value)}
                className="mono"
                onChange={(e) => set(entries.map((x, j) => (j === i ? [x[0], e.target.value] : x)))}
                data-testid={`mapping-value-${i}`}
              />
            </Field>
            <button
              type="button"
              className="btn btn-ghost btn-sm"
              onClick={() => set(entries.filter((_, j) => j !== i))}
              aria-label={`Remove input field ${key || i + 1}`}
            >
              Remove
            </button>
          </li>
        ))}
      </ul>
      <button
        type="button"
        className="btn btn-secondary btn-sm"
        onClick={() => set([...entries, [uniqueKey(entries.map((e) => e[0])), '']])}
        data-testid="mapping-add"
      >
        Add input field
      </button>
    </fieldset>
  );
}

function uniqueKey(taken: readonly string[]): string {
  for (let i = 1; ; i++) if (!taken.includes(`field${i}`)) return `field${i}`;
}

/**
 * A slug from a list; a saved slug no longer on the list stays selectable, marked unknown. `Field`'s
 * label and descriptions reach the select through the rest props.
 */
function SlugSelect({
  value,
  choices,
  placeholder,
  testId,
  onChange,
  ...wiring
}: {
  value: string | undefined;
  choices: readonly { slug: string; name: string }[];
  placeholder: string;
  testId: string;
  onChange: (slug: string | undefined) => void;
  /** Set by `Field`: the label's id and the hint and error descriptions. */
  id?: string;
  'aria-describedby'?: string;
  'aria-invalid'?: boolean;
}) {
  return (
    <select
      {...wiring}
      value={value ?? ''}
      onChange={(e) => onChange(e.target.value || undefined)}
      data-testid={testId}
    >
      <option value="">{placeholder}</option>
      {value && !choices.some((c) => c.slug === value) && (
        <option value={value}>{value} (unknown)</option>
      )}
      {choices.map((c) => (
        <option key={c.slug} value={c.slug}>
          {c.name} ({c.slug})
        </option>
      ))}
    </select>
  );
}
