import { useSyncExternalStore } from 'react';
import { parseHash, type Location } from './hash';
import { allowHashChange } from './leaveGuard';

let cachedHash: string | null = null;
let cached: Location = parseHash('');

function subscribe(onChange: () => void): () => void {
  // The first listener to see a change decides (and updates the cache); later ones see no change.
  const listener = () => {
    if (allowHashChange(cachedHash)) onChange();
  };
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

function snapshot(): Location {
  if (window.location.hash !== cachedHash) {
    cachedHash = window.location.hash;
    cached = parseHash(cachedHash);
  }
  return cached;
}

/** The current hash location; re-renders on navigation. */
export function useLocation(): Location {
  return useSyncExternalStore(subscribe, snapshot, snapshot);
}
