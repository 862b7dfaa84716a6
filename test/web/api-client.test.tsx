/** @jest-environment jsdom */
import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';
import { ApiError } from '../../web/src/api/errors';
import { App } from '../../web/src/App';
import { apiWith, error, memoryStorage, tokens, type Call } from './support';

const me = {
  user: { id: '7d0b0d52-4f4e-4a43-9c61-2b6f0e0f7a11', email: 'dev@example.com', name: null },
  tenant: { id: '9a1f7a52-4f4e-4a43-9c61-2b6f0e0f7a11', slug: 'demo', name: 'Demo' },
  role: 'dev',
  via: 'token',
};

describe('ApiClient refresh', () => {
  it('shares one refresh between concurrent requests that get 401', async () => {
    // Prepare: access-1 has expired on the server; the refresh answers slowly so all three requests wait on it.
    let refreshes = 0;
    const { api, calls, client } = apiWith(async (call) => {
      if (call.path === '/v1/auth/refresh') {
        refreshes++;
        await new Promise((r) => setTimeout(r, 20));
        return { status: 200, body: tokens(2) };
      }
      return call.auth === 'Bearer access-2'
        ? { status: 200, body: { items: [] } }
        : error(401, 'Unauthorized', 'expired');
    });
    client.tokens.set('access-1', 'refresh-token-1-00000000000', 1800);

    // Act
    const results = await Promise.all([api.agents.list(), api.workflows.list(), api.runs.list()]);

    // Assess
    expect(results).toHaveLength(3);
    expect(refreshes).toBe(1);
    expect(calls.filter((c) => c.path === '/v1/auth/refresh')[0].body).toEqual({
      refreshToken: 'refresh-token-1-00000000000',
    });
    expect(client.tokens.refreshToken).toBe(tokens(2).refreshToken);
    const retried = calls.filter(
      (c) => c.path !== '/v1/auth/refresh' && c.auth === 'Bearer access-2',
    );
    expect(retried.map((c) => c.path).sort()).toEqual(['/v1/agents', '/v1/runs', '/v1/workflows']);
  });

  it('retries with the new token, without refreshing again, when another request already refreshed', async () => {
    let refreshes = 0;
    let release!: () => void;
    const gate = new Promise<void>((r) => (release = r));
    const { api, client } = apiWith(async (call: Call) => {
      if (call.path === '/v1/auth/refresh') {
        refreshes++;
        return { status: 200, body: tokens(2) };
      }
      if (call.path === '/v1/runs' && call.auth === 'Bearer access-1') {
        await gate; // answers 401 only after the other request has refreshed
        return error(401, 'Unauthorized', 'expired');
      }
      return call.auth === 'Bearer access-2'
        ? { status: 200, body: { items: [] } }
        : error(401, 'Unauthorized', 'expired');
    });
    client.tokens.set('access-1', 'refresh-token-1-00000000000', 1800);

    const slow = api.runs.list();
    await api.agents.list();
    release();
    await slow;

    expect(refreshes).toBe(1);
  });

  it('ends the session once when the refresh token is refused', async () => {
    let expiredCalls = 0;
    const expired = () => void expiredCalls++;
    const storage = memoryStorage({ 'hishamos.refreshToken': 'refresh-token-reused-000000' });
    const { api, client } = apiWith(
      (call) =>
        call.path === '/v1/auth/refresh'
          ? error(401, 'Unauthorized', 'refresh token reused')
          : error(401, 'Unauthorized', 'no token'),
      storage,
    );
    client.onSessionExpired = expired;

    const outcomes = await Promise.allSettled([api.agents.list(), api.workflows.list()]);

    expect(
      outcomes.every(
        (o) =>
          o.status === 'rejected' &&
          o.reason instanceof ApiError &&
          o.reason.code === 'SessionExpired',
      ),
    ).toBe(true);
    expect(expiredCalls).toBe(1);
    expect(storage.map.has('hishamos.refreshToken')).toBe(false);
  });

  it('refreshes before the first request after a reload (the access token lives in memory only)', async () => {
    const { api, calls } = apiWith((call) =>
      call.path === '/v1/auth/refresh'
        ? { status: 200, body: tokens(5) }
        : { status: 200, body: me },
    );

    await api.auth.me();

    expect(calls.map((c) => `${c.method} ${c.path} ${c.auth ?? '-'}`)).toEqual([
      'POST /v1/auth/refresh -',
      'GET /v1/me Bearer access-5',
    ]);
  });

  it('signs out through /v1/auth/logout with the refresh token and forgets it', async () => {
    const storage = memoryStorage({ 'hishamos.refreshToken': 'refresh-token-9-00000000000' });
    const { api, calls } = apiWith(() => ({ status: 204 }), storage);

    await api.auth.logout();

    expect(calls).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v1/auth/logout',
        body: { refreshToken: 'refresh-token-9-00000000000' },
      }),
    ]);
    expect(storage.map.size).toBe(0);
  });
});

