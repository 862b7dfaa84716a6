/** Runtime configuration: written at deploy time next to index.html, so one build serves every stage. */
export interface RuntimeConfig {
  /** Base URL of the API; empty means the same origin as the console. */
  apiUrl: string;
  /** Base URL of the streamed routes (run events); empty means the API's. */
  streamUrl?: string;
}

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<RuntimeConfig> {
  try {
    // Relative on purpose: the console may live under a path prefix on CloudFront.
    const res = await fetcher('config.json', { cache: 'no-store' });
    if (!res.ok) return { apiUrl: '' };
    const body = (await res.json()) as { apiUrl?: unknown; streamUrl?: unknown };
    const clean = (v: unknown) => (typeof v === 'string' ? v.replace(/\/+$/, '') : '');
    return { apiUrl: clean(body.apiUrl), streamUrl: clean(body.streamUrl) };
  } catch {
    return { apiUrl: '' };
  }
}
