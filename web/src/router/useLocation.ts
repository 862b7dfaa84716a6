import { useSyncExternalStore } from 'react';
import { parseHash, type Location } from './hash';

let cachedHash: string | null = null;
let cached: Location = parseHash('');

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
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
