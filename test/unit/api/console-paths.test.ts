/** The console's calls (web/src/api/endpoints.ts) must each be a route of the route table. */
import { routeFor } from '../../support/contract';
import type { ApiClient } from '../../../web/src/api/client';
import { createApi } from '../../../web/src/api/endpoints';

type Call = { method: string; path: string };

function recordingClient(calls: Call[]): ApiClient {
  const record = (method: string) => async (path: string) => {
    calls.push({ method, path });
    return undefined;
  };
  const client = {
    get: record('GET'),
    post: record('POST'),
    put: record('PUT'),
    patch: record('PATCH'),
    delete: record('DELETE'),
    request: async (method: string, path: string) => {
      calls.push({ method, path });
      return undefined;
    },
    requestText: async (method: string, path: string) => {
      calls.push({ method, path });
      return '';
    },
    login: async () => calls.push({ method: 'POST', path: '/v1/auth/login' }),
    verifyMfa: async () => calls.push({ method: 'POST', path: '/v1/auth/mfa' }),
    acceptInvitation: async () => calls.push({ method: 'POST', path: '/v1/invitations/accept' }),
    logout: async () => calls.push({ method: 'POST', path: '/v1/auth/logout' }),
  };
  return client as unknown as ApiClient;
}

/** Every function anywhere in the endpoint tree, with its dotted name. */
function endpoints(tree: object, prefix = ''): Array<[string, (...args: unknown[]) => unknown]> {
  return Object.entries(tree).flatMap(([key, value]) => {
    const name = prefix ? `${prefix}.${key}` : key;
    if (typeof value === 'function') return [[name, value]] as const;
    if (value && typeof value === 'object' && key !== 'client') return endpoints(value, name);
    return [];
  });
}

describe('console endpoints', () => {
  it('call only routes that the route table declares', async () => {
    const calls: Call[] = [];
    const api = createApi(recordingClient(calls));
    const all = endpoints(api);

    for (const [, fn] of all) {
      try {
        await fn('id-1', 'id-2', {}, {});
      } catch {
        // Calls that need richer arguments still record their request before failing.
      }
    }

    expect(all.length).toBeGreaterThan(40);
    const unknown = calls.filter((c) => !routeFor(c.method, c.path));
    expect(unknown).toEqual([]);
    expect(calls.length).toBeGreaterThanOrEqual(all.length - 2);
  });
});
