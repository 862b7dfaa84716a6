/**
 * The generated client's other shapes (ADR 145): text answers (YAML exports), text bodies (file
 * imports), event streams and anonymous sign-in calls; and the calls the compiler refuses
 * (`npm run typecheck` fails when a `@ts-expect-error` below no longer finds its error).
 */
import { ApiClient } from '../../../web/src/api/client';
import { typedCall, typedSendText, typedStream, typedText } from '../../../web/src/api/typed';

type Sent = { method: string; url: string; headers: Record<string, string>; body: unknown };

function memoryStorage() {
  const m = new Map<string, string>();
  return {
    getItem: (k: string) => m.get(k) ?? null,
    setItem: (k: string, v: string) => void m.set(k, v),
    removeItem: (k: string) => void m.delete(k),
  };
}

/** A client signed in as `access-1`, whose server answers every request with `answer()`. */
function signedInClient(answer: () => Response, sent: Sent[]): ApiClient {
  const client = new ApiClient({
    baseUrl: 'http://api.test',
    streamBaseUrl: 'http://stream.test',
    storage: memoryStorage(),
    fetch: async (url, init) => {
      sent.push({
        method: String(init?.method),
        url: String(url),
        headers: { ...(init?.headers as Record<string, string>) },
        body: init?.body,
      });
      return answer();
    },
  });
  client.tokens.set('access-1', 'refresh-1', 900);
  return client;
}

describe('the generated client', () => {
  it('reads a YAML export as text and sends a YAML import as is', async () => {
    // Prepare
    const sent: Sent[] = [];
    const yaml = 'kind: Workflow\nslug: triage\n';
    const client = signedInClient(() => new Response(yaml, { status: 200 }), sent);

    // Act
    const exported = await typedText(client, '/v1/workflows/{id}/export', {
      params: { id: 'triage' },
      query: { format: 'yaml', include: 'agents' },
    });
    await typedSendText(client, 'post', '/v1/workflows/import', {
      text: { body: yaml, contentType: 'application/yaml' },
      query: { dryRun: 'true' },
    }).catch(() => undefined); // the fake answers YAML where JSON is expected: only the request matters

    // Assess
    expect(exported).toBe(yaml);
    expect(sent.map((s) => [s.method, s.url, s.headers['Content-Type'], s.body])).toEqual([
      [
        'GET',
        'http://api.test/v1/workflows/triage/export?format=yaml&include=agents',
        undefined,
        undefined,
      ],
      ['POST', 'http://api.test/v1/workflows/import?dryRun=true', 'application/yaml', yaml],
    ]);
    expect(sent.every((s) => s.headers.Authorization === 'Bearer access-1')).toBe(true);
  });

  it('opens an event stream on the stream origin with its declared Last-Event-ID header', async () => {
    // Prepare
    const sent: Sent[] = [];
    const client = signedInClient(
      () => new Response('id: 4\nevent: run.succeeded\ndata: {}\n\n', { status: 200 }),
      sent,
    );

    // Act
    const res = await typedStream(client, '/v1/runs/{id}/stream', {
      params: { id: '00000000-0000-4000-8000-000000000001' },
      headers: { 'Last-Event-ID': '3' },
    });

    // Assess
    expect(await res.text()).toContain('run.succeeded');
    expect(sent[0]?.url).toBe(
      'http://stream.test/v1/runs/00000000-0000-4000-8000-000000000001/stream',
    );
    expect(sent[0]?.headers).toMatchObject({
      Accept: 'text/event-stream',
      'Last-Event-ID': '3',
      Authorization: 'Bearer access-1',
    });
  });

  it('sends sign-in calls without credentials', async () => {
    // Prepare
    const sent: Sent[] = [];
    const client = signedInClient(
      () =>
        new Response(JSON.stringify({ email: 'a@b.test', tenantName: 'Acme' }), { status: 200 }),
      sent,
    );

    // Act
    await typedCall(client, 'post', '/v1/invitations/lookup', {
      body: { token: 'tok' },
      anonymous: true,
    });
    await typedCall(client, 'get', '/v1/me', {});

    // Assess
    expect(sent.map((s) => s.headers.Authorization)).toEqual([undefined, 'Bearer access-1']);
  });

  it('refuses at compile time what the document does not declare', () => {
    // Prepare: calls that are never sent (the function is not called), only typechecked.
    const client = signedInClient(() => new Response('{}'), []);
    const misnamed = { params: { id: 'r' }, body: { from: 'x' } };
    const csv = { text: { body: '', contentType: 'text/csv' } };
    const refused = () => [
      // @ts-expect-error not a path of the document
      typedCall(client, 'get', '/v1/agent', {}),
      // @ts-expect-error the path needs its id
      typedCall(client, 'get', '/v1/agents/{id}', {}),
      // @ts-expect-error a field the body does not have
      typedCall(client, 'post', '/v1/runs/{id}/rerun', misnamed),
      // @ts-expect-error a status the runs list does not know
      typedCall(client, 'get', '/v1/runs', { query: { status: 'DONE' } }),
      // @ts-expect-error the import takes JSON or YAML only
      typedSendText(client, 'post', '/v1/agents/import', csv),
      // @ts-expect-error this route takes no text body
      typedSendText(client, 'post', '/v1/agents', {
        text: { body: '', contentType: 'application/yaml' },
      }),
      // @ts-expect-error this route answers JSON only
      typedText(client, '/v1/agents/{id}', { params: { id: 'pm' } }),
      // @ts-expect-error not an event stream
      typedStream(client, '/v1/workflows/{id}/export', { params: { id: 'w' } }),
    ];

    // Act / Assess: the compiler's verdict is the test; here only that nothing ran.
    expect(typeof refused).toBe('function');
  });
});
