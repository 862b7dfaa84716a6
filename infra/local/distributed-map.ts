/**
 * The Distributed Map, locally (ADR 160). aws-local-stepfunctions runs inline Maps only, so each
 * top-level Map whose ItemProcessor is `DISTRIBUTED` is rewritten, before the library sees the
 * definition, into a Task of the same name (same InputPath, ResultSelector, ResultPath,
 * OutputPath, Retry, Catch, Next/End) bound to `runDistributedMap`, which does what the map
 * does in AWS: reads the ItemReader's object (a JSON array) or the ItemsPath array, applies
 * ItemSelector per item with `$$.Map.Item.Index/Value`, runs the ItemProcessor definition as one
 * child execution per item in aws-local-stepfunctions with at most MaxConcurrency(Path) at once,
 * and fails with `States.ExceedToleratedFailureThreshold` only beyond the tolerated failures.
 * Payload templates and paths are evaluated by the library itself (a one-state Pass machine), so
 * JSONPath semantics are the library's, as for every other state.
 */
import { StateMachine, type StateMachineDefinition } from 'aws-local-stepfunctions';

/** Task handlers and time overrides, as aws-local-stepfunctions takes them. */
type Overrides = NonNullable<NonNullable<Parameters<StateMachine['run']>[1]>['overrides']>;

interface AslState {
  Type?: string;
  Comment?: string;
  ItemProcessor?: AslDefinition & { ProcessorConfig?: { Mode?: string } };
  ItemReader?: {
    Resource?: string;
    ReaderConfig?: { InputType?: string; MaxItems?: number };
    Parameters?: Record<string, unknown>;
  };
  ItemSelector?: Record<string, unknown>;
  ItemsPath?: string;
  MaxConcurrency?: number;
  MaxConcurrencyPath?: string;
  ToleratedFailurePercentage?: number;
  ToleratedFailurePercentagePath?: string;
  ToleratedFailureCount?: number;
  ToleratedFailureCountPath?: string;
  Label?: string;
  [field: string]: unknown;
}
interface AslDefinition {
  StartAt?: string;
  States?: Record<string, AslState>;
  [field: string]: unknown;
}

/** What one item of a local Distributed Map did (tests compare it with the platform's view). */
export interface MapItemRecord {
  index: number;
  /** The child execution's input (the ItemSelector's output, else the item). */
  input: unknown;
  status: 'SUCCEEDED' | 'FAILED' | 'ABORTED';
  output?: unknown;
  error?: { Error: string; Cause: string };
}

export interface DistributedMapContext {
  /** The parent execution's id; child executions are `<id>/<label>:<index>` as map runs name them. */
  executionId: string;
  /** Reads an object of the local S3 engine (the machine's view of the bucket). */
  readObject(bucket: string, key: string): Promise<string>;
  /** The parent's overrides (task handlers, retry and wait times), reused by every child. */
  overrides: Overrides;
  /** True once the parent execution is stopped: no new child starts, running ones are aborted. */
  aborted(): boolean;
  onAbort(listener: () => void): void;
  /** Every item's record, as each settles. */
  onItem?(map: string, record: MapItemRecord): void;
}

const LOCAL_MAP_ARN =
  'arn:aws:lambda:us-east-1:000000000000:function:hishamos-local-distributed-map';
/** The library's Task timeout defaults to 60 s; a map's lifetime is its items' (AWS: no limit). */
const MAP_TIMEOUT_SECONDS = 2_000_000;
/** Fields a Map and a Task share, kept on the rewritten state. */
const KEPT = [
  'Comment',
  'InputPath',
  'ResultSelector',
  'ResultPath',
  'OutputPath',
  'Retry',
  'Catch',
  'Next',
  'End',
];

export interface PreparedDefinition {
  /** The definition aws-local-stepfunctions runs (Distributed Maps replaced by local Tasks). */
  definition: AslDefinition;
  /** Distributed Map state name → its original state. */
  maps: Map<string, AslState>;
}

