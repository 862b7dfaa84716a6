/**
 * The local Distributed Map (ADR 160): the rewritten definition runs in aws-local-stepfunctions
 * with the map's semantics: items from the ItemReader's object, ItemSelector with the item's
 * index and value, at most MaxConcurrency children at once, failures tolerated up to the bound,
 * the map's Catch and ResultPath kept. Also the batch machine's own definition loads.
 */
import { StateMachine } from 'aws-local-stepfunctions';
import {
  type MapItemRecord,
  prepareDistributedMaps,
  runDistributedMap,
} from '../../../infra/local/distributed-map';
import { loadDefinition } from '../../../infra/local/local-executions';
import { ROOT } from '../../support/stack';

const LAMBDA = 'arn:aws:lambda:us-east-1:000000000000:function:work';

/** A machine: Map (DISTRIBUTED) over the list at s3://$.bucket/$.key, then Done; failures → Caught. */
function definition(map: Record<string, unknown>) {
  return {
    StartAt: 'Each',
    States: {
      Each: {
        Type: 'Map',
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'JSON' },
          Parameters: { 'Bucket.$': '$.bucket', 'Key.$': '$.key' },
        },
        ItemSelector: { 'tag.$': '$.tag', 'i.$': '$$.Map.Item.Index', 'v.$': '$$.Map.Item.Value' },
        ItemProcessor: {
          ProcessorConfig: { Mode: 'DISTRIBUTED', ExecutionType: 'STANDARD' },
          StartAt: 'Work',
          States: { Work: { Type: 'Task', Resource: LAMBDA, End: true } },
        },
        ResultPath: '$.results',
        Catch: [{ ErrorEquals: ['States.ALL'], ResultPath: '$.error', Next: 'Caught' }],
        Next: 'Done',
        ...map,
      },
      Done: { Type: 'Succeed' },
      Caught: { Type: 'Pass', End: true },
    },
  };
}

/** Runs a definition with the interpreter bound the way the local runtime binds it. */
async function run(def: ReturnType<typeof definition>, items: unknown[], failOn: number[] = []) {
  const prepared = prepareDistributedMaps(def);
  let inFlight = 0;
  let most = 0;
  const records: MapItemRecord[] = [];
  const work = async (input: unknown) => {
    const { i, v } = input as { i: number; v: unknown };
    inFlight++;
    most = Math.max(most, inFlight);
    // Yield a few turns so that concurrent items overlap.
    for (let k = 0; k < 5; k++) await new Promise((r) => setImmediate(r));
    inFlight--;
    if (failOn.includes(i)) throw Object.assign(new Error(`item ${i} broke`), { name: 'Broke' });
    return { doubled: (v as number) * 2 };
  };
  const overrides = { taskResourceLocalHandlers: { Work: work } as never };
  const handlers: Record<string, (p: unknown) => Promise<unknown>> = {};
  for (const [name, state] of prepared.maps)
    handlers[name] = (p) =>
      runDistributedMap(name, state, (p as { input: unknown }).input, {
        executionId: 'exec-1',
        overrides,
        readObject: async (bucket, key) => {
          expect([bucket, key]).toEqual(['items-bucket', 'lists/a.json']);
          return JSON.stringify(items);
        },
        aborted: () => false,
        onAbort: () => undefined,
        onItem: (_m, r) => records.push(r),
      });
  const sm = new StateMachine(prepared.definition as never, {
    validationOptions: { checkArn: true, checkPaths: true },
  });
  const out = await sm.run(
    { bucket: 'items-bucket', key: 'lists/a.json', tag: 'T', limit: 2 } as never,
    { overrides: { taskResourceLocalHandlers: handlers as never } },
  ).result;
  return { out: out as Record<string, any>, most, records };
}

test('items come from the ItemReader, ItemSelector sees index and value, results keep item order', async () => {
  // Act
  const { out, records } = await run(definition({ MaxConcurrency: 3 }), [5, 6, 7, 8]);

  // Assess
  expect(out.results).toEqual([{ doubled: 10 }, { doubled: 12 }, { doubled: 14 }, { doubled: 16 }]);
  expect(records.map((r) => r.input).sort((a: any, b: any) => a.i - b.i)).toEqual([
    { tag: 'T', i: 0, v: 5 },
    { tag: 'T', i: 1, v: 6 },
    { tag: 'T', i: 2, v: 7 },
    { tag: 'T', i: 3, v: 8 },
  ]);
});

test('at most MaxConcurrency (or MaxConcurrencyPath) items run at once', async () => {
  // Act
  const items = Array.from({ length: 12 }, (_, i) => i);
  const three = await run(definition({ MaxConcurrency: 3 }), items);
  const byPath = await run(definition({ MaxConcurrencyPath: '$.limit' }), items);
  const unbounded = await run(definition({ MaxConcurrency: 0 }), items);

  // Assess
  expect(three.most).toBe(3);
  expect(byPath.most).toBe(2);
  expect(unbounded.most).toBe(12);
  expect(byPath.out.results).toHaveLength(12);
});

test('failures are tolerated up to ToleratedFailurePercentage; beyond it the Catch takes the map', async () => {
  // Act
  const tolerated = await run(
    definition({ ToleratedFailurePercentage: 100 }),
    [1, 2, 3, 4],
    [1, 3],
  );
  const half = await run(definition({ ToleratedFailurePercentage: 50 }), [1, 2, 3, 4], [1, 3]);
  const over = await run(definition({ ToleratedFailurePercentage: 25 }), [1, 2, 3, 4], [1, 3]);
  const none = await run(definition({}), [1, 2, 3], [2]);

  // Assess: failed entries carry their error, the others their output
  expect(tolerated.out.results[1]).toEqual({ Error: 'Broke', Cause: 'item 1 broke' });
  expect(tolerated.out.results[2]).toEqual({ doubled: 6 });
  expect(
    tolerated.records
      .filter((r) => r.status === 'FAILED')
      .map((r) => r.index)
      .sort(),
  ).toEqual([1, 3]);
  expect(half.out.results).toHaveLength(4);
  expect(over.out.error.Error).toBe('States.ExceedToleratedFailureThreshold');
  expect(none.out.error.Error).toBe('States.ExceedToleratedFailureThreshold');
});

test('an unreadable item list fails the map with States.ItemReaderFailed (caught)', async () => {
  // Act
  const { out } = await run(definition({}), 'not a list' as never);

  // Assess
  expect(out.error.Error).toBe('States.ItemReaderFailed');
});

test('what is not emulated is refused when the definition loads, not ignored', () => {
  // Act + Assess
  expect(() => prepareDistributedMaps(definition({ ResultWriter: {} }))).toThrow(/ResultWriter/);
  expect(() =>
    prepareDistributedMaps(
      definition({
        ItemReader: {
          Resource: 'arn:aws:states:::s3:getObject',
          ReaderConfig: { InputType: 'CSV' },
          Parameters: {},
        },
      }),
    ),
  ).toThrow(/InputType JSON/);
});

test("the batch machine's Distributed Map is rewritten into a local task that keeps its wiring", () => {
  // Act
  const original = loadDefinition(ROOT, 'runBatch') as any;
  const prepared = prepareDistributedMaps(original);

  // Assess
  expect([...prepared.maps.keys()]).toEqual(['RunItems']);
  const task = (prepared.definition.States as any).RunItems;
  expect(task).toMatchObject({
    Type: 'Task',
    ResultPath: null,
    Next: 'Finalize',
    Catch: original.States.RunItems.Catch,
  });
  expect(
    () => new StateMachine(prepared.definition as never, { validationOptions: { checkArn: true } }),
  ).not.toThrow();
});
