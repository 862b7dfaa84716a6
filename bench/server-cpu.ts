/**
 * Both sides of the wire: HishamOS vs LangGraph.js at 10 concurrent runs on the same PostgreSQL,
 * each workload, reporting this process's CPU and PostgreSQL's own (every `postgres` process on
 * the machine, read from /proc: run it on a quiet server) per run. `bench/vs-langgraph.ts` counts
 * the process only; on two cores the database's share decides throughput as much.
 *
 *   npx tsx bench/server-cpu.ts [rounds=2] [--url=postgres://…] [workload slug…]
 *
 * Each round is 100 runs per side (10 batches of 10 concurrent), after 30 warm-up runs; the sides
 * alternate. Linux only. Creates and drops database hishamos_bench_cpu_<pid>.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import pg from 'pg';
import { startHishamOS } from './vs-langgraph/hishamos';
import { startLangGraph } from './vs-langgraph/langgraph';
import { adminStatement } from './vs-langgraph/server-admin';
import { WORKLOADS } from './vs-langgraph/workloads';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const args = process.argv.slice(2);
const positional = args.filter((a) => !a.startsWith('--'));
const rounds = Number(positional.find((a) => /^\d+$/.test(a)) ?? 2);
const only = positional.filter((a) => !/^\d+$/.test(a));
const base =
  args.find((a) => a.startsWith('--url='))?.slice(6) ?? 'postgres://postgres@127.0.0.1:5432/test';
const DB = `hishamos_bench_cpu_${process.pid}`;
const RUNS = 100;
const CONCURRENCY = 10;
const WARMUP = 30;
// USER_HZ, the unit of /proc/<pid>/stat's utime and stime: 100 on every Linux architecture.
const TICKS_PER_SECOND = 100;

/** CPU milliseconds used so far by every process named `postgres` (exited ones are not counted). */
function postgresCpuMs(): number {
  let ticks = 0;
  for (const pid of readdirSync('/proc')) {
    if (!/^\d+$/.test(pid)) continue;
    let stat: string;
    try {
      stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    } catch {
      continue; // the process ended while listing
    }
    if (!stat.includes('(postgres)')) continue;
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    ticks += Number(fields[11]) + Number(fields[12]);
  }
  return (ticks * 1000) / TICKS_PER_SECOND;
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

await adminStatement(base, `drop database if exists ${DB}`);
await adminStatement(base, `create database ${DB}`);
const url = (() => {
  const u = new URL(base);
  u.pathname = `/${DB}`;
  return u.toString();
})();
const setup = new pg.Client({ connectionString: url });
await setup.connect();
await setup.query('create schema if not exists langgraph');
await setup.end();
const lg = await startLangGraph(url, WORKLOADS);
const hisham = await startHishamOS(resolve(import.meta.dirname, '..'), url, WORKLOADS);
const sides: [string, (workload: string, n: number) => Promise<unknown>][] = [
  ['HishamOS', (w, n) => hisham.runs(w, n)],
  [
    'LangGraph.js',
    (w, n) =>
      Promise.all(Array.from({ length: n }, () => lg.run(w, `cpu-${Math.random().toString(36)}`))),
  ],
];
try {
  console.log(
    `| workload | side | ms/run @${CONCURRENCY} | process CPU ms/run | PostgreSQL CPU ms/run | both |`,
  );
  console.log('| --- | --- | ---: | ---: | ---: | ---: |');
  for (const workload of WORKLOADS.filter((w) => !only.length || only.includes(w.slug))) {
    for (const [, run] of sides)
      for (let i = 0; i < WARMUP / CONCURRENCY; i++) await run(workload.slug, CONCURRENCY);
    const figures = new Map(
      sides.map(([name]) => [
        name,
        { wall: [] as number[], own: [] as number[], server: [] as number[] },
      ]),
    );
    for (let round = 0; round < rounds; round++)
      for (const [name, run] of round % 2 ? [...sides].reverse() : sides) {
        const server0 = postgresCpuMs();
        const own0 = process.cpuUsage();
        const t0 = performance.now();
        for (let i = 0; i < RUNS / CONCURRENCY; i++) await run(workload.slug, CONCURRENCY);
        const wall = performance.now() - t0;
        const own = process.cpuUsage(own0);
        const f = figures.get(name);
        f?.wall.push(wall / RUNS);
        f?.own.push((own.user + own.system) / 1000 / RUNS);
        f?.server.push((postgresCpuMs() - server0) / RUNS);
      }
    for (const [name, f] of figures) {
      const [wall, own, server] = [median(f.wall), median(f.own), median(f.server)];
      console.log(
        `| ${workload.label} | ${name} | ${wall.toFixed(1)} | ${own.toFixed(1)} | ${server.toFixed(1)} | ${(own + server).toFixed(1)} |`,
      );
    }
  }
} finally {
  await hisham.close();
  await lg.close();
  await adminStatement(base, `drop database if exists ${DB}`);
}
process.exit(0);