/** Rewrites the top-level Distributed Maps (nested ones are refused: nothing here uses them). */
export function prepareDistributedMaps(original: AslDefinition): PreparedDefinition {
  const maps = new Map<string, AslState>();
  const states: Record<string, AslState> = {};
  for (const [name, state] of Object.entries(original.States ?? {})) {
    if (state.Type !== 'Map' || state.ItemProcessor?.ProcessorConfig?.Mode !== 'DISTRIBUTED') {
      if (containsDistributedMap(state))
        throw new Error(`${name}: a Distributed Map nested in another state is not run locally`);
      states[name] = state;
      continue;
    }
    checkSupported(name, state);
    maps.set(name, state);
    states[name] = {
      Type: 'Task',
      Resource: LOCAL_MAP_ARN,
      TimeoutSeconds: MAP_TIMEOUT_SECONDS,
      Parameters: { 'input.$': '$' },
      ...Object.fromEntries(KEPT.filter((k) => k in state).map((k) => [k, state[k]])),
    };
  }
  return { definition: { ...original, States: states }, maps };
}

function containsDistributedMap(state: AslState): boolean {
  const inner = state.ItemProcessor ?? (state.Iterator as AslDefinition | undefined);
  const nested = [inner, ...((state.Branches as AslDefinition[] | undefined) ?? [])];
  return nested.some((d) =>
    Object.values(d?.States ?? {}).some(
      (s) =>
        (s.Type === 'Map' && s.ItemProcessor?.ProcessorConfig?.Mode === 'DISTRIBUTED') ||
        containsDistributedMap(s),
    ),
  );
}

function checkSupported(name: string, state: AslState): void {
  const reader = state.ItemReader;
  if (reader) {
    if (reader.Resource !== 'arn:aws:states:::s3:getObject')
      throw new Error(`${name}: only an ItemReader of s3:getObject runs locally`);
    if (reader.ReaderConfig?.InputType !== 'JSON')
      throw new Error(`${name}: only ItemReader InputType JSON runs locally`);
  }
  for (const unsupported of ['ResultWriter', 'ItemBatcher'])
    if (unsupported in state) throw new Error(`${name}: ${unsupported} is not run locally`);
}

/** Built machines by template (building validates, ~100 ms): once per process, not per item. */
const evaluators = new Map<string, StateMachine>();
const processors = new WeakMap<AslState, StateMachine>();

/** Evaluates a payload template (or a `.$` path) with the library, against input and context. */
async function evaluate(
  template: unknown,
  input: unknown,
  context: Record<string, unknown>,
): Promise<unknown> {
  const key = JSON.stringify(template);
  let machine = evaluators.get(key);
  if (!machine) {
    machine = new StateMachine(
      {
        StartAt: 'Evaluate',
        States: { Evaluate: { Type: 'Pass', Parameters: template, End: true } },
      } as unknown as StateMachineDefinition,
      { validationOptions: { checkPaths: true } },
    );
    evaluators.set(key, machine);
  }
  return machine.run(input as never, { context: context as never }).result;
}

/** The ItemProcessor (without its ProcessorConfig) as a machine of its own, built once. */
function processorOf(state: AslState): StateMachine {
  let machine = processors.get(state);
  if (!machine) {
    const { ProcessorConfig: _config, ...processor } = state.ItemProcessor ?? {};
    machine = new StateMachine(processor as unknown as StateMachineDefinition, {
      validationOptions: { checkArn: true, checkPaths: true },
    });
    processors.set(state, machine);
  }
  return machine;
}

async function valueAt(path: string, input: unknown, context: Record<string, unknown>) {
  const out = (await evaluate({ 'v.$': path }, input, context)) as { v: unknown };
  return out.v;
}

const stateError = (name: string, cause: string) => Object.assign(new Error(cause), { name });

