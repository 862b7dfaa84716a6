/**
 * HishamOS engine vs LangGraph.js (Postgres checkpointer, durability `sync`) on the same PostgreSQL:
 * chain of 10, feature-pipeline (5 nodes, one parallel pair), fan-out 8 + join; zero-latency model.
 * Runs alternate between the systems (the order flips each pair) so load drift hits both alike.
 * Reports per-run and per-step medians, the median of paired ratios, throughput at 10 concurrent
 * runs, statements / round trips / transactions per step counted by wrapping `pg` (a pipeline of
 * statements is one round trip), HishamOS's Step Functions state transitions per step
 * (in-process: the local execution history), and this process's CPU time per run at 10 concurrent
 * (user + system, PostgreSQL's own excluded): both systems saturate one core there, so the
 * throughput ratio follows the CPU ratio.
 *
 *   npx tsx bench/vs-langgraph.ts [runs=10] [rounds=3] [--warmup=2] [--api] [--pglite] [--breakdown] [--url=postgres://…]
 *
 * runs: sequential paired runs per workload; rounds: paired rounds of 10 concurrent runs;
 * warmup: runs of each workload on each side before measuring (both JIT-compile their code).
 * --breakdown prints the statements of one chain run in each system, most frequent first.
 * --api adds HishamOS through the HTTP API (start, then poll every 5 ms); --pglite adds HishamOS on
 * in-memory PGlite (LangGraph stays on PostgreSQL). Creates and drops database
 * hishamos_bench_vs_lg_<pid>.
 */
import { loadavg } from 'node:os';
import { resolve } from 'node:path';
import pg from 'pg';
import { startHishamOS, type HishamSide } from './vs-langgraph/hishamos';
import { startLangGraph } from './vs-langgraph/langgraph';
import {
  counts,
  installPgCounter,
  resetCounts,
  setRecordShapes,
  shapes,
} from './vs-langgraph/pg-count';
import { adminStatement } from './vs-langgraph/server-admin';
import { WORKLOADS } from './vs-langgraph/workloads';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const args = process.argv.slice(2);
const positional = args.filter((a) => !a.startsWith('--'));
const RUNS = Number(positional[0] ?? 10);
const ROUNDS = Number(positional[1] ?? 3);
const CONCURRENCY = 10;
const WARMUP = Number(args.find((a) => a.startsWith('--warmup='))?.slice(9) ?? 2);
const flag = (name: string) => args.includes(`--${name}`);
const base =
  args.find((a) => a.startsWith('--url='))?.slice(6) ?? 'postgres://postgres@127.0.0.1:5432/test';
// Per process: two benches on one server (a shared machine) must not drop each other's database
// in their cleanup, which killed the other's connections mid-run.
const DB = `hishamos_bench_vs_lg_${process.pid}`;
const root = resolve(import.meta.dirname, '..');

const median = (xs: number[]) => {
  const s = [...xs].sort((a, b) => a - b);
  const m = Math.floor(s.length / 2);
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
};
const time = async (fn: () => Promise<unknown>) => {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
};

const admin = (statement: string) => adminStatement(base, statement);

interface Side {
  name: string;
  run(workload: string, n: number): Promise<void>;
  /** Step Functions state transitions of the last run (HishamOS in-process only). */
  transitions?: () => Promise<number>;
}
interface Measured {
  transitionsPerRun: number[];
  perRun: number[];
  throughput: number[];
  /** Process CPU ms per run over a round of concurrent runs. */
  cpuPerRun: number[];
  statementsPerRun: number[];
  roundTripsPerRun: number[];
  transactionsPerRun: number[];
}

async function measure(a: Side, b: Side, workload: (typeof WORKLOADS)[number]) {
  const result = new Map<string, Measured>(
    [a, b].map((s) => [
      s.name,
      {
        perRun: [],
        throughput: [],
        cpuPerRun: [],
        statementsPerRun: [],
        roundTripsPerRun: [],
        transactionsPerRun: [],
        transitionsPerRun: [],
      },
    ]),
  );
  for (let i = 0; i < WARMUP; i++) for (const s of [a, b]) await s.run(workload.slug, 1);
  for (let i = 0; i < RUNS; i++) {
    for (const s of i % 2 ? [b, a] : [a, b]) {
      resetCounts();
      const ms = await time(() => s.run(workload.slug, 1));
      const m = result.get(s.name);
      if (!m) throw new Error(s.name);
      m.perRun.push(ms);
      m.statementsPerRun.push(counts.statements);
      m.roundTripsPerRun.push(counts.roundTrips);
      m.transactionsPerRun.push(counts.transactions);
      if (s.transitions) m.transitionsPerRun.push(await s.transitions());
    }
  }
  for (let i = 0; i < ROUNDS; i++) {
    for (const s of i % 2 ? [b, a] : [a, b]) {
      const cpu = process.cpuUsage();
      const ms = await time(() => s.run(workload.slug, CONCURRENCY));
      const used = process.cpuUsage(cpu);
      result.get(s.name)?.throughput.push((CONCURRENCY * 1000) / ms);
      result.get(s.name)?.cpuPerRun.push((used.user + used.system) / 1000 / CONCURRENCY);
    }
  }
  return result;
}

