/**
 * Where a HishamOS run's time goes, one workload in one process on PostgreSQL: N sequential runs
 * after 10 warm-up runs; every `pg` query is timed from call to answer and grouped by statement
 * (most time first); `--cpu-prof=<file>` also writes a V8 CPU profile of the timed runs (open it in
 * Chrome DevTools) and prints where its busy time goes (bench/cpu-profile-summary.ts).
 * `--server-log` sets `log_min_duration_statement = 0` on the bench's database, so PostgreSQL's
 * own parse / bind / execute durations land in the server log.
 *
 *   npx tsx bench/engine-profile.ts [workload=bench-chain-10] [runs=50] [--cpu-prof=…] [--server-log]
 */
import { writeFileSync } from 'node:fs';
import { Session } from 'node:inspector/promises';
import { resolve } from 'node:path';
import pg from 'pg';
import { summarize } from './cpu-profile-summary';
import { startHishamOS } from './vs-langgraph/hishamos';
import { pipelined } from './vs-langgraph/pg-count';
import { adminStatement } from './vs-langgraph/server-admin';
import { WORKLOADS } from './vs-langgraph/workloads';

process.env.AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED = 'true';
const args = process.argv.slice(2);
const positional = args.filter((a) => !a.startsWith('--'));
const workload = positional[0] ?? 'bench-chain-10';
const RUNS = Number(positional[1] ?? 50);
const cpuProfile = args.find((a) => a.startsWith('--cpu-prof='))?.slice('--cpu-prof='.length);
const serverLog = args.includes('--server-log');
const BASE = 'postgres://postgres@127.0.0.1:5432/test';
const DB = `hishamos_profile_${process.pid}`;

const byStatement = new Map<string, { calls: number; ms: number }>();
let timing = false;
type QueryFn = (this: unknown, ...args: unknown[]) => unknown;
const original = pg.Client.prototype.query as unknown as QueryFn;
(pg.Client.prototype as unknown as { query: QueryFn }).query = function (...args) {
  const first = args[0];
  const text =
    typeof first === 'string' ? first : String((first as { text?: unknown })?.text ?? '');
  const t0 = performance.now();
  const answer = original.apply(this, args);
  // A framed query (pg-scope-framing.ts) is a submittable: pg answers through its events.
  if (timing && isEmitter(answer) && answer === first)
    answer.once('end', () => {
      const { prefix, suffix } = pipelined(first);
      const key = `[${prefix.length} ahead, ${suffix.length} after] ${text.replace(/\s+/g, ' ').trim().slice(0, 70)}`;
      const s = byStatement.get(key) ?? { calls: 0, ms: 0 };
      s.calls++;
      s.ms += performance.now() - t0;
      byStatement.set(key, s);
    });
  if (timing && answer instanceof Promise) {
    const key = text.replace(/\s+/g, ' ').trim().slice(0, 80);
    answer.then(
      () => {
        const s = byStatement.get(key) ?? { calls: 0, ms: 0 };
        s.calls++;
        s.ms += performance.now() - t0;
        byStatement.set(key, s);
      },
      () => undefined,
    );
  }
  return answer;
};

function isEmitter(value: unknown): value is { once(event: string, fn: () => void): void } {
  return (
    typeof value === 'object' && value !== null && typeof Reflect.get(value, 'once') === 'function'
  );
}

const admin = (statement: string) => adminStatement(BASE, statement);

await admin(`create database ${DB}`);
if (serverLog) await admin(`alter database ${DB} set log_min_duration_statement = 0`);
const url = new URL(BASE);
url.pathname = `/${DB}`;
const side = await startHishamOS(resolve(import.meta.dirname, '..'), url.toString(), WORKLOADS);
try {
  for (let i = 0; i < 10; i++) await side.runs(workload, 1);
  const session = new Session();
  if (cpuProfile) {
    session.connect();
    await session.post('Profiler.enable');
    await session.post('Profiler.setSamplingInterval', { interval: 200 });
    await session.post('Profiler.start');
  }
  timing = true;
  const t0 = performance.now();
  for (let i = 0; i < RUNS; i++) await side.runs(workload, 1);
  const ms = performance.now() - t0;
  timing = false;
  if (cpuProfile) {
    const { profile } = await session.post('Profiler.stop');
    writeFileSync(cpuProfile, JSON.stringify(profile));
    console.log(summarize(profile, 15));
  }
  const all = [...byStatement.values()];
  const calls = all.reduce((n, s) => n + s.calls, 0);
  const inPg = all.reduce((n, s) => n + s.ms, 0);
  console.log(
    `${workload}: ${(ms / RUNS).toFixed(1)} ms/run; ${(calls / RUNS).toFixed(1)} statements/run, ` +
      `${(inPg / RUNS).toFixed(1)} ms/run from query to answer`,
  );
  console.log('ms/run  calls/run  ms/call  statement');
  for (const [text, s] of [...byStatement].sort((a, b) => b[1].ms - a[1].ms).slice(0, 25))
    console.log(
      `${(s.ms / RUNS).toFixed(2).padStart(6)}  ${(s.calls / RUNS).toFixed(1).padStart(9)}  ${(s.ms / s.calls).toFixed(3).padStart(7)}  ${text}`,
    );
  console.log('runs by status:', JSON.stringify(await side.statuses()));
  // Updates done in place (HOT) keep the table's indexes untouched; an indexed column that changes
  // (or one in a partial index's predicate) makes every update of the row write every index.
  await new Promise((r) => setTimeout(r, 1500)); // the backends report their counts within a second
  const stats = new pg.Client({ connectionString: url.toString() });
  await stats.connect();
  const { rows } = await stats.query(
    `select relname, n_tup_upd, n_tup_hot_upd from pg_stat_user_tables
     where relname in ('runs', 'run_steps', 'usage_records') order by relname`,
  );
  await stats.end();
  for (const r of rows)
    console.log(`${r.relname}: ${r.n_tup_hot_upd} of ${r.n_tup_upd} updates in place (HOT)`);
} finally {
  await side.close();
  await admin(`drop database ${DB} with (force)`);
}
