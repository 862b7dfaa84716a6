/**
 * A run's timeline as a live sequence: every event after a cursor, in seq order, then new ones as
 * they commit, until the run reaches a terminal status and its last event has been delivered.
 * Transport-free: the SSE handler (and anything else) turns the items into bytes.
 */
import type { AuthContext } from '../auth/context';
import type { Platform } from '../platform/platform';
import { awaitEventWriters, listEvents } from './events';
import { loadRunRow } from './run-store';
import { isTerminalRun } from './run-status';

export type RunEventItem = Awaited<ReturnType<typeof listEvents>>['items'][number];

export type StreamItem =
  | { kind: 'event'; event: RunEventItem }
  | { kind: 'heartbeat' }
  /** The stream stops before its deadline; the client reconnects with the last seq. */
  | { kind: 'deadline' }
  | { kind: 'end'; status: string };

export interface StreamOptions {
  after: number;
  /** How often the database is read while nothing arrives. */
  pollMs: number;
  /** A comment line at least this often keeps proxies from closing an idle connection. */
  heartbeatMs: number;
  /** Stop (with a `deadline` item) when this returns true: the Lambda timeout is near. */
  nearDeadline: () => boolean;
  signal: AbortSignal;
  /** Waits between polls; injectable so tests need no timers. */
  sleep?: (ms: number, signal: AbortSignal) => Promise<void>;
}

const PAGE = 500;

/** Checks the run exists for this tenant (NotFound otherwise, before any byte is sent), then streams. */
export async function openRunEventStream(
  p: Platform,
  auth: AuthContext,
  runId: string,
  o: StreamOptions,
): Promise<AsyncGenerator<StreamItem>> {
  await p.db.withTenant(auth, (tx) => loadRunRow(tx, auth.tenantId, runId));
  return runEventStream(p, auth, runId, o);
}

async function* runEventStream(
  p: Platform,
  auth: AuthContext,
  runId: string,
  o: StreamOptions,
): AsyncGenerator<StreamItem> {
  const sleep = o.sleep ?? abortableSleep;
  let cursor = o.after;
  let lastWrite = Date.now();
  while (!o.signal.aborted) {
    // Status first, then events: the terminal event commits with the status, so a terminal status
    // read here guarantees that the events read next include it. The same statement waits for the
    // run's event writers in flight, so the page skips none (ADR 177).
    const { status, page } = await p.db.withTenant(auth, async (tx) => {
      const status = await awaitEventWriters(tx, runId);
      return {
        status: status ?? 'CANCELLED',
        page: await listEvents(tx, runId, cursor, PAGE, { writersAwaited: true }),
      };
    });
    for (const event of page.items) {
      yield { kind: 'event', event };
      cursor = event.seq;
      lastWrite = Date.now();
    }
    if (page.items.length === PAGE) continue;
    if (isTerminalRun(status)) {
      yield { kind: 'end', status };
      return;
    }
    if (o.nearDeadline()) {
      yield { kind: 'deadline' };
      return;
    }
    if (Date.now() - lastWrite >= o.heartbeatMs) {
      yield { kind: 'heartbeat' };
      lastWrite = Date.now();
    }
    await sleep(o.pollMs, o.signal);
  }
}

function abortableSleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
