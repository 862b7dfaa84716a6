import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { StateMachine } from 'aws-local-stepfunctions';
import type { ExecutionStarter } from '../../shared/platform/ports';
import type { Logger } from '../../shared/observability/logger';
import {
  functionArnPlaceholder,
  stateMachines,
  type FunctionName,
  type StateMachineSpec,
} from '../manifest';
import { type MapItemRecord, prepareDistributedMaps, runDistributedMap } from './distributed-map';
import { invoke } from './handlers';

export interface LocalExecutionOptions {
  root: string;
  log: Logger;
  /** Milliseconds between ASL retries instead of the ASL's own backoff (tests only). */
  retryIntervalMs?: number;
  /** Reads a local S3 object: a Distributed Map's ItemReader (ADR 160). */
  readObject?: (bucket: string, key: string) => Promise<string>;
}

/**
 * A Distributed Map item's poll, shrunk in tests like every wait, but less: up to MaxConcurrency
 * items poll at once (one poller per item, not per step), which would saturate one PGlite.
 */
const ITEM_POLL_MS = 1000;

/** Finished executions whose transition counts are kept. */
const MAX_COUNTED = 1000;

const LOCAL_ARN = (fn: string) => `arn:aws:lambda:us-east-1:000000000000:function:hishamos-${fn}`;

/** Reads an ASL file and fills `${<fn>Arn}` placeholders the way CDK's definitionSubstitutions does. */
export function loadDefinition(
  root: string,
  machine: keyof typeof stateMachines,
): Record<string, unknown> {
  let text = readFileSync(join(root, 'statemachines', stateMachines[machine].asl), 'utf8');
  for (const fn of new Set(Object.values(stateMachines[machine].tasks))) {
    text = text.split(`\${${functionArnPlaceholder(fn as FunctionName)}}`).join(LOCAL_ARN(fn));
  }
  return JSON.parse(text);
}

interface AslStates {
  States?: Record<
    string,
    { Type?: string; ItemProcessor?: AslStates; Iterator?: AslStates; Branches?: AslStates[] }
  >;
}

/** Collects the Task states of a definition, nested Map/Parallel included. */
export function taskStates(definition: AslStates | undefined): string[] {
  const out: string[] = [];
  for (const [name, state] of Object.entries(definition?.States ?? {})) {
    if (state.Type === 'Task') out.push(name);
    if (state.Type === 'Map') out.push(...taskStates(state.ItemProcessor ?? state.Iterator ?? {}));
    if (state.Type === 'Parallel') for (const b of state.Branches ?? []) out.push(...taskStates(b));
  }
  return out;
}

/** Wait states of a definition, nested Map/Parallel included. */
interface AslStates {
  States?: Record<
    string,
    { Type?: string; ItemProcessor?: AslStates; Iterator?: AslStates; Branches?: AslStates[] }
  >;
}
export function waitStates(definition: AslStates): string[] {
  const out: string[] = [];
  for (const [name, state] of Object.entries(definition.States ?? {})) {
    if (state.Type === 'Wait') out.push(name);
    const inner = state.ItemProcessor ?? state.Iterator;
    if (state.Type === 'Map' && inner) out.push(...waitStates(inner));
    if (state.Type === 'Parallel') for (const b of state.Branches ?? []) out.push(...waitStates(b));
  }
  return out;
}

/**
 * Runs the ASL files in aws-local-stepfunctions with each Task bound (by the manifest) to the
 * handler Lambda would run; a task gets the `Payload` and returns `{Payload}` like lambda:invoke.
 */
export class LocalExecutions implements ExecutionStarter {
  private readonly machines = new Map<string, StateMachine>();
  /** Distributed Map states per machine, run by ./distributed-map.ts (ADR 160). */
  private readonly distributedMaps = new Map<
    string,
    ReturnType<typeof prepareDistributedMaps>['maps']
  >();
  /** Each execution's Distributed Map items as they settled (kept like transition counts). */
  private readonly mapItems = new Map<string, MapItemRecord[]>();
  private readonly waits = new Map<string, string[]>();
  /** `<machine>/<state>` of the Wait states inside Distributed Map item processors. */
  private readonly itemWaits = new Set<string>();
  private readonly running = new Map<string, { abort: () => void; done: Promise<unknown> }>();
  /** State transitions per execution (StateEntered events, Map iterations' included): what AWS bills. */
  private readonly transitions = new Map<string, number>();

  constructor(private readonly options: LocalExecutionOptions) {
    for (const name of Object.keys(stateMachines) as (keyof typeof stateMachines)[]) {
      // Building validates the definition (~100 ms): once per process, not per execution.
      const definition = loadDefinition(options.root, name);
      const prepared = prepareDistributedMaps(definition);
      this.machines.set(
        name,
        new StateMachine(prepared.definition as never, {
          validationOptions: { checkArn: true, checkPaths: true },
        }),
      );
      this.distributedMaps.set(name, prepared.maps);
      this.waits.set(name, waitStates(definition));
      for (const map of prepared.maps.values())
        for (const s of waitStates(map.ItemProcessor ?? {})) this.itemWaits.add(`${name}/${s}`);
    }
  }