const load0 = loadavg();
await admin(`drop database if exists ${DB}`);
await admin(`create database ${DB}`);
const url = (() => {
  const u = new URL(base);
  u.pathname = `/${DB}`;
  return u.toString();
})();
const patched = installPgCounter(['@langchain/langgraph-checkpoint-postgres']);
const cleanup: (() => Promise<void>)[] = [];
try {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  await c.query('create schema if not exists langgraph');
  await c.end();
  const lg = await startLangGraph(url, WORKLOADS);
  cleanup.push(() => lg.close());
  const langgraph: Side = {
    name: 'LangGraph.js',
    run: async (w, n) => {
      await Promise.all(
        Array.from({ length: n }, () => lg.run(w, `t-${Math.random().toString(36).slice(2)}`)),
      );
    },
  };
  // One runtime at a time: the local runtime installs its platform process-wide.
  const variants: [string, string | undefined, boolean][] = [
    ['in-process, PostgreSQL', url, false],
  ];
  if (flag('api')) variants.push(['HTTP API (start, poll 5 ms), PostgreSQL', url, true]);
  if (flag('pglite')) variants.push(['in-process, PGlite in memory', undefined, false]);
  console.log(
    `HishamOS vs LangGraph.js — ${RUNS} paired runs + ${ROUNDS} paired rounds of ${CONCURRENCY} concurrent per workload, ${WARMUP} warm-up each; pg patched in ${patched} place(s)`,
  );
  console.log(`load average at start: ${load0.map((l) => l.toFixed(1)).join(' ')}`);
  const rows: string[] = [];
  const statuses: string[] = [];
  for (const [label, databaseUrl, api] of variants) {
    const side: HishamSide = await startHishamOS(root, databaseUrl, WORKLOADS);
    cleanup.push(() => side.close());
    const hisham: Side = {
      name: 'HishamOS',
      run: (w, n) => (api ? side.apiRuns(w, n, 5) : side.runs(w, n)),
      ...(api ? {} : { transitions: () => side.lastTransitions() }),
    };
    for (const w of WORKLOADS) {
      const r = await measure(hisham, langgraph, w);
      const h = r.get('HishamOS');
      const l = r.get('LangGraph.js');
      if (!h || !l) throw new Error('missing result');
      const steps = w.nodes.length;
      const ratios = h.perRun.map((x, i) => x / l.perRun[i]);
      // PGlite is not reached through `pg`, so its statements are not counted.
      const per = (xs: number[], counted: boolean) =>
        counted ? (median(xs) / steps).toFixed(1) : 'n/a';
      const fmt = (m: Measured, counted: boolean) =>
        `${median(m.perRun).toFixed(1)} | ${(median(m.perRun) / steps).toFixed(2)} | ${median(m.throughput).toFixed(1)} | ${median(m.cpuPerRun).toFixed(1)} | ${per(m.statementsPerRun, counted)} | ${per(m.roundTripsPerRun, counted)} | ${per(m.transactionsPerRun, counted)}`;
      rows.push(
        `| ${label} | ${w.label} | ${fmt(h, databaseUrl !== undefined)} | ${h.transitionsPerRun.length ? (median(h.transitionsPerRun) / steps).toFixed(1) : 'n/a'} | ${fmt(l, true)} | ${median(ratios).toFixed(2)}× | ${(median(h.throughput) / median(l.throughput)).toFixed(2)}× | ${(median(h.cpuPerRun) / median(l.cpuPerRun)).toFixed(2)}× |`,
      );
      console.log(rows[rows.length - 1]);
      if (api)
        console.log(
          '  (API statements include the polls, authentication and rate-limit bookkeeping)',
        );
    }
    if (flag('breakdown') && !api && databaseUrl) {
      // The statements of one sequential run of each workload, most frequent first.
      for (const [name, s] of [
        ['HishamOS', hisham],
        ['LangGraph.js', langgraph],
      ] as const) {
        setRecordShapes(true);
        await s.run(WORKLOADS[0].slug, 1);
        console.log(`statements of one ${WORKLOADS[0].label} run, ${name} (${label}):`);
        for (const [shape, n] of [...shapes].sort((x, y) => y[1] - x[1]))
          console.log(`  ${String(n).padStart(4)}  ${shape}`);
        setRecordShapes(false);
      }
    }
    statuses.push(`runs by status (${label}): ${JSON.stringify(await side.statuses())}`);
    await cleanup.pop()?.();
  }
  console.log('');
  console.log(
    '| HishamOS variant | workload | H ms/run | H ms/step | H runs/s @10 | H CPU ms/run @10 | H stmts/step | H round trips/step | H tx/step | H transitions/step | LG ms/run | LG ms/step | LG runs/s @10 | LG CPU ms/run @10 | LG stmts/step | LG round trips/step | LG tx/step | paired ratio H/LG (median) | throughput H/LG | CPU/run H/LG |',
  );
  console.log(`|${' --- |'.repeat(20)}`);
  for (const r of rows) console.log(r);
  for (const line of statuses) console.log(line);
  console.log(`LangGraph threads with checkpoints: ${await lg.threads()}`);
  console.log(
    `load average at end: ${loadavg()
      .map((l) => l.toFixed(1))
      .join(' ')}`,
  );
} catch (e) {
  console.error(e);
  process.exitCode = 1;
} finally {
  for (const close of cleanup.reverse()) await close().catch(() => undefined);
  await admin(`drop database if exists ${DB} with (force)`);
}
