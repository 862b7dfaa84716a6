/** Runtime configuration: written at deploy time next to index.html, so one build serves every stage. */
export interface RuntimeConfig {
  /** Base URL of the API; empty means the same origin as the console. */
  apiUrl: string;
}

export async function loadConfig(fetcher: typeof fetch = fetch): Promise<RuntimeConfig> {
  try {
    // Relative on purpose: the console may live under a path prefix on CloudFront.
    const res = await fetcher('config.json', { cache: 'no-store' });
    if (!res.ok) return { apiUrl: '' };
    const body = (await res.json()) as { apiUrl?: unknown };
    return { apiUrl: typeof body.apiUrl === 'string' ? body.apiUrl.replace(/\/+$/, '') : '' };
  } catch {
    return { apiUrl: '' };
  }
}
