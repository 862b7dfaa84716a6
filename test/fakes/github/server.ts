/**
 * A loopback fake of the GitHub REST API parts HishamOS uses: issue comments, commit statuses,
 * collaborator permissions, GitHub App installation tokens and the App's webhook deliveries. It checks what the real API
 * requires (auth header and scheme, JSON bodies, required fields, App JWTs signed with the App key)
 * and records any deviation in `problems`.
 */
import { createPublicKey, createVerify, type KeyObject } from 'node:crypto';
import { expectShape, startLoopback, type Loopback, type Recorded, type Reply } from './loopback';

export interface FakeGithubOptions {
  /** Accepted personal/installation tokens (`Authorization: token <t>` or `bearer <t>`). */
  tokens?: string[];
  app?: { appId: string; privateKeyPem: string; installationId: number };
}

export interface FakeComment {
  id: number;
  issue: string;
  body: string;
  html_url: string;
  user: { login: string };
}
export interface FakeDelivery {
  id: number;
  guid: string;
  delivered_at: string;
  redelivery: boolean;
  status_code: number;
  status: string;
  event: string;
  action: string | null;
}

export interface FakeGithub extends Loopback {
  comments: FakeComment[];
  statuses: {
    repo: string;
    sha: string;
    state: string;
    context: string;
    description?: string;
    target_url?: string;
  }[];
  deliveries: FakeDelivery[];
  redelivered: number[];
  /** Tokens minted for the App installation. */
  installationTokens: string[];
  /** Pull request diffs served by `GET /repos/{o}/{r}/pulls/{n}` as `application/vnd.github.diff`, by `owner/name#n`. */
  diffs: Map<string, string>;
  /** File texts served by `GET /repos/{o}/{r}/contents/{path}`, by `owner/name:path`. */
  files: Map<string, string>;
  /**
   * Collaborator roles (admin, maintain, write, triage, read) by `owner/name:login`, served by
   * `GET /repos/{o}/{r}/collaborators/{login}/permission`; anyone else reads (a public repository).
   */
  roles: Map<string, string>;
  /** `owner/name:login` of every permission lookup. */
  permissionChecks: string[];
}

/** The REST `permission` folds maintain into write and triage into read; `role_name` keeps it. */
const PERMISSION_OF: Record<string, string> = {
  admin: 'admin',
  maintain: 'write',
  write: 'write',
  triage: 'read',
  read: 'read',
};

const STATES = ['pending', 'success', 'failure', 'error'];

