/**
 * A loopback fake of the Jira Cloud REST v2 endpoints HishamOS uses: issue comments,
 * transitions, and "find users with permissions" for TRANSITION_ISSUES. It checks basic auth (email:apiToken), JSON bodies and required fields, and
 * records deviations in `problems`.
 */
import { expectShape, startLoopback, type Loopback } from '../github/loopback';

export interface FakeJiraOptions {
  email: string;
  apiToken: string;
  issues: Record<string, FakeIssue>;
  /** Account ids holding TRANSITION_ISSUES on every issue (served by user/permission/search). */
  transitioners?: string[];
}
/** An issue of the fake; `summary` and `description` are served by GET when set. */
export interface FakeIssue {
  status: string;
  summary?: string;
  description?: string;
}
export interface FakeJira extends Loopback {
  comments: { id: string; issue: string; body: string }[];
  issues: Record<string, FakeIssue>;
  /** The query strings of every permission search. */
  permissionSearches: string[];
}

const TRANSITIONS = [
  { id: '11', name: 'Start Progress', to: { name: 'In Progress' } },
  { id: '21', name: 'Send to Review', to: { name: 'In Review' } },
  { id: '31', name: 'Done', to: { name: 'Done' } },
];

export async function startFakeJira(options: FakeJiraOptions): Promise<FakeJira> {
  const expected = `Basic ${Buffer.from(`${options.email}:${options.apiToken}`).toString('base64')}`;
  const comments: FakeJira['comments'] = [];
  const permissionSearches: string[] = [];
  let nextId = 10000;
  const loop = await startLoopback(async (req) => {
    if (req.headers.authorization !== expected)
      return {
        status: 401,
        body: { errorMessages: ['Client must be authenticated to access this resource.'] },
      };
    expectShape(
      String(req.headers.accept ?? '').includes('application/json'),
      'accept must be application/json',
    );
    if (req.method === 'POST' || req.method === 'PUT')
      expectShape(
        String(req.headers['content-type'] ?? '').startsWith('application/json'),
        'write requests send JSON',
      );
    if (req.path === '/rest/api/2/user/permission/search' && req.method === 'GET') {
      permissionSearches.push(req.query.toString());
      const permissions = (req.query.get('permissions') ?? '').split(',');
      expectShape(permissions[0], 'permissions is required');
      expectShape(
        req.query.get('issueKey') || req.query.get('projectKey'),
        'name an issueKey or a projectKey',
      );
      const key = req.query.get('issueKey');
      if (key && !options.issues[key])
        return { status: 404, body: { errorMessages: ['Issue does not exist'] } };
      const holders = permissions.every((x) => x === 'TRANSITION_ISSUES')
        ? (options.transitioners ?? [])
        : [];
      const wanted = req.query.get('accountId');
      return {
        status: 200,
        body: holders
          .filter((id) => !wanted || id === wanted)
          .map((accountId) => ({ accountId, accountType: 'atlassian', active: true })),
      };
    }
    const m = /^\/rest\/api\/2\/issue\/([A-Z][A-Z0-9_]*-\d+)(\/.*)?$/.exec(req.path);
    if (!m)
      return {
        status: 404,
        body: { errorMessages: [`fake Jira has no ${req.method} ${req.path}`] },
      };
    const [, key, rest = ''] = m;
    const issue = options.issues[key];
    if (!issue)
      return {
        status: 404,
        body: { errorMessages: ['Issue does not exist or you do not have permission to see it.'] },
      };
    if (rest === '' && req.method === 'GET')
      return {
        status: 200,
        body: {
          key,
          fields: {
            status: { name: issue.status },
            ...(issue.summary !== undefined ? { summary: issue.summary } : {}),
            ...(issue.description !== undefined ? { description: issue.description } : {}),
          },
        },
      };
    if (rest === '/comment' && req.method === 'GET') {
      const mine = comments.filter((c) => c.issue === key);
      return {
        status: 200,
        body: { startAt: 0, maxResults: 100, total: mine.length, comments: mine },
      };
    }
    if (rest === '/comment' && req.method === 'POST') {
      expectShape(
        typeof req.body?.body === 'string' && req.body.body.length > 0,
        'a comment needs a body string (v2 API: wiki text)',
      );
      const c = { id: String(nextId++), issue: key, body: req.body.body };
      comments.push(c);
      return { status: 201, body: c };
    }
    const cm = /^\/comment\/(\d+)$/.exec(rest);
    if (cm && req.method === 'PUT') {
      const c = comments.find((x) => x.id === cm[1] && x.issue === key);
      if (!c) return { status: 404, body: { errorMessages: ['comment not found'] } };
      expectShape(typeof req.body?.body === 'string', 'a comment update needs a body string');
      c.body = req.body.body;
      return { status: 200, body: c };
    }
    if (rest === '/transitions' && req.method === 'GET')
      return {
        status: 200,
        body: { transitions: TRANSITIONS.filter((t) => t.to.name !== issue.status) },
      };
    if (rest === '/transitions' && req.method === 'POST') {
      const t = TRANSITIONS.find((x) => x.id === req.body?.transition?.id);
      expectShape(t, 'transition.id must be an available transition id');
      issue.status = t.to.name;
      return { status: 204 };
    }
    return { status: 405, body: { errorMessages: [`${req.method} not allowed`] } };
  });
  return Object.assign(loop, { comments, issues: options.issues, permissionSearches });
}
