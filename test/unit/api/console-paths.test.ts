/**
 * The console's calls (web/src/api/endpoints.ts) must each be a route of the route table, and
 * every `/v1/` path in web/src must be a generated one (ADR 141, 145): written only where the
 * compiler checks it against `generated/openapi.ts`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
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
    openStream: async (path: string) => {
      calls.push({ method: 'GET', path });
      return new Response('');
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

/** Arguments for the calls that build their request from a richer first argument. */
const ARGS: Record<string, unknown[]> = {
  'usage.report': [{ from: '2026-11-01', to: '2026-11-29', groupBy: ['day', 'workflow'] }],
};

describe('console endpoints', () => {
  it('call only routes that the route table declares', async () => {
    const calls: Call[] = [];
    const api = createApi(recordingClient(calls));
    const all = endpoints(api);

    const silent: string[] = [];
    for (const [name, fn] of all) {
      const before = calls.length;
      try {
        await fn(...(ARGS[name] ?? ['id-1', 'id-2', {}, {}]));
      } catch {
        // Calls that need richer arguments still record their request before failing.
      }
      if (calls.length === before) silent.push(name);
    }

    expect(all.length).toBeGreaterThan(40);
    const unknown = calls.filter((c) => !routeFor(c.method, c.path));
    expect(unknown).toEqual([]);
    // Only the upload's PUT goes elsewhere (a presigned storage URL, not the API).
    expect(silent).toEqual(['knowledge.putUpload']);
  });
});

const WEB_SRC = fileURLToPath(new URL('../../../web/src', import.meta.url));
const GENERATED = join(WEB_SRC, 'api/generated');
/** The one place that may call `fetch`: ApiClient (tokens, refresh, error mapping). */
const FETCH_OWNER = join(WEB_SRC, 'api/client.ts');
/** Calls whose path argument (at this index) must be a path of the generated document. */
const TYPED_CALLS: Record<string, number> = {
  typedCall: 2,
  typedSendText: 2,
  typedText: 1,
  typedStream: 1,
};
/** Generic types of web/src/api/typed.ts whose second argument is constrained to generated paths. */
const TYPED_TYPES = new Set(['RequestBody', 'Query', 'Answer']);

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const path = join(dir, e.name);
    if (e.isDirectory()) return path === GENERATED ? [] : sourceFiles(path);
    return /\.tsx?$/.test(e.name) ? [path] : [];
  });
}

function calleeName(call: ts.CallExpression): string | undefined {
  const callee = call.expression;
  if (ts.isIdentifier(callee)) return callee.text;
  if (ts.isPropertyAccessExpression(callee)) return callee.name.text;
  return undefined;
}

/** Whether a literal sits where the compiler checks it against the generated paths. */
function checkedByCompiler(node: ts.Node): boolean {
  const parent = node.parent;
  if (ts.isCallExpression(parent)) {
    const name = calleeName(parent);
    return name !== undefined && parent.arguments[TYPED_CALLS[name] ?? -1] === node;
  }
  if (ts.isLiteralTypeNode(parent) && ts.isTypeReferenceNode(parent.parent)) {
    const ref = parent.parent;
    return (
      ts.isIdentifier(ref.typeName) &&
      TYPED_TYPES.has(ref.typeName.text) &&
      ref.typeArguments?.[1] === parent
    );
  }
  return false;
}

/** Hand-written API paths and stray `fetch` calls in one file, as `file:line: text`. */
/** `/v1/…` as the start of a path (not inside another service's URL, such as a base URL example). */
const API_PATH = /(^|[^\w.-])\/v1(\/|\?|$)/;

function handWrittenPaths(file: string, text: string, mayFetch = false): string[] {
  const source = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true);
  const found: string[] = [];
  const where = (node: ts.Node) =>
    `${file}:${source.getLineAndCharacterOfPosition(node.getStart()).line + 1}`;
  const visit = (node: ts.Node) => {
    const literal =
      ts.isStringLiteral(node) || ts.isNoSubstitutionTemplateLiteral(node)
        ? node.text
        : ts.isTemplateExpression(node)
          ? node.getText(source)
          : undefined;
    if (literal !== undefined && API_PATH.test(literal) && !checkedByCompiler(node))
      found.push(`${where(node)}: ${node.getText(source)}`);
    if (ts.isCallExpression(node) && !mayFetch && calleeName(node) === 'fetch')
      found.push(`${where(node)}: ${node.getText(source)}`);
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('paths in the console', () => {
  it('are only the generated ones: no hand-written /v1/ path and no fetch outside ApiClient', () => {
    // Prepare
    const files = sourceFiles(WEB_SRC);

    // Act
    const found = files.flatMap((f) =>
      handWrittenPaths(relative(WEB_SRC, f), readFileSync(f, 'utf8'), f === FETCH_OWNER),
    );

    // Assess
    expect(files.length).toBeGreaterThan(50);
    expect(found).toEqual([]);
  });

  it('tells a generated path from a hand-written one', () => {
    // Prepare: each way of writing a path by hand, beside the checked ones.
    const text = [
      "typedCall(c, 'get', '/v1/agents/{id}', { params: { id } });",
      "typedText(c, '/v1/agents/{id}/export', { params: { id } });",
      "type B = RequestBody<'patch', '/v1/agents/{id}'>;",
      "c.get('/v1/agents');",
      'c.request(`/v1/agents/${id}`);',
      "const p = '/v1/runs';",
      "type X = '/v1/runs';",
      "typedCall(c, 'get', '/v1/agents', { query: { next: '/v1/x' } });",
      "fetch('/v1/x');",
      "const placeholder = 'https://llm.example.com/v1';",
      'c.get(`${base}/v1/runs?x=1`);',
      'window.fetch(url);',
    ].join('\n');

    // Act
    const found = handWrittenPaths('sample.ts', text);

    // Assess
    expect(found).toEqual([
      "sample.ts:4: '/v1/agents'",
      'sample.ts:5: `/v1/agents/${id}`',
      "sample.ts:6: '/v1/runs'",
      "sample.ts:7: '/v1/runs'",
      "sample.ts:8: '/v1/x'",
      "sample.ts:9: fetch('/v1/x')",
      "sample.ts:9: '/v1/x'",
      'sample.ts:11: `${base}/v1/runs?x=1`',
      'sample.ts:12: window.fetch(url)',
    ]);
  });
});