export async function startFakeGithub(options: FakeGithubOptions = {}): Promise<FakeGithub> {
  const tokens = new Set(options.tokens ?? []);
  const publicKey: KeyObject | undefined = options.app
    ? createPublicKey(options.app.privateKeyPem)
    : undefined;
  let nextId = 1000;
  const state = {
    comments: [] as FakeComment[],
    statuses: [] as FakeGithub['statuses'],
    deliveries: [] as FakeDelivery[],
    redelivered: [] as number[],
    installationTokens: [] as string[],
    diffs: new Map<string, string>(),
    files: new Map<string, string>(),
    roles: new Map<string, string>(),
    permissionChecks: [] as string[],
  };

  const checkCommon = (req: Recorded) => {
    expectShape(
      String(req.headers['user-agent'] ?? '').includes('HishamOS'),
      'user-agent must name HishamOS',
    );
    expectShape(
      String(req.headers.accept ?? '').includes('application/vnd.github'),
      'accept must be a GitHub media type',
    );
    if (req.method !== 'GET')
      expectShape(
        String(req.headers['content-type'] ?? '').includes('application/json') ||
          req.body === undefined,
        'write requests send JSON',
      );
  };
  const tokenAuth = (req: Recorded): Reply | undefined => {
    const m = /^(token|bearer) (.+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!m || !tokens.has(m[2])) return { status: 401, body: { message: 'Bad credentials' } };
    return undefined;
  };
  const appAuth = (req: Recorded): Reply | undefined => {
    const m = /^bearer (.+)$/i.exec(String(req.headers.authorization ?? ''));
    if (!m || !publicKey)
      return { status: 401, body: { message: 'A JSON web token could not be decoded' } };
    const [h, p, s] = m[1].split('.');
    const ok = createVerify('RSA-SHA256')
      .update(`${h}.${p}`)
      .verify(publicKey, Buffer.from(s ?? '', 'base64url'));
    const claims = JSON.parse(Buffer.from(p ?? '', 'base64url').toString() || '{}');
    const header = JSON.parse(Buffer.from(h ?? '', 'base64url').toString() || '{}');
    const now = Date.now() / 1000;
    if (
      !ok ||
      header.alg !== 'RS256' ||
      claims.iss !== options.app!.appId ||
      claims.exp - claims.iat > 600 ||
      claims.exp < now
    )
      return { status: 401, body: { message: 'JWT is invalid' } };
    return undefined;
  };

  const loop = await startLoopback(async (req) => {
    checkCommon(req);
    let m: RegExpExecArray | null;
    if (
      (m = /^\/app\/installations\/(\d+)\/access_tokens$/.exec(req.path)) &&
      req.method === 'POST'
    ) {
      const denied = appAuth(req);
      if (denied) return denied;
      expectShape(Number(m[1]) === options.app?.installationId, `unknown installation ${m[1]}`);
      const token = `ghs_fake${nextId++}installationtoken`;
      tokens.add(token);
      state.installationTokens.push(token);
      return {
        status: 201,
        body: { token, expires_at: new Date(Date.now() + 3600_000).toISOString() },
      };
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/installation$/.exec(req.path)) && req.method === 'GET') {
      return appAuth(req) ?? { status: 200, body: { id: options.app?.installationId } };
    }
    if (req.path === '/app/hook/deliveries' && req.method === 'GET') {
      const denied = appAuth(req);
      if (denied) return denied;
      expectShape(Number(req.query.get('per_page') ?? 30) <= 100, 'per_page is at most 100');
      return {
        status: 200,
        body: [...state.deliveries].sort(
          (a, b) => Date.parse(b.delivered_at) - Date.parse(a.delivered_at),
        ),
      };
    }
    if (
      (m = /^\/app\/hook\/deliveries\/(\d+)\/attempts$/.exec(req.path)) &&
      req.method === 'POST'
    ) {
      const denied = appAuth(req);
      if (denied) return denied;
      state.redelivered.push(Number(m[1]));
      return { status: 202, body: {} };
    }
    const denied = tokenAuth(req);
    if (denied) return denied;
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/(\d+)\/comments$/.exec(req.path))) {
      const issue = `${m[1]}/${m[2]}#${m[3]}`;
      if (req.method === 'GET')
        return { status: 200, body: state.comments.filter((c) => c.issue === issue) };
      expectShape(req.method === 'POST', 'comments: GET or POST');
      expectShape(
        typeof req.body?.body === 'string' && req.body.body.length > 0,
        'createComment needs a body string',
      );
      const c: FakeComment = {
        id: nextId++,
        issue,
        body: req.body.body,
        html_url: `https://github.test/${m[1]}/${m[2]}/issues/${m[3]}#c`,
        user: { login: 'hishamos[bot]' },
      };
      state.comments.push(c);
      return { status: 201, body: c };
    }
    if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/issues\/comments\/(\d+)$/.exec(req.path)) &&
      req.method === 'PATCH'
    ) {
      const c = state.comments.find((x) => x.id === Number(m![3]));
      if (!c) return { status: 404, body: { message: 'Not Found' } };
      expectShape(typeof req.body?.body === 'string', 'updateComment needs a body string');
      c.body = req.body.body;
      return { status: 200, body: c };
    }
    if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/statuses\/([0-9a-f]+)$/.exec(req.path)) &&
      req.method === 'POST'
    ) {
      expectShape(
        STATES.includes(req.body?.state),
        `status state must be one of ${STATES.join(', ')}`,
      );
      expectShape(
        req.body.description === undefined || String(req.body.description).length <= 140,
        'description is at most 140 characters',
      );
      const s = { repo: `${m[1]}/${m[2]}`, sha: m[3], ...req.body };
      state.statuses.push(s);
      return { status: 201, body: { id: nextId++, ...req.body } };
    }
    if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/collaborators\/([^/]+)\/permission$/.exec(req.path)) &&
      req.method === 'GET'
    ) {
      const key = `${m[1]}/${m[2]}:${decodeURIComponent(m[3])}`.toLowerCase();
      state.permissionChecks.push(key);
      const role = state.roles.get(key) ?? 'read';
      return {
        status: 200,
        body: {
          permission: PERMISSION_OF[role] ?? 'none',
          role_name: role,
          user: { login: decodeURIComponent(m[3]) },
        },
      };
    }
    if ((m = /^\/repos\/([^/]+)\/([^/]+)\/pulls\/(\d+)$/.exec(req.path)) && req.method === 'GET') {
      expectShape(
        String(req.headers.accept).includes('diff'),
        'a pull request diff is asked for with an Accept of application/vnd.github.diff',
      );
      const diff = state.diffs.get(`${m[1]}/${m[2]}#${m[3]}`);
      if (diff === undefined) return { status: 404, body: { message: 'Not Found' } };
      return {
        status: 200,
        headers: { 'content-type': 'application/vnd.github.diff; charset=utf-8' },
        raw: diff,
      };
    }
    if (
      (m = /^\/repos\/([^/]+)\/([^/]+)\/contents\/(.+)$/.exec(req.path)) &&
      req.method === 'GET'
    ) {
      const text = state.files.get(`${m[1]}/${m[2]}:${decodeURIComponent(m[3])}`);
      if (text === undefined) return { status: 404, body: { message: 'Not Found' } };
      return {
        status: 200,
        body: {
          type: 'file',
          encoding: 'base64',
          path: m[3],
          name: m[3].split('/').pop(),
          size: text.length,
          content: Buffer.from(text).toString('base64'),
        },
      };
    }
    return { status: 404, body: { message: `fake GitHub has no ${req.method} ${req.path}` } };
  });
  return Object.assign(loop, state);
}
