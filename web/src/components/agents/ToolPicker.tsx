import {
  AGENT_TOOL_NAMES,
  DEFAULT_MAX_TURNS,
  MAX_TURNS_LIMIT,
  agentToolDescription,
  isAgentToolName,
} from '../../../../shared/tools/agent-tools/catalog';
import { Field } from '../Field';

/**
 * The tools the agent's model may call (an allow-list, ADR 130) as checkboxes, and its maxTurns.
 * A name the platform does not know (saved before tools were checked) stays listed to be removed.
 */
export function ToolPicker({
  value,
  onChange,
  maxTurns,
  onMaxTurns,
  errors,
  maxTurnsErrors,
}: {
  value: readonly string[];
  onChange: (tools: string[]) => void;
  maxTurns: string;
  onMaxTurns: (v: string) => void;
  errors: readonly string[];
  maxTurnsErrors?: readonly string[];
}) {
  const toggle = (name: string, on: boolean) =>
    onChange(on ? [...value, name] : value.filter((x) => x !== name));
  const unknown = value.filter((n) => !isAgentToolName(n));
  return (
    <fieldset className="fieldset" data-testid="agent-tools">
      <legend>Tools</legend>
      <p className="hint">
        The model may call these while it works; each call shows in the run’s step panel.
        knowledge.search reads only this agent’s knowledge bases.
      </p>
      <ul className="check-list">
        {[...AGENT_TOOL_NAMES, ...unknown].map((name) => (
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
                <span className="muted small">
                  {isAgentToolName(name) ? agentToolDescription(name) : 'unknown tool: remove it'}
                </span>
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
