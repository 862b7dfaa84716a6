import { createHmac } from 'node:crypto';
import { mapInput } from '../../../shared/automation/input-mapping';
import { getPath, parsePath } from '../../../shared/automation/json-path';
import { eventName, matchRules, pullRequestHead } from '../../../shared/automation/rules';
import {
  newWebhookSecret,
  verifySignature,
  verifyToken,
} from '../../../shared/automation/signatures';
import { classifyHttpFailure } from '../../../shared/tools/http-errors';

const secret = "It's a Secret to Everybody";
const raw = 'Hello, World!';

describe('verifySignature', () => {
  it("accepts GitHub's documented test vector", () => {
    // GitHub docs ("Validating webhook deliveries"): this secret and payload give this signature.
    expect(
      verifySignature(
        secret,
        raw,
        'sha256=757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17',
      ),
    ).toEqual({ ok: true });
  });
  it.each([
    [undefined, /missing/],
    ['sha256=00', /does not match/],
    ['sha256=zz', /does not match/],
    [`sha1=${createHmac('sha1', secret).update(raw).digest('hex')}`, /unsupported/],
    ['757107ea0eb2509fc211221cce984b8a37570b6d7586c22c46f4379c8b043e17', /unsupported/],
  ])('rejects %s', (header, reason) => {
    const out = verifySignature(secret, raw, header);
    expect(out.ok).toBe(false);
    expect(!out.ok && out.reason).toMatch(reason);
  });
  it('verifies over bytes: one changed byte fails', () => {
    const header = `sha256=${createHmac('sha256', secret).update(raw).digest('hex')}`;
    expect(verifySignature(secret, `${raw} `, header).ok).toBe(false);
  });
  it('generates distinct, long secrets', () => {
    const [a, b] = [newWebhookSecret(), newWebhookSecret()];
    expect(a).not.toBe(b);
    expect(a.length).toBeGreaterThanOrEqual(40);
  });
});

describe('json path', () => {
  it('reads dotted paths, indexes and quoted keys', () => {
    const v = { a: { b: [{ c: 1 }], 'odd key': 'x' } };
    expect(getPath(v, '$.a.b[0].c')).toBe(1);
    expect(getPath(v, '$.a["odd key"]')).toBe('x');
    expect(getPath(v, 'a.b[0].c')).toBe(1);
    expect(getPath(v, '$.a.missing.deeper')).toBeUndefined();
    expect(parsePath('$.a..b')).toBeNull();
    expect(parsePath('a.b')).toBeNull();
  });
});

describe('rules', () => {
  const pr = {
    action: 'opened',
    repository: { full_name: 'Acme/App' },
    pull_request: {
      number: 7,
      draft: false,
      base: { ref: 'main' },
      head: { sha: 'abc123' },
      labels: [{ name: 'ai-review' }],
    },
  };
  it('names events as event.action', () => {
    expect(eventName('github', 'pull_request', pr)).toBe('pull_request.opened');
    expect(eventName('github', 'push', { ref: 'refs/heads/main' })).toBe('push');
    expect(eventName('jira', undefined, { webhookEvent: 'jira:issue_created' })).toBe(
      'jira:issue_created',
    );
  });
  it('matches event + action, repository (case-insensitive), branch, labels, draft', () => {
    expect(
      matchRules('github', 'pull_request.opened', pr, {
        events: ['pull_request.opened'],
        repositories: ['acme/app'],
        branches: ['main'],
        labels: ['ai-review'],
        draft: false,
      }),
    ).toEqual({ matched: true });
    expect(matchRules('github', 'pull_request.opened', pr, { events: ['pull_request'] })).toEqual({
      matched: true,
    });
  });
  it.each([
    [{ events: ['pull_request.closed'] }, /not one of pull_request.closed/],
    [{ events: ['pull_request'], repositories: ['acme/other'] }, /repository Acme\/App/],
    [{ events: ['pull_request'], branches: ['release'] }, /branch main is not one of release/],
    [{ events: ['pull_request'], labels: ['x'] }, /include none of x/],
    [{ events: ['pull_request'], draft: true }, /not a draft/],
    [
      { events: ['pull_request'], fields: { 'pull_request.number': '8' } },
      /pull_request.number is 7, not 8/,
    ],
  ])('ignores with a reason: %j', (rules, reason) => {
    const out = matchRules('github', 'pull_request.opened', pr, rules);
    expect(out.matched).toBe(false);
    expect(!out.matched && out.reason).toMatch(reason);
  });
  it('never reacts to its own comments', () => {
    const out = matchRules(
      'github',
      'issue_comment.created',
      { comment: { body: '<!-- hishamos:run-comment:x:y -->' } },
      { events: ['issue_comment'] },
    );
    expect(out).toEqual({ matched: false, reason: 'comment was posted by HishamOS' });
  });
  it('Jira: project, issue type, labels', () => {
    const issue = {
      webhookEvent: 'jira:issue_created',
      issue: { fields: { project: { key: 'OPS' }, issuetype: { name: 'Task' }, labels: ['a'] } },
    };
    expect(
      matchRules('jira', 'jira:issue_created', issue, {
        events: ['jira:issue_created'],
        projects: ['OPS'],
        issueTypes: ['Task'],
        labels: ['a'],
      }),
    ).toEqual({ matched: true });
    expect(
      matchRules('jira', 'jira:issue_created', issue, {
        events: ['jira:issue_created'],
        projects: ['DEV'],
      }),
    ).toMatchObject({ matched: false, reason: 'project OPS is not one of DEV' });
  });
  it('finds the PR head for one review per SHA', () => {
    expect(pullRequestHead(pr)).toEqual({ repository: 'acme/app', number: 7, sha: 'abc123' });
    expect(pullRequestHead({ issue: {} })).toBeUndefined();
  });
});