async function readItems(
  name: string,
  state: AslState,
  input: unknown,
  ctx: DistributedMapContext,
): Promise<unknown[]> {
  const context = { Execution: { Id: ctx.executionId } };
  let items: unknown;
  if (state.ItemReader) {
    const where = (await evaluate(state.ItemReader.Parameters ?? {}, input, context)) as {
      Bucket?: string;
      Key?: string;
    };
    if (!where.Bucket || !where.Key)
      throw stateError(
        'States.ItemReaderFailed',
        `${name}: the ItemReader names no Bucket and Key`,
      );
    const text = await ctx.readObject(where.Bucket, where.Key).catch((e: Error) => {
      throw stateError('States.ItemReaderFailed', `${name}: ${e.name}: ${e.message}`);
    });
    try {
      items = JSON.parse(text);
    } catch {
      throw stateError('States.ItemReaderFailed', `${name}: the item list is not JSON`);
    }
  } else items = state.ItemsPath ? await valueAt(state.ItemsPath, input, context) : input;
  if (!Array.isArray(items))
    throw stateError('States.ItemReaderFailed', `${name}: the item list is not a JSON array`);
  const max = state.ItemReader?.ReaderConfig?.MaxItems;
  return max ? items.slice(0, max) : items;
}

async function limits(state: AslState, input: unknown, items: number) {
  const context = {};
  const num = async (value: number | undefined, path: string | undefined) =>
    path ? Number(await valueAt(path, input, context)) : value;
  const concurrency = (await num(state.MaxConcurrency, state.MaxConcurrencyPath)) ?? 0;
  return {
    // 0 (or absent) is "as many as there are items", as in AWS.
    concurrency: concurrency > 0 ? Math.min(concurrency, items) : Math.max(items, 1),
    percentage: await num(state.ToleratedFailurePercentage, state.ToleratedFailurePercentagePath),
    count: await num(state.ToleratedFailureCount, state.ToleratedFailureCountPath),
  };
}

/**
 * Runs one Distributed Map: the local Task's handler. Returns the children's outputs in item
 * order (a failed item's entry is its `{Error, Cause}`), or throws when more items failed than
 * tolerated.
 */
export async function runDistributedMap(
  name: string,
  state: AslState,
  input: unknown,
  ctx: DistributedMapContext,
): Promise<unknown[]> {
  const items = await readItems(name, state, input, ctx);
  const bound = await limits(state, input, items.length);
  const child = processorOf(state);
  const label = state.Label ?? name;
  const results: unknown[] = new Array(items.length);
  const running = new Set<() => void>();
  ctx.onAbort(() => {
    for (const abort of running) abort();
  });
  let next = 0;
  let failed = 0;

  const runItem = async (index: number) => {
    const value = items[index];
    const itemContext = {
      Execution: { Id: ctx.executionId },
      Map: { Item: { Index: index, Value: value } },
    };
    const childInput = state.ItemSelector
      ? await evaluate(state.ItemSelector, input, itemContext)
      : value;
    const execution = child.run(childInput as never, {
      overrides: ctx.overrides,
      context: {
        Execution: { Id: `${ctx.executionId}/${label}:${index}`, Name: `${label}:${index}` },
      } as never,
    });
    running.add(execution.abort);
    try {
      const output = await execution.result;
      results[index] = output;
      ctx.onItem?.(name, { index, input: childInput, status: 'SUCCEEDED', output });
    } catch (e) {
      const inner = ((e as { cause?: unknown }).cause ?? e) as Error;
      const error = { Error: inner.name ?? 'Error', Cause: inner.message ?? String(e) };
      failed++;
      results[index] = error;
      const status = ctx.aborted() ? 'ABORTED' : 'FAILED';
      ctx.onItem?.(name, { index, input: childInput, status, error });
    } finally {
      running.delete(execution.abort);
    }
  };
  const worker = async () => {
    while (next < items.length && !ctx.aborted()) await runItem(next++);
  };
  await Promise.all(Array.from({ length: bound.concurrency }, worker));
  if (ctx.aborted()) throw stateError('States.Aborted', `${name}: the execution was stopped`);

  // No bound given tolerates no failure; with bounds, exceeding either fails the map.
  const overPercentage =
    bound.percentage !== undefined && (failed / items.length) * 100 > bound.percentage;
  const overCount = bound.count !== undefined && failed > bound.count;
  const unbounded = bound.percentage === undefined && bound.count === undefined;
  if (failed && (unbounded || overPercentage || overCount))
    throw stateError(
      'States.ExceedToleratedFailureThreshold',
      `${name}: ${failed} of ${items.length} items failed`,
    );
  return results;
}
