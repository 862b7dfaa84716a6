import { useEffect, useRef } from 'react';

/**
 * Call `tick` every `intervalMs` while `active`. Ticks never overlap: the next one is scheduled
 * when the previous one settles. Stops as soon as `active` turns false or the component unmounts.
 */
export function usePolling(
  tick: (signal: AbortSignal) => Promise<unknown>,
  intervalMs: number,
  active: boolean,
): void {
  const tickRef = useRef(tick);
  tickRef.current = tick;

  useEffect(() => {
    if (!active) return;
    const controller = new AbortController();
    let timer: ReturnType<typeof setTimeout> | undefined;
    const loop = () => {
      timer = setTimeout(async () => {
        try {
          await tickRef.current(controller.signal);
        } catch {
          // The page shows the error from its own state; polling carries on.
        }
        if (!controller.signal.aborted) loop();
      }, intervalMs);
    };
    loop();
    return () => {
      controller.abort();
      if (timer !== undefined) clearTimeout(timer);
    };
  }, [intervalMs, active]);
}