  async start(
    machine: string,
    name: string,
    input: Record<string, unknown>,
  ): Promise<{ executionId: string }> {
    const sm = this.machines.get(machine);
    if (!sm) throw new Error(`unknown state machine ${machine}`);
    const executionId = this.executionIdOf(machine, name);
    if (this.running.has(executionId)) return { executionId };
    const tasks = stateMachines[machine as keyof typeof stateMachines].tasks as Record<
      string,
      FunctionName
    >;
    // A stopped execution's Lambda invocations still run to their end, as in AWS: the execution
    // counts as running until they have, so `idle()` also waits for what they write.
    const invocations = new Set<Promise<unknown>>();
    const handlers: Record<string, (params: unknown) => Promise<unknown>> = Object.fromEntries(
      Object.entries(tasks).map(([state, fn]) => [
        state,
        async (params: unknown) => {
          const call = invoke(this.options.root, fn, (params as { Payload: unknown }).Payload);
          invocations.add(call);
          try {
            return { Payload: await call };
          } finally {
            invocations.delete(call);
          }
        },
      ]),
    );
    const retry = this.options.retryIntervalMs;
    const overrides = {
      taskResourceLocalHandlers: handlers as never,
      ...(retry !== undefined
        ? {
            retryIntervalOverrides: Object.fromEntries(Object.keys(tasks).map((s) => [s, retry])),
            // Polling waits shrink with retries in tests, but never to a busy loop.
            waitTimeOverrides: Object.fromEntries(
              (this.waits.get(machine) ?? []).map((s) => [
                s,
                Math.max(retry, this.itemWaits.has(`${machine}/${s}`) ? ITEM_POLL_MS : 25),
              ]),
            ),
          }
        : {}),
    };
    let stopped = false;
    const onStop: (() => void)[] = [];
    for (const [state, definition] of this.distributedMaps.get(machine) ?? []) {
      const records: MapItemRecord[] = [];
      this.keep(this.mapItems, executionId, records);
      handlers[state] = async (params: unknown) =>
        runDistributedMap(state, definition, (params as { input: unknown }).input, {
          executionId,
          overrides,
          readObject: (bucket, key) => {
            if (!this.options.readObject) throw new Error('no local S3 to read the item list from');
            return this.options.readObject(bucket, key);
          },
          aborted: () => stopped,
          onAbort: (listener) => onStop.push(listener),
          onItem: (_map, record) => records.push(record),
        });
    }
    const execution = sm.run(input as never, {
      overrides,
      context: {
        Execution: { Id: executionId, Name: name, StartTime: new Date().toISOString() },
      } as never,
      noThrowOnAbort: true,
    });
    const counted = this.countTransitions(executionId, execution.eventLogs);
    const done = execution.result
      .then(
        (out) => this.options.log.debug('execution finished', { executionId, out }),
        async (error: Error & { cause?: { name?: string; message?: string } }) => {
          this.options.log.error('execution failed', { executionId, error });
          await this.reportFailure(machine, executionId, name, input, error);
        },
      )
      .then(() => counted)
      .then(async () => {
        while (invocations.size) await Promise.allSettled([...invocations]);
      })
      .finally(() => this.running.delete(executionId));
    const abort = () => {
      stopped = true;
      for (const listener of onStop) listener();
      execution.abort();
    };
    this.running.set(executionId, { abort, done });
    return { executionId };
  }

  /**
   * What EventBridge delivers in AWS when an execution of the run machine fails: the same
   * "Step Functions Execution Status Change" event, to the same handler the manifest names.
   */
  private async reportFailure(
    machine: string,
    executionId: string,
    name: string,
    input: Record<string, unknown>,
    error: Error & { cause?: { name?: string; message?: string } },
  ): Promise<void> {
    const spec: StateMachineSpec = stateMachines[machine as keyof typeof stateMachines];
    const target = spec.onExecutionFailed as FunctionName | undefined;
    if (!target) return;
    const event = {
      source: 'aws.states',
      'detail-type': 'Step Functions Execution Status Change',
      detail: {
        executionArn: executionId,
        name,
        status: 'FAILED',
        input: JSON.stringify(input),
        error: error.cause?.name ?? error.name,
        cause: error.cause?.message ?? error.message,
      },
    };
    await invoke(this.options.root, target, event).catch((e) =>
      this.options.log.error('settling a failed execution failed', { executionId, error: e }),
    );
  }

  private async countTransitions(executionId: string, events: AsyncGenerator<{ type: string }>) {
    let n = 0;
    for await (const e of events) if (e.type === 'StateEntered') n++;
    this.keep(this.transitions, executionId, n);
  }

  /** Keeps a per-execution record, forgetting the oldest beyond MAX_COUNTED. */
  private keep<V>(records: Map<string, V>, executionId: string, value: V): void {
    if (records.size >= MAX_COUNTED) {
      const oldest = records.keys().next();
      if (!oldest.done) records.delete(oldest.value);
    }
    records.set(executionId, value);
  }

  /** What each item of an execution's Distributed Map did (tests compare it with the API's view). */
  mapItemsOf(executionId: string): readonly MapItemRecord[] | undefined {
    return this.mapItems.get(executionId);
  }

  /** The state transitions of a finished execution (its local history), for tests and benches. */
  transitionsOf(executionId: string): number | undefined {
    return this.transitions.get(executionId);
  }

  executionIdOf(machine: string, name: string): string {
    return `arn:aws:states:us-east-1:000000000000:execution:hishamos-${machine}:${name}`;
  }

  async stop(executionId: string): Promise<void> {
    this.running.get(executionId)?.abort();
  }

  /** Resolves when no execution is running (tests and shutdown). */
  async idle(): Promise<void> {
    while (this.running.size)
      await Promise.allSettled([...this.running.values()].map((r) => r.done));
  }
}
