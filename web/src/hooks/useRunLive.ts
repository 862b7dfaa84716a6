import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api } from '../api/endpoints';
import { ApiError } from '../api/errors';
import { readSse } from '../api/sse';
import type { Run, RunEvent } from '../api/types';
import { isTerminal } from '../dag/status';
import { usePolling } from './usePolling';

export const RUN_POLL_MS = 1000;
/** Reconnection delays after a dropped stream; after the last one the page falls back to polling. */
const RECONNECT_MS = [500, 1000, 2000, 4000, 8000];
/** Step and run events re-read the run (statuses, outputs, costs) at most this often. */
export const RUN_READ_MIN_MS = 1000;

export interface RunLive {
  run: Run | undefined;
  events: RunEvent[];
  error: unknown;
  /** True while the run can still change and the page follows it. */
  live: boolean;
  /** How the page follows the run: the event stream, or polling when the stream is unavailable. */
  mode: 'stream' | 'polling';
  refresh: () => Promise<void>;
}

/**
 * A run and its timeline, kept current. The page reads `GET /v1/runs/{id}/stream` (Server-Sent
 * Events, resumed after a dropped connection from the last seq) and re-reads the run when a step or
 * the run changes. Only when the stream is unavailable does it poll `GET /v1/runs/{id}` and
 * `/events?after=` every `intervalMs`; either way it stops after the terminal event.
 */
export function useRunLive(api: Api, runId: string, intervalMs = RUN_POLL_MS): RunLive {
  const [run, setRun] = useState<Run | undefined>();
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const [mode, setMode] = useState<'stream' | 'polling'>('stream');
  const [streamEnded, setStreamEnded] = useState(false);
  const after = useRef(0);
  /** The run reached a terminal status: no further poll, even one already scheduled. */
  const settled = useRef(false);

  const append = useCallback((items: RunEvent[]) => {
    const fresh = items.filter((e) => e.seq > after.current);
    if (!fresh.length) return;
    after.current = fresh[fresh.length - 1].seq;
    setEvents((prev) => [...prev, ...fresh]);
  }, []);

  const tick = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const next = await api.runs.get(runId, signal);
        if (signal?.aborted) return;
        // Events before the run: a terminal status stops polling (and aborts this signal), so
        // the events that led to it must be in hand before the status is shown.
        const page = await api.runs.events(runId, after.current, signal);
        if (signal?.aborted) return;
        append(page.items);
        settled.current = isTerminal(next.status);
        setRun(next);
        setError(null);
      } catch (err) {
        if (!signal?.aborted) setError(err);
      }
    },
    [api, runId, append],
  );

  useEffect(() => {
    after.current = 0;
    settled.current = false;
    setRun(undefined);
    setEvents([]);
    setError(null);
    setMode('stream');
    setStreamEnded(false);
    const controller = new AbortController();
    const { signal } = controller;

    // Re-reads of the run, coalesced: at most one in flight and one queued behind it.
    let reading: Promise<void> | null = null;
    let again = false;
    const readRun = (): Promise<void> => {
      if (reading) {
        again = true;
        return reading;
      }
      reading = (async () => {
        do {
          again = false;
          try {
            const next = await api.runs.get(runId, signal);
            if (!signal.aborted) setRun(next);
          } catch (err) {
            if (!signal.aborted) setError(err);
          }
        } while (again && !signal.aborted);
        reading = null;
      })();
      return reading;
    };

    const markRunning = (nodeId: string) =>
      setRun((prev) =>
        prev
          ? {
              ...prev,
              status: prev.status === 'QUEUED' ? 'RUNNING' : prev.status,
              steps: prev.steps.map((st) =>
                st.nodeId === nodeId && st.status === 'PENDING' ? { ...st, status: 'RUNNING' } : st,
              ),
            }
          : prev,
      );
    // Bursts of events (a step ends, the next starts) cost one read, at most one per second.
    let lastRead = 0;
    let readTimer: ReturnType<typeof setTimeout> | undefined;
    const scheduleRead = () => {
      if (readTimer !== undefined) return;
      readTimer = setTimeout(
        () => {
          readTimer = undefined;
          lastRead = Date.now();
          void readRun();
        },
        Math.max(0, lastRead + RUN_READ_MIN_MS - Date.now()),
      );
    };

    const follow = async () => {
      let failures = 0;
      let opened = false;
      while (!signal.aborted) {
        let ended = false;
        try {
          const res = await api.runs.stream(runId, after.current, signal);
          if (!opened) {
            lastRead = Date.now();
            void readRun();
          }
          opened = true;
          failures = 0;
          await readSse(
            res.body as ReadableStream<Uint8Array>,
            (message) => {
              if (message.event === 'end') {
                ended = true;
                return;
              }
              if (!message.id) return;
              const event = JSON.parse(message.data) as RunEvent;
              append([event]);
              // A step that starts only changes its status: shown at once, without a read.
              // Finished steps bring outputs, tokens and costs: those re-read the run.
              if (event.type === 'step.started' && event.nodeId) markRunning(event.nodeId);
              // Partial output (ADR 142) is in the event itself: no read.
              else if (/^(run|step)\./.test(event.type) && event.type !== 'step.output_delta')
                scheduleRead();
            },
            signal,
          );
        } catch (err) {
          if (signal.aborted) return;
          // No stream on this server (or it refuses this client): poll instead.
          if (!opened || (err instanceof ApiError && (err.unavailable || err.status === 0))) {
            setMode('polling');
            return;
          }
          failures++;
        }
        if (ended) {
          // The terminal event is in; the run's final state is one read away.
          clearTimeout(readTimer);
          readTimer = undefined;
          await readRun();
          setStreamEnded(true);
          return;
        }
        if (failures >= RECONNECT_MS.length) {
          setMode('polling');
          return;
        }
        await new Promise((r) => setTimeout(r, RECONNECT_MS[failures] ?? 500));
      }
    };
    void follow();
    return () => {
      controller.abort();
      clearTimeout(readTimer);
    };
  }, [api, runId, append]);

  // Polling only as the fallback: its first tick runs at once, then every `intervalMs`.
  const polling = mode === 'polling';
  useEffect(() => {
    if (polling) void tick();
  }, [polling, tick]);
  const live = run !== undefined && !isTerminal(run.status) && !streamEnded;
  const pollTick = useCallback(
    (signal: AbortSignal) => (settled.current ? Promise.resolve() : tick(signal)),
    [tick],
  );
  usePolling(pollTick, intervalMs, polling && live);

  return { run, events, error, live, mode, refresh: () => (polling ? tick() : tickRun()) };

  async function tickRun() {
    try {
      setRun(await api.runs.get(runId));
    } catch (err) {
      setError(err);
    }
  }
}
