import { useCallback, useEffect, useState } from 'react';
import { useApi } from '../session/ApiContext';
import { usePolling } from './usePolling';

/** Fired after the console decides an approval, so the nav badge counts again at once. */
export const APPROVALS_CHANGED = 'hishamos:approvals-changed';

export function announceApprovalsChanged(): void {
  window.dispatchEvent(new Event(APPROVALS_CHANGED));
}

/** How many approvals wait (`more` when beyond the first page), refreshed every 20 s. */
export function useWaitingApprovalCount(): { count: number; more: boolean } | undefined {
  const api = useApi();
  const [state, setState] = useState<{ count: number; more: boolean }>();
  const load = useCallback(
    async (signal?: AbortSignal) => {
      const page = await api.approvals.waiting(undefined, signal);
      setState({ count: page.items.length, more: page.nextCursor !== undefined });
    },
    [api],
  );
  useEffect(() => {
    load().catch(() => setState(undefined));
    const again = () => void load().catch(() => undefined);
    window.addEventListener(APPROVALS_CHANGED, again);
    return () => window.removeEventListener(APPROVALS_CHANGED, again);
  }, [load]);
  usePolling(load, 20_000, true);
  return state;
}
