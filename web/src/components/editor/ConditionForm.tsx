/**
 * An edge's `if` as a form: tests (path, operator, value) combined with all / any / not groups,
 * nested as deep as needed. The path field offers the run's input fields and upstream outputs.
 */
import { useId } from 'react';
import {
  blankTest,
  groupKind,
  isTest,
  makeTest,
  OPERATOR_LABEL,
  OPERATORS,
  operatorOf,
  valueText,
  type Condition,
  type Operator,
  type TestCondition,
} from '../../dag/conditions';
import { Field } from '../Field';

interface NodeProps {
  value: Condition;
  paths: readonly string[];
  listId: string;
  onChange: (next: Condition | undefined) => void;
  depth: number;
}

export function ConditionForm({
  value,
  paths,
  onChange,
  required,
}: {
  value: Condition | undefined;
  /** Offered paths: `steps.<id>.output` upstream and `input.<field>`. */
  paths: readonly string[];
  onChange: (next: Condition | undefined) => void;
  /** A loop edge needs one: it cannot be removed, only changed. */
  required?: boolean;
}) {
  const listId = useId();
  return (
    <div className="condition-form" data-testid="condition-form">
      <datalist id={listId}>
        {paths.map((p) => (
          <option key={p} value={p} />
        ))}
      </datalist>
      {value ? (
        <ConditionNode
          value={value}
          paths={paths}
          listId={listId}
          depth={0}
          onChange={(next) => onChange(next ?? (required ? blankTest(paths) : undefined))}
        />
      ) : (
        <button
          type="button"
          className="btn btn-secondary btn-sm"
          onClick={() => onChange(blankTest(paths))}
          data-testid="condition-add"
        >
          Add condition
        </button>
      )}
    </div>
  );
}

function ConditionNode(props: NodeProps) {
  return isTest(props.value) ? <TestRow {...props} value={props.value} /> : <GroupBox {...props} />;
}

function TestRow({ value, listId, onChange }: NodeProps & { value: TestCondition }) {
  const op = operatorOf(value);
  const text = valueText(value);
  const set = (path: string, nextOp: Operator, nextText: string) =>
    onChange(makeTest(path, nextOp, nextText));
  return (
    <div className="condition-test" data-testid="condition-test">
      <Field label="Path">
        <input
          value={value.path}
          list={listId}
          className="mono"
          onChange={(e) => set(e.target.value, op, text)}
          data-testid="condition-path"
        />
      </Field>
      <Field label="Operator">
        <select
          value={op}
          onChange={(e) => {
            const next = OPERATORS.find((o) => o === e.target.value) ?? 'equals';
            set(value.path, next, next === 'exists' ? 'true' : text);
          }}
          data-testid="condition-operator"
        >
          {OPERATORS.map((o) => (
            <option key={o} value={o}>
              {o} ({OPERATOR_LABEL[o]})
            </option>
          ))}
        </select>
      </Field>
      {op === 'exists' ? (
        <Field label="Value">
          <select
            value={text === 'false' ? 'false' : 'true'}
            onChange={(e) => set(value.path, op, e.target.value)}
            data-testid="condition-value"
          >
            <option value="true">is present</option>
            <option value="false">is missing</option>
          </select>
        </Field>
      ) : (
        <Field
          label="Value"
          hint={op === 'in' ? 'Comma-separated.' : op === 'matches' ? 'A pattern.' : undefined}
        >
          <input
            value={text}
            inputMode={['gt', 'gte', 'lt', 'lte'].includes(op) ? 'decimal' : undefined}
            onChange={(e) => set(value.path, op, e.target.value)}
            data-testid="condition-value"
          />
        </Field>
      )}
      <div className="condition-actions">
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => onChange({ all: [value, blankTest([value.path])] })}
        >
          And…
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => onChange({ any: [value, blankTest([value.path])] })}
        >
          Or…
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => onChange({ not: value })}
        >
          Negate
        </button>
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => onChange(undefined)}
          aria-label={`Remove the test on ${value.path}`}
        >
          Remove
        </button>
      </div>
    </div>
  );
}

const LEGEND = { all: 'All of', any: 'Any of', not: 'Not' } as const;

function GroupBox({ value, paths, listId, onChange, depth }: NodeProps) {
  const kind = groupKind(value);
  if (!kind) return null;
  const children =
    'all' in value ? value.all : 'any' in value ? value.any : 'not' in value ? [value.not] : [];
  const rebuild = (list: Condition[]): Condition | undefined => {
    if (list.length === 0) return undefined;
    if (kind === 'not') return { not: list[0] };
    return kind === 'all' ? { all: list } : { any: list };
  };
  const setChild = (i: number, next: Condition | undefined) =>
    onChange(
      rebuild(
        next === undefined
          ? children.filter((_, j) => j !== i)
          : children.map((c, j) => (j === i ? next : c)),
      ),
    );
  return (
    <fieldset className="fieldset condition-group" data-testid={`condition-group-${kind}`}>
      <legend>{LEGEND[kind]}</legend>
      {kind !== 'not' && (
        <Field label="Combine with">
          <select
            value={kind}
            onChange={(e) =>
              onChange(e.target.value === 'any' ? { any: children } : { all: children })
            }
            data-testid="condition-combine"
          >
            <option value="all">all (and)</option>
            <option value="any">any (or)</option>
          </select>
        </Field>
      )}
      {children.map((child, i) => (
        <ConditionNode
          key={`${depth}-${i}`}
          value={child}
          paths={paths}
          listId={listId}
          depth={depth + 1}
          onChange={(next) => setChild(i, next)}
        />
      ))}
      <div className="condition-actions">
        {kind !== 'not' && (
          <button
            type="button"
            className="btn btn-ghost btn-sm"
            onClick={() => onChange(rebuild([...children, blankTest(paths)]))}
            data-testid="condition-add-test"
          >
            Add test
          </button>
        )}
        <button
          type="button"
          className="btn btn-ghost btn-sm"
          onClick={() => onChange(children.length === 1 ? children[0] : undefined)}
          disabled={children.length !== 1}
        >
          Ungroup
        </button>
        <button type="button" className="btn btn-ghost btn-sm" onClick={() => onChange(undefined)}>
          Remove group
        </button>
      </div>
    </fieldset>
  );
}
