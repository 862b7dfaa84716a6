import {
  AGENT_TOOL_NAMES,
  DEFAULT_MAX_TURNS,
  MAX_TURNS_LIMIT,
  WORKFLOW_TOOL_PREFIX,
  agentToolDescription,
  isAgentToolName,
} from '../../../../shared/tools/agent-tools/catalog';
import { Field } from '../Field';

/** A tenant workflow offered as a `workflow:<slug>` tool. */
export interface WorkflowChoice {
  slug: string;
  name: string;
  description?: string;
}

/**
 * The tools the agent's model may call (an allow-list, ADR 130) as checkboxes, and its maxTurns:
 * the built-in tools, then each of the tenant's workflows as `workflow:<slug>` (ADR 162). A saved
 * name the platform does not know, or a workflow since deleted, stays listed to be removed.
 */
export function ToolPicker({
  value,
  onChange,
  maxTurns,
  onMaxTurns,
  errors,
  maxTurnsErrors,
  workflows,
}: {
  value: readonly string[];
  onChange: (tools: string[]) => void;
  maxTurns: string;
  onMaxTurns: (v: string) => void;
  errors: readonly string[];
  maxTurnsErrors?: readonly string[];
  /** The tenant's workflows (undefined while loading). */
  workflows?: readonly WorkflowChoice[];
}) {
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...value, name] : value.filter((x) => x !== name));
  const offered = new Map<string, WorkflowChoice>(
    (workflows ?? []).map((w) => [`${WORKFLOW_TOOL_PREFIX}${w.slug}`, w]),
  );
  const unknown = value.filter((n) => !isAgentToolName(n) && !offered.has(n));
  const describe = (name: string) => {
    if (isAgentToolName(name)) return agentToolDescription(name);
    const wf = offered.get(name);
    if (wf) return `Runs the workflow “${wf.name}”${wf.description ? `: ${wf.description}` : ''}`;
    if (name.startsWith(WORKFLOW_TOOL_PREFIX))
      return workflows ? 'no such workflow: remove it' : 'a workflow';
    return 'unknown tool: remove it';
  };
  return (
    <fieldset className="fieldset" data-testid="agent-tools">
      <legend>Tools</legend>
      <p className="hint">
        The model may call these while it works; each call shows in the run’s step panel.
        knowledge.search reads only this agent’s knowledge bases; a workflow tool runs that workflow
        as a child run and returns its output.
      </p>
      <ul className="check-list">
        {[...AGENT_TOOL_NAMES, ...offered.keys(), ...unknown].map((name) => (
          <li key={name}>
            <label className="check">
              <input
                type="checkbox"
                checked={value.includes(name)}
                onChange={(e) => toggle(name, e.target.checked)}
                data-testid={`agent-tool-${name}`}
              />
              <span>
                <span className="mono">{name}</span>{' '}
                <span className="muted small">{describe(name)}</span>
              </span>
            </label>
          </li>
        ))}
      </ul>
      {errors.length > 0 && <p className="field-error">{errors.join(' · ')}</p>}
      {value.length > 0 && (
        <Field
          label="Max turns"
          hint={`Model turns before the step stops (1 to ${MAX_TURNS_LIMIT}; empty for ${DEFAULT_MAX_TURNS}).`}
          errors={maxTurnsErrors}
        >
          <input
            type="number"
            min={1}
            max={MAX_TURNS_LIMIT}
            step={1}
            value={maxTurns}
            onChange={(e) => onMaxTurns(e.target.value)}
            data-testid="agent-max-turns"
          />
        </Field>
      )}
    </fieldset>
  );
}
