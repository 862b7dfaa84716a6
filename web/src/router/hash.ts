/**
 * Hash routing (`#/runs/123?status=FAILED`): works from S3/CloudFront and any static host
 * without a server-side SPA fallback.
 */
import { markProgrammatic } from './leaveGuard';

export interface Location {
  /** Path without the `#`, always starting with `/`. */
  path: string;
  query: URLSearchParams;
  /** Path and query as one string, e.g. `/runs?status=FAILED`; what `next=` remembers. */
  href: string;
}

export function parseHash(hash: string): Location {
  const raw = hash.replace(/^#/, '') || '/';
  const withSlash = raw.startsWith('/') ? raw : `/${raw}`;
  const q = withSlash.indexOf('?');
  const path = q === -1 ? withSlash : withSlash.slice(0, q);
  const query = new URLSearchParams(q === -1 ? '' : withSlash.slice(q + 1));
  return { path: path.replace(/\/+$/, '') || '/', query, href: withSlash };
}

export function currentLocation(): Location {
  return parseHash(window.location.hash);
}

export function navigate(to: string, options: { replace?: boolean } = {}): void {
  const hash = `#${to.startsWith('/') ? to : `/${to}`}`;
  if (window.location.hash !== hash) markProgrammatic();
  if (options.replace) {
    window.history.replaceState(window.history.state, '', hash);
    window.dispatchEvent(new HashChangeEvent('hashchange'));
  } else if (window.location.hash !== hash) {
    window.location.hash = hash;
  }
}

/** Build `path?query` dropping empty values. */
export function withQuery(path: string, query: Record<string, string | undefined | null>): string {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v) params.set(k, v);
  const qs = params.toString();
  return qs ? `${path}?${qs}` : path;
}

/** Where sign-in should return to; only in-app paths are accepted. */
export function safeNext(next: string | null | undefined): string {
  if (!next?.startsWith('/') || next.startsWith('//') || next.startsWith('/sign-in'))
    return '/runs';
  return next;
}

export function signInPath(returnTo: string): string {
  return withQuery('/sign-in', { next: returnTo.startsWith('/sign-in') ? undefined : returnTo });
}

export interface Match {
  params: Record<string, string>;
}

/** Match `/runs/:id` style patterns. */
export function matchPath(pattern: string, path: string): Match | null {
  const p = pattern.split('/').filter(Boolean);
  const s = path.split('/').filter(Boolean);
  if (p.length !== s.length) return null;
  const params: Record<string, string> = {};
  for (let i = 0; i < p.length; i++) {
    if (p[i].startsWith(':')) params[p[i].slice(1)] = decodeURIComponent(s[i]);
    else if (p[i] !== s[i]) return null;
  }
  return { params };
}
