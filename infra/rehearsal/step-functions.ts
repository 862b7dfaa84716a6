/**
 * A Step Functions stand-in (JSON 1.0, `X-Amz-Target: AWSStepFunctions.<Operation>`):
 * StartExecution, DescribeExecution, StopExecution, on the template's state machines run by
 * aws-local-stepfunctions. Each Task's `lambda:invoke` FunctionName (resolved from the template's
 * substitutions) is invoked in the fleet, after checking the state machine role may invoke it.
 * When an execution FAILS, TIMES OUT or is ABORTED, the "Step Functions Execution Status Change"
 * event goes to the targets of every template rule whose pattern matches, as EventBridge does.
 */
import {
  ExecutionAbortedError,
  ExecutionTimeoutError,
  StateMachine,
  type StateMachineDefinition,
} from 'aws-local-stepfunctions';
import { prepareDistributedMaps, runDistributedMap } from '../local/distributed-map';
import { type Fleet, FunctionError } from './fleet';
import { isAllowed, type Principals } from './iam';
import { type JsonInput, ServiceError, startJsonProtocolServer } from './json-protocol';
import type { EventRule, StateMachineDef } from './template';

type Status = 'RUNNING' | 'SUCCEEDED' | 'FAILED' | 'TIMED_OUT' | 'ABORTED';

interface Execution {
  readonly arn: string;
  readonly machine: StateMachineDef;
  readonly name: string;
  readonly input: string;
  readonly started: number;
  /** The Task states it invoked, in order (Distributed Map items apart). */
  readonly tasks: readonly string[];
  status: Status;
  stopped?: number;
  output?: string;
  error?: string;
  cause?: string;
  abort: () => void;
  done: Promise<void>;
}

export interface LocalStepFunctions {
  readonly url: string;
  /** Every execution so far (the story asserts on their status). */
  readonly executions: ReadonlyMap<string, Readonly<Execution>>;
  /** Events delivered to rule targets, and the delivery errors. */
  readonly deliveries: Array<{ rule: string; status: string; error?: string }>;
  idle(): Promise<void>;
  close(): Promise<void>;
}

interface AslState {
  Type?: string;
  Resource?: string;
  Parameters?: { FunctionName?: string };
  ItemProcessor?: AslDefinition;
  Iterator?: AslDefinition;
  Branches?: AslDefinition[];
}
interface AslDefinition {
  States?: Record<string, AslState>;
}

/** Every Task state (nested ones included) → the Lambda ARN it invokes. */
export function taskTargets(def: AslDefinition): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, s] of Object.entries(def.States ?? {})) {
    if (s.Type === 'Task') {
      const arn = s.Resource?.startsWith('arn:aws:lambda:')
        ? s.Resource
        : s.Parameters?.FunctionName;
      if (!arn) throw new Error(`task ${name} does not invoke a Lambda function`);
      out[name] = arn;
    }
    const inner = s.ItemProcessor ?? s.Iterator;
    if (inner) Object.assign(out, taskTargets(inner));
    for (const b of s.Branches ?? []) Object.assign(out, taskTargets(b));
  }
  return out;
}

/** EventBridge content matching for the pattern shapes the templates use (value lists, nesting). */
export function matchesPattern(pattern: unknown, event: unknown): boolean {
  if (Array.isArray(pattern)) return pattern.some((p) => p === event);
  if (pattern && typeof pattern === 'object') {
    if (!event || typeof event !== 'object') return false;
    return Object.entries(pattern).every(([k, p]) =>
      matchesPattern(p, (event as Record<string, unknown>)[k]),
    );
  }
  return pattern === event;
}

export interface StepFunctionsOptions {
  /** Time compression for Wait states (milliseconds instead of the ASL's seconds); semantics unchanged. */
  readonly waitMs?: number;
  /** Retry intervals instead of the ASL's backoff, likewise. */
  readonly retryMs?: number;
  /**
   * Reads an object of the local S3 engine for a Distributed Map's ItemReader (ADR 160), after
   * the machine role's `s3:GetObject` on it is checked here.
   */
  readonly readObject?: (bucket: string, key: string) => Promise<string>;
}

