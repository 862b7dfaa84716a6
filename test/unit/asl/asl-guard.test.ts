/**
 * Guard: every ASL file is one the manifest names, every Task state is bound to a manifest
 * function, and no file uses JSONata or Assign (aws-local-stepfunctions ignores or rejects them,
 * so they would behave differently locally and in AWS).
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { functions, functionArnPlaceholder, stateMachines } from '../../../infra/manifest';
import { taskStates } from '../../../infra/local/local-executions';

const dir = fileURLToPath(new URL('../../../statemachines', import.meta.url));
const files = readdirSync(dir).filter((f) => f.endsWith('.asl.json'));

function walk(node: unknown, visit: (key: string, value: unknown) => void): void {
  if (Array.isArray(node)) for (const n of node) walk(n, visit);
  else if (node && typeof node === 'object')
    for (const [k, v] of Object.entries(node)) {
      visit(k, v);
      walk(v, visit);
    }
}

test('every ASL file is declared by exactly one manifest state machine', () => {
  const declared = Object.values(stateMachines)
    .map((m) => m.asl)
    .sort();
  expect(files.sort()).toEqual(declared);
});

test('run-workflow: a prepared step runs again only where Lambda never ran it; else AgentStep takes over', () => {
  const { States } = JSON.parse(readFileSync(join(dir, stateMachines.runWorkflow.asl), 'utf8'));
  const prepared = States.PreparedAgentStep;
  const agent = States.AgentStep;
  // Only its first invocation may take the prepared call (ADR 186)
  expect(prepared.Parameters.Payload).toEqual({ ...agent.Parameters.Payload, prepared: true });
  expect(prepared.Retry.map((r: { ErrorEquals: string[] }) => r.ErrorEquals)).toEqual([
    ['Lambda.TooManyRequestsException'],
  ]);
  // Every error AgentStep retries goes back to it; anything else fails the step as AgentStep's do
  const retried = agent.Retry.flatMap((r: { ErrorEquals: string[] }) => r.ErrorEquals);
  expect([...prepared.Catch[0].ErrorEquals, 'Lambda.TooManyRequestsException'].sort()).toEqual(
    retried.sort(),
  );
  expect(prepared.Catch[0].Next).toBe('RetryPreparedStep');
  expect(prepared.Catch[1]).toEqual(agent.Catch[0]);
  expect(prepared.Next).toBe(agent.Next);
});

test('run-workflow: every failure ends in a state that settles the run FAILED with the reason', () => {
  const { States } = JSON.parse(readFileSync(join(dir, stateMachines.runWorkflow.asl), 'utf8'));
  // Top-level catches lead to Finalize (which settles FAILED from $.error) or SettleFailed.
  const targets = Object.values(States as Record<string, any>)
    .flatMap((s) => (s.Catch ?? []) as Array<{ Next: string; ResultPath: string }>)
    .map((c) => ({ next: c.Next, resultPath: c.ResultPath }));
  // The single top-level step (ADR 110) fails to StepFailed, which records it and plans; if that
  // fails too, StepFailureNotRecorded hands the step's own error to Finalize. A prepared step
  // (ADR 186) retries through RetryPreparedStep, a wait before AgentStep.
  for (const t of targets)
    expect([
      'Finalize',
      'SettleFailed',
      'RunFailed',
      'StepFailed',
      'StepFailureNotRecorded',
      'RetryPreparedStep',
    ]).toContain(t.next);
  expect(States.RetryPreparedStep).toMatchObject({ Type: 'Wait', Next: 'AgentStep' });
  expect(targets).toContainEqual({ next: 'Finalize', resultPath: '$.error' });
  for (const single of ['AgentStep', 'ToolStep', 'ChildStep'])
    expect(States[single].Catch[0]).toMatchObject({
      Next: 'StepFailed',
      ResultPath: '$.stepError',
    });
  expect(States.StepFailed.Parameters.Payload['error.$']).toBe('$.stepError');
  expect(States.StepFailed.Catch[0]).toMatchObject({ Next: 'StepFailureNotRecorded' });
  expect(States.StepFailureNotRecorded).toMatchObject({
    Type: 'Pass',
    InputPath: '$.stepError',
    ResultPath: '$.error',
    Next: 'Finalize',
  });
  expect(States.RunReadySteps.Catch[0]).toMatchObject({ Next: 'Finalize', ResultPath: '$.error' });
  expect(States.Finalize.Catch[0]).toMatchObject({ Next: 'SettleFailed', ResultPath: '$.error' });
  expect(States.SettleFailed.Parameters.Payload['error.$']).toBe('$.error');
});

describe.each(Object.entries(stateMachines))('%s', (_name, machine) => {
  const text = readFileSync(join(dir, machine.asl), 'utf8');
  const definition = JSON.parse(text);

  test('uses JSONPath only: no JSONata, no Assign, no QueryLanguage switch', () => {
    const offenders: string[] = [];
    walk(definition, (k, v) => {
      if (
        k === 'Assign' ||
        k === 'Arguments' ||
        k === 'Output' ||
        (k === 'QueryLanguage' && v !== 'JSONPath')
      )
        offenders.push(k);
      if (typeof v === 'string' && /\{%.*%\}/s.test(v))
        offenders.push(`JSONata expression in ${k}`);
    });
    expect(offenders).toEqual([]);
  });

  test('every Task state is bound to a manifest function, and every binding is a Task', () => {
    const tasks = taskStates(definition).sort();
    expect(tasks).toEqual(Object.keys(machine.tasks).sort());
    for (const fn of Object.values(machine.tasks)) expect(functions).toHaveProperty(fn);
  });

  test('each Task invokes its bound function through its ARN placeholder', () => {
    const seen: Record<string, string> = {};
    const collect = (states: Record<string, any>) => {
      for (const [state, def] of Object.entries(states)) {
        if (def.Type === 'Task') seen[state] = def.Parameters?.FunctionName;
        if (def.Type === 'Map') collect((def.ItemProcessor ?? def.Iterator).States);
        if (def.Type === 'Parallel') for (const b of def.Branches) collect(b.States);
      }
    };
    collect(definition.States);
    for (const [state, fn] of Object.entries(machine.tasks)) {
      expect({ state, arn: seen[state] }).toEqual({
        state,
        arn: `\${${functionArnPlaceholder(fn as never)}}`,
      });
    }
  });

  test('every state that can fail (Task, Map, Parallel) has a Catch on States.ALL to a state of its scope', () => {
    const uncaught: string[] = [];
    const check = (states: Record<string, any>, scope: string) => {
      for (const [state, def] of Object.entries(states)) {
        if (['Task', 'Map', 'Parallel'].includes(def.Type)) {
          const catches: Array<{ ErrorEquals: string[]; Next: string }> = def.Catch ?? [];
          const all = catches.find((c) => c.ErrorEquals.includes('States.ALL'));
          if (!all) uncaught.push(`${scope}${state}: no Catch on States.ALL`);
          for (const c of catches)
            if (!states[c.Next]) uncaught.push(`${scope}${state}: Catch goes to missing ${c.Next}`);
        }
        if (def.Type === 'Map') check((def.ItemProcessor ?? def.Iterator).States, `${state}/`);
        if (def.Type === 'Parallel')
          for (const [i, b] of def.Branches.entries()) check(b.States, `${state}[${i}]/`);
      }
    };
    check(definition.States, '');
    expect(uncaught).toEqual([]);
  });

  test('no Retry block retries BudgetExceeded, ProviderNotConfigured or validation errors', () => {
    const retried: string[] = [];
    walk(definition, (k, v) => {
      if (k === 'Retry')
        for (const r of v as { ErrorEquals: string[] }[]) retried.push(...r.ErrorEquals);
    });
    expect(retried).not.toEqual(expect.arrayContaining(['BudgetExceeded']));
    expect(retried).not.toEqual(expect.arrayContaining(['ValidationError']));
    expect(retried).not.toEqual(expect.arrayContaining(['ProviderNotConfigured']));
  });
});
