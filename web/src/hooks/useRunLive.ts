import { useCallback, useEffect, useRef, useState } from 'react';
import type { Api } from '../api/endpoints';
import type { Run, RunEvent } from '../api/types';
import { isTerminal } from '../dag/status';
import { usePolling } from './usePolling';

export const RUN_POLL_MS = 1000;

export interface RunLive {
  run: Run | undefined;
  events: RunEvent[];
  error: unknown;
  /** True while the run can still change and the page is polling. */
  live: boolean;
  refresh: () => Promise<void>;
}

/**
 * A run and its timeline, kept current: `GET /v1/runs/{id}` then `GET /v1/runs/{id}/events?after=`
 * every second while the run is QUEUED, RUNNING or WAITING; polling stops at a terminal status
 * (the tick that sees it still fetches the last events).
 */
export function useRunLive(api: Api, runId: string, intervalMs = RUN_POLL_MS): RunLive {
  const [run, setRun] = useState<Run | undefined>();
  const [events, setEvents] = useState<RunEvent[]>([]);
  const [error, setError] = useState<unknown>(null);
  const after = useRef(0);

  const tick = useCallback(
    async (signal?: AbortSignal) => {
      try {
        const next = await api.runs.get(runId, signal);
        if (signal?.aborted) return;
        setRun(next);
        const page = await api.runs.events(runId, after.current, signal);
        if (signal?.aborted) return;
        if (page.items.length > 0) {
          const seen = after.current;
          setEvents((prev) => [...prev, ...page.items.filter((e) => e.seq > seen)]);
        }
        after.current = Math.max(after.current, page.nextAfter ?? after.current);
        setError(null);
      } catch (err) {
        if (!signal?.aborted) setError(err);
      }
    },
    [api, runId],
  );

  useEffect(() => {
    after.current = 0;
    setRun(undefined);
    setEvents([]);
    setError(null);
    void tick();
  }, [tick]);

  const live = run !== undefined && !isTerminal(run.status);
  usePolling(tick, intervalMs, live);

  return { run, events, error, live, refresh: () => tick() };
}
