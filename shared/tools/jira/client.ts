/**
 * A minimal Jira Cloud REST v2 client over fetch: basic auth (email + API token), JSON in and out,
 * failures mapped to the error names RunToolStep's ASL Retry matches.
 */
import { guardedFetch } from '../../net/outbound';
import type { TriggerCredentials } from '../../api/contracts/triggers';
import { InvalidRequest } from '../../errors';
import { classifyHttpFailure } from '../http-errors';

export class JiraClient {
  private readonly authorization: string;

  constructor(
    private readonly baseUrl: string,
    credentials: TriggerCredentials,
    private readonly timeoutMs = 20_000,
  ) {
    if (credentials.type !== 'basic')
      throw new InvalidRequest('Jira needs basic credentials (email + API token)');
    this.authorization = `Basic ${Buffer.from(`${credentials.email}:${credentials.apiToken}`).toString('base64')}`;
  }

  async request<T>(method: string, path: string, body?: unknown): Promise<T> {
    let res: Response;
    try {
      res = await guardedFetch(`${this.baseUrl.replace(/\/$/, '')}${path}`, {
        method,
        headers: {
          authorization: this.authorization,
          accept: 'application/json',
          ...(body !== undefined ? { 'content-type': 'application/json' } : {}),
          'user-agent': 'HishamOS-automation',
        },
        body: body !== undefined ? JSON.stringify(body) : undefined,
        signal: AbortSignal.timeout(this.timeoutMs),
      });
    } catch (cause) {
      throw classifyHttpFailure(
        'Jira',
        undefined,
        {},
        (cause as Error).name === 'TimeoutError' ? 'timed out' : 'connection failed',
        cause,
      );
    }
    const text = await res.text();
    if (!res.ok) {
      const headers = Object.fromEntries(res.headers.entries());
      throw classifyHttpFailure('Jira', res.status, headers, jiraMessage(text));
    }
    return (text ? JSON.parse(text) : undefined) as T;
  }
}

/** Jira errors: `{errorMessages: [...], errors: {field: msg}}`. */
function jiraMessage(text: string): string {
  try {
    const body = JSON.parse(text) as { errorMessages?: string[]; errors?: Record<string, string> };
    return [
      ...(body.errorMessages ?? []),
      ...Object.entries(body.errors ?? {}).map(([k, v]) => `${k}: ${v}`),
    ].join('; ');
  } catch {
    return '';
  }
}