describe('session expiry in the app', () => {
  afterEach(() => {
    window.location.hash = '';
  });

  it('sends an expired session to sign-in, remembering the page, and returns there after signing in', async () => {
    // Prepare: the stored refresh token was revoked; the user was on a filtered runs list.
    window.location.hash = '#/runs?status=FAILED';
    let signedIn = false;
    const { api } = apiWith((call) => {
      if (call.path === '/v1/auth/refresh') return error(401, 'Unauthorized', 'revoked');
      if (call.path === '/v1/auth/login') {
        signedIn = true;
        return { status: 200, body: tokens(3) };
      }
      if (!signedIn) return error(401, 'Unauthorized', 'no token');
      if (call.path === '/v1/me') return { status: 200, body: me };
      return { status: 200, body: { items: [] } };
    });

    // Act
    render(<App api={api} />);

    // Assess: on sign-in with the route remembered
    await waitFor(() =>
      expect(window.location.hash).toBe(
        `#/sign-in?next=${encodeURIComponent('/runs?status=FAILED')}`,
      ),
    );
    fireEvent.change(await screen.findByLabelText('Email'), {
      target: { value: 'dev@example.com' },
    });
    fireEvent.change(screen.getByLabelText('Password'), {
      target: { value: 'correct horse battery' },
    });
    fireEvent.click(screen.getByRole('button', { name: 'Sign in' }));

    // ...and back where they were after signing in.
    await waitFor(() => expect(window.location.hash).toBe('#/runs?status=FAILED'));
    expect(await screen.findByRole('heading', { name: 'Runs' })).toBeTruthy();
    expect((screen.getByLabelText('Status') as HTMLSelectElement).value).toBe('FAILED');
  });

  it('returns to sign-in mid-session when a refresh fails, keeping the current page', async () => {
    window.location.hash = '#/agents';
    let revoked = false;
    const { api, client } = apiWith((call) => {
      if (call.path === '/v1/auth/refresh')
        return revoked ? error(401, 'Unauthorized', 'revoked') : { status: 200, body: tokens(4) };
      if (revoked) return error(401, 'Unauthorized', 'expired');
      if (call.path === '/v1/me') return { status: 200, body: me };
      return { status: 200, body: { items: [] } };
    });
    render(<App api={api} />);
    expect(await screen.findByRole('heading', { name: 'Agents' })).toBeTruthy();

    // Act: the session is revoked elsewhere; the next call fails and so does its refresh.
    revoked = true;
    await act(async () => {
      await api.workflows.list().catch(() => undefined);
    });

    // Assess
    await waitFor(() =>
      expect(window.location.hash).toBe(`#/sign-in?next=${encodeURIComponent('/agents')}`),
    );
    expect(await screen.findByRole('heading', { name: 'Sign in' })).toBeTruthy();
    expect(client.hasSession).toBe(false);
  });
});
