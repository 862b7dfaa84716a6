/**
 * GitHub and Jira failures as the error names the RunToolStep ASL Retry matches: throttling and
 * 5xx/network failures are retried by Step Functions, everything else fails the step at once.
 * Messages carry the status and the service's own message, never a request header.
 */
import {
  InvalidRequest,
  NotFound,
  ProviderAuthError,
  ProviderThrottled,
  ProviderUnavailable,
} from '../errors';

export function classifyHttpFailure(
  service: string,
  status: number | undefined,
  headers: Record<string, string | undefined>,
  message: string,
  cause?: unknown,
): Error {
  const text = `${service}: ${status ?? 'network error'}${message ? `: ${message.slice(0, 300)}` : ''}`;
  if (status === undefined || status === 0) return new ProviderUnavailable(text, { cause });
  const rateLimited =
    status === 429 ||
    (status === 403 && (headers['x-ratelimit-remaining'] === '0' || /rate limit/i.test(message)));
  if (rateLimited) return new ProviderThrottled(text, retryAfterMs(headers), { cause });
  if (status >= 500) return new ProviderUnavailable(text, { cause });
  if (status === 401 || status === 403) return new ProviderAuthError(text, { cause });
  if (status === 404) return new NotFound(text, { cause });
  return new InvalidRequest(text, { cause });
}

function retryAfterMs(headers: Record<string, string | undefined>): number | undefined {
  const after = headers['retry-after'];
  if (after && /^\d+$/.test(after)) return Number(after) * 1000;
  const reset = headers['x-ratelimit-reset'];
  if (reset && /^\d+$/.test(reset)) return Math.max(0, Number(reset) * 1000 - Date.now());
  return undefined;
}