export async function startStepFunctions(
  machines: readonly StateMachineDef[],
  rules: readonly EventRule[],
  fleet: Fleet,
  principals: Principals,
  options: StepFunctionsOptions = {},
): Promise<LocalStepFunctions> {
  const executions = new Map<string, Execution>();
  const deliveries: LocalStepFunctions['deliveries'] = [];
  const compiled = new Map(
    machines.map((m) => {
      // Distributed Maps run in the local interpreter, as in the local runtime (ADR 160).
      const prepared = prepareDistributedMaps(m.definition as AslDefinition as never);
      return [
        m.arn,
        {
          sm: new StateMachine(prepared.definition as unknown as StateMachineDefinition, {
            validationOptions: { checkArn: true, checkPaths: true },
          }),
          maps: prepared.maps,
          tasks: taskTargets(m.definition as AslDefinition),
          waits: waitStates(m.definition as AslDefinition),
        },
      ];
    }),
  );

  /** The machine's role must allow what its Distributed Map does: a refusal is recorded. */
  const authorize = (machine: StateMachineDef, action: string, resource: string) => {
    const request = { action, resource };
    if (isAllowed(machine.statements, request)) return;
    principals.denials.push({ principal: machine.name, ...request });
    throw Object.assign(new Error(`${machine.name} is not authorized to ${action} ${resource}`), {
      name: 'States.Runtime',
    });
  };

  const taskHandler = (machine: StateMachineDef, arn: string) => async (params: unknown) => {
    const fn = fleet.byArn(arn);
    const request = { action: 'lambda:InvokeFunction', resource: arn };
    if (!fn || !isAllowed(machine.statements, request)) {
      principals.denials.push({ principal: machine.name, ...request });
      throw Object.assign(new Error(`${machine.name} is not authorized to invoke ${arn}`), {
        name: 'Lambda.AWSLambdaException',
      });
    }
    const direct = !(params && typeof params === 'object' && 'FunctionName' in params);
    const payload = direct ? params : (params as { Payload?: unknown }).Payload;
    try {
      const result = await fleet.invoke(fn.name, payload ?? {});
      return direct ? result : { Payload: result, StatusCode: 200, ExecutedVersion: '$LATEST' };
    } catch (e) {
      if (!(e instanceof FunctionError)) throw e;
      // lambda:invoke fails with the function's errorType; the cause is Lambda's error document.
      throw Object.assign(
        new Error(
          JSON.stringify({ errorType: e.errorType, errorMessage: e.errorMessage, trace: e.trace }),
        ),
        { name: e.errorType },
      );
    }
  };

  const notify = async (x: Execution) => {
    const event = {
      version: '0',
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      resources: [x.arn],
      detail: {
        executionArn: x.arn,
        stateMachineArn: x.machine.arn,
        name: x.name,
        status: x.status,
        startDate: x.started,
        stopDate: x.stopped,
        input: x.input,
        output: null,
        error: x.error ?? null,
        cause: x.cause ?? null,
      },
    };
    for (const rule of rules) {
      if (!matchesPattern(rule.pattern, event)) continue;
      for (const target of rule.targets) {
        const fn = fleet.byArn(target);
        try {
          if (!fn) throw new Error(`rule target ${target} is not a function of the template`);
          await fleet.invoke(fn.name, event);
          deliveries.push({ rule: rule.logicalId, status: x.status });
        } catch (e) {
          deliveries.push({ rule: rule.logicalId, status: x.status, error: String(e) });
        }
      }
    }
  };

  const start = (input: Record<string, string>): { executionArn: string; startDate: number } => {
    const machine = machines.find((m) => m.arn === input.stateMachineArn);
    const c = compiled.get(input.stateMachineArn);
    if (!machine || !c)
      throw new ServiceError(
        'StateMachineDoesNotExist',
        `State Machine Does Not Exist: '${input.stateMachineArn}'`,
      );
    const name = input.name ?? crypto.randomUUID();
    const arn = `${machine.arn.replace(':stateMachine:', ':execution:')}:${name}`;
    const existing = executions.get(arn);
    if (existing) {
      // Same name and input while running is idempotent; anything else already exists.
      if (existing.status === 'RUNNING' && existing.input === (input.input ?? '{}'))
        return { executionArn: arn, startDate: existing.started / 1000 };
      throw new ServiceError('ExecutionAlreadyExists', `Execution Already Exists: '${arn}'`);
    }
    const tasks: string[] = [];
    const handlers = Object.fromEntries(
      Object.entries(c.tasks).map(([state, fnArn]) => {
        const handler = taskHandler(machine, fnArn);
        return [
          state,
          (p: unknown) => {
            tasks.push(state);
            return handler(p);
          },
        ];
      }),
    );
    let stopped = false;
    const onStop: (() => void)[] = [];
    const overrides = {
      taskResourceLocalHandlers: handlers as never,
      ...(options.retryMs !== undefined
        ? {
            retryIntervalOverrides: Object.fromEntries(
              Object.keys(c.tasks).map((s) => [s, options.retryMs]),
            ),
          }
        : {}),
      ...(options.waitMs !== undefined
        ? { waitTimeOverrides: Object.fromEntries(c.waits.map((s) => [s, options.waitMs])) }
        : {}),
    } as never;
    for (const [state, definition] of c.maps)
      (handlers as Record<string, (p: unknown) => Promise<unknown>>)[state] = async (p) => {
        // Each item is a child execution of this machine, started by its own role.
        authorize(machine, 'states:StartExecution', machine.arn);
        return runDistributedMap(state, definition, (p as { input: unknown }).input, {
          executionId: arn,
          overrides,
          readObject: async (bucket, key) => {
            authorize(machine, 's3:GetObject', `arn:aws:s3:::${bucket}/${key}`);
            if (!options.readObject) throw new Error('no S3 engine to read the item list from');
            return options.readObject(bucket, key);
          },
          aborted: () => stopped,
          onAbort: (listener) => onStop.push(listener),
        });
      };
    const run = c.sm.run(JSON.parse(input.input ?? '{}'), {
      overrides,
      context: {
        Execution: {
          Id: arn,
          Name: name,
          Input: JSON.parse(input.input ?? '{}'),
          StartTime: new Date().toISOString(),
        },
        StateMachine: { Id: machine.arn, Name: machine.name },
      } as never,
    });
    const x: Execution = {
      arn,
      machine,
      name,
      input: input.input ?? '{}',
      started: Date.now(),
      tasks,
      status: 'RUNNING',
      abort: () => {
        stopped = true;
        for (const listener of onStop) listener();
        run.abort();
      },
      done: Promise.resolve(),
    };
    x.done = run.result.then(
      (out) => {
        x.status = 'SUCCEEDED';
        x.output = JSON.stringify(out);
        x.stopped = Date.now();
      },
      async (e: Error & { cause?: unknown }) => {
        x.stopped = Date.now();
        if (e instanceof ExecutionAbortedError) x.status = 'ABORTED';
        else if (e instanceof ExecutionTimeoutError) {
          x.status = 'TIMED_OUT';
          x.error = 'States.Timeout';
        } else {
          x.status = 'FAILED';
          const inner = (e.cause ?? e) as { name?: string; message?: string };
          x.error = inner.name ?? e.name;
          x.cause = inner.message ?? e.message;
        }
        await notify(x);
      },
    );
    executions.set(arn, x);
    return { executionArn: arn, startDate: x.started / 1000 };
  };

  const ops: Record<string, (input: JsonInput) => unknown> = {
    StartExecution: start,
    DescribeExecution({ executionArn }) {
      const x = executions.get(executionArn);
      if (!x)
        throw new ServiceError(
          'ExecutionDoesNotExist',
          `Execution Does Not Exist: '${executionArn}'`,
        );
      return {
        executionArn: x.arn,
        stateMachineArn: x.machine.arn,
        name: x.name,
        status: x.status,
        startDate: x.started / 1000,
        stopDate: x.stopped ? x.stopped / 1000 : undefined,
        input: x.input,
        output: x.output,
        error: x.error,
        cause: x.cause,
      };
    },
    StopExecution({ executionArn, error, cause }) {
      const x = executions.get(executionArn);
      if (!x)
        throw new ServiceError(
          'ExecutionDoesNotExist',
          `Execution Does Not Exist: '${executionArn}'`,
        );
      if (x.status === 'RUNNING') {
        x.error = error;
        x.cause = cause;
        x.abort();
      }
      return { stopDate: Date.now() / 1000 };
    },
  };
  const resourceOf = (op: string, input: JsonInput) =>
    op === 'StartExecution' ? input.stateMachineArn : input.executionArn;

  const server = await startJsonProtocolServer({
    targetPrefix: 'AWSStepFunctions',
    contentType: 'application/x-amz-json-1.0',
    internalErrorType: 'InternalFailure',
    principals,
    ops,
    authorize: (op, input) => ({ action: `states:${op}`, resource: resourceOf(op, input) }),
  });

  const idle = async () => {
    for (;;) {
      const running = [...executions.values()].filter((x) => x.status === 'RUNNING');
      if (!running.length) return;
      await Promise.allSettled(running.map((x) => x.done));
    }
  };
  return {
    url: server.url,
    executions,
    deliveries,
    idle,
    close: async () => {
      for (const x of executions.values()) if (x.status === 'RUNNING') x.abort();
      await Promise.allSettled([...executions.values()].map((x) => x.done));
      await server.close();
    },
  };
}

function waitStates(def: AslDefinition): string[] {
  const out: string[] = [];
  for (const [name, s] of Object.entries(def.States ?? {})) {
    if (s.Type === 'Wait') out.push(name);
    const inner = s.ItemProcessor ?? s.Iterator;
    if (inner) out.push(...waitStates(inner));
    for (const b of s.Branches ?? []) out.push(...waitStates(b));
  }
  return out;
}
