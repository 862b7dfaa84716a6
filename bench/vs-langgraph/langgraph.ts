/**
 * The three workloads as LangGraph.js graphs with the Postgres checkpointer in durable `sync` mode:
 * every super-step's checkpoint is written before the next one starts. A node returns at once with
 * a short output, the counterpart of the zero-latency simulator.
 */
import { Annotation, END, START, StateGraph } from '@langchain/langgraph';
import { PostgresSaver } from '@langchain/langgraph-checkpoint-postgres';
import pg from 'pg';
import type { Workload } from './workloads';

const State = Annotation.Root({
  input: Annotation<Record<string, unknown>>(),
  outputs: Annotation<Record<string, string>>({
    reducer: (a, b) => ({ ...a, ...b }),
    default: () => ({}),
  }),
});

export interface LangGraphSide {
  run(workload: string, threadId: string): Promise<void>;
  /** Threads with at least one stored checkpoint, to prove the runs were durable. */
  threads(): Promise<number>;
  close(): Promise<void>;
}

export async function startLangGraph(url: string, workloads: Workload[]): Promise<LangGraphSide> {
  const pool = new pg.Pool({ connectionString: url });
  // The bench drops its database at the end, which ends idle connections from the server side.
  pool.on('error', () => undefined);
  const checkpointer = new PostgresSaver(pool, undefined, { schema: 'langgraph' });
  await checkpointer.setup();
  const graphs = new Map(
    workloads.map((w) => {
      // Node names are dynamic; the typed builder wants literal names, so the bench drops its types.
      const g: any = new StateGraph(State);
      for (const n of w.nodes)
        g.addNode(n.id, async () => ({ outputs: { [n.id]: `simulated answer of ${n.id}` } }));
      const targets = new Set(w.edges.map((e) => e.to));
      const sources = new Set(w.edges.map((e) => e.from));
      for (const n of w.nodes) if (!targets.has(n.id)) g.addEdge(START, n.id);
      // A node with several parents waits for all of them (a join), as HishamOS does.
      const parents = new Map<string, string[]>();
      for (const e of w.edges) parents.set(e.to, [...(parents.get(e.to) ?? []), e.from]);
      for (const [to, from] of parents) g.addEdge(from.length === 1 ? from[0] : from, to);
      for (const n of w.nodes) if (!sources.has(n.id)) g.addEdge(n.id, END);
      return [w.slug, g.compile({ checkpointer })] as const;
    }),
  );
  return {
    async run(workload, threadId) {
      const graph = graphs.get(workload);
      if (!graph) throw new Error(`no graph ${workload}`);
      await graph.invoke(
        { input: { feature: threadId } },
        { configurable: { thread_id: threadId }, durability: 'sync' },
      );
    },
    async threads() {
      const c = new pg.Client({ connectionString: url });
      await c.connect();
      try {
        const r = await c.query(
          'select count(distinct thread_id)::int as n from langgraph.checkpoints',
        );
        return r.rows[0].n as number;
      } finally {
        await c.end();
      }
    },
    close: () => checkpointer.end(),
  };
}