describe('input mapping', () => {
  it('overlays the trigger mapping on the defaults; literals stay literal; missing paths are null', () => {
    const pr = {
      repository: { full_name: 'a/b' },
      pull_request: { number: 1, title: 'T', head: { sha: 's' } },
    };
    expect(
      mapInput('github', 'pull_request.opened', pr, {
        title: '$.pull_request.title',
        mode: 'strict',
        nope: '$.x.y',
      }),
    ).toMatchObject({
      event: 'pull_request.opened',
      repository: 'a/b',
      number: 1,
      title: 'T',
      headSha: 's',
      mode: 'strict',
      nope: null,
      body: null,
    });
  });
});

describe('HTTP failure classification', () => {
  it.each([
    [undefined, {}, '', 'ProviderUnavailable'],
    [500, {}, '', 'ProviderUnavailable'],
    [503, {}, '', 'ProviderUnavailable'],
    [429, { 'retry-after': '3' }, '', 'ProviderThrottled'],
    [403, { 'x-ratelimit-remaining': '0' }, 'API rate limit exceeded', 'ProviderThrottled'],
    [403, {}, 'Resource not accessible by integration', 'ProviderAuthError'],
    [401, {}, 'Bad credentials', 'ProviderAuthError'],
    [404, {}, 'Not Found', 'NotFound'],
    [422, {}, 'Validation Failed', 'InvalidRequest'],
  ])('%s %j %s → %s', (status, headers, message, name) => {
    expect(classifyHttpFailure('GitHub', status as number | undefined, headers, message).name).toBe(
      name,
    );
  });
  it('keeps Retry-After', () => {
    expect(
      (classifyHttpFailure('GitHub', 429, { 'retry-after': '3' }, '') as { retryAfterMs?: number })
        .retryAfterMs,
    ).toBe(3000);
  });
});

describe('shared-secret token (Jira Automation)', () => {
  test('accepts exactly the secret, whatever the length of a wrong guess', () => {
    const secret = 'whsec_abcdefghijklmnopqrstuvwxyz012345';
    expect(verifyToken(secret, secret)).toEqual({ ok: true });
    expect(verifyToken(secret, ` ${secret} `)).toEqual({ ok: true });
    expect(verifyToken(secret, `${secret}x`)).toEqual({
      ok: false,
      reason: 'token does not match',
    });
    expect(verifyToken(secret, 'x')).toEqual({ ok: false, reason: 'token does not match' });
    expect(verifyToken(secret, undefined)).toEqual({
      ok: false,
      reason: 'missing signature header',
    });
  });
});
