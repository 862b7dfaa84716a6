import { useState } from 'react';

/**
 * A page's write actions: `guard(fn)` clears the last error, runs `fn`, then `after` (typically
 * reloading the list), and keeps the error to show if either throws.
 */
export function useGuard(after?: () => Promise<unknown>): {
  error: unknown;
  guard: (fn: () => Promise<unknown>) => Promise<void>;
} {
  const [error, setError] = useState<unknown>(null);
  const guard = async (fn: () => Promise<unknown>) => {
    setError(null);
    try {
      await fn();
      await after?.();
    } catch (err) {
      setError(err);
    }
  };
  return { error, guard };
}
