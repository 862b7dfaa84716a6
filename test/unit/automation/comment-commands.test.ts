import {
  approvalCommand,
  MAX_COMMAND_COMMENT,
  newComment,
  subjectOf,
} from '../../../shared/automation/comment-commands';

describe('approvalCommand', () => {
  it.each([
    ['/approve', { approved: true }],
    ['  /approve  \nthanks', { approved: true }],
    ['/APPROVE ship it', { approved: true, comment: 'ship it' }],
    ['/reject too risky', { approved: false, comment: 'too risky' }],
    ['/reject\ttabbed reason  ', { approved: false, comment: 'tabbed reason' }],
    ['\r\n/reject', { approved: false }],
  ])('%j is a command', (body, expected) => {
    expect(approvalCommand(body)).toEqual(expected);
  });

  it.each([
    'please /approve',
    '/approved',
    '/approve-it',
    'LGTM',
    '',
    '> /approve',
    'thanks\n/approve',
  ])('%j is not a command', (body) => {
    expect(approvalCommand(body)).toBeUndefined();
  });

  it('bounds the reason by code point', () => {
    const reason = '😀'.repeat(MAX_COMMAND_COMMENT + 10);
    expect([...(approvalCommand(`/reject ${reason}`)?.comment ?? '')]).toHaveLength(
      MAX_COMMAND_COMMENT,
    );
  });
});

describe('subjectOf and newComment', () => {
  const pr = {
    action: 'created',
    repository: { full_name: 'Acme/Widgets' },
    issue: { number: 7, pull_request: { url: 'x' } },
    comment: { body: '/approve', user: { login: 'octo-cat' } },
  };

  it('names a pull request by lower-cased repository and number, a Jira issue by key', () => {
    expect(subjectOf('github', { repository: pr.repository, pull_request: { number: 7 } })).toBe(
      'acme/widgets#7',
    );
    expect(subjectOf('github', pr)).toBe('acme/widgets#7');
    expect(subjectOf('github', { repository: pr.repository })).toBeUndefined();
    expect(subjectOf('jira', { issue: { key: 'TEST-2' } })).toBe('TEST-2');
    expect(subjectOf('jira', {})).toBeUndefined();
  });

  it('reads a created GitHub comment, and only a created one', () => {
    expect(newComment('github', 'issue_comment.created', pr)).toEqual({
      subject: 'acme/widgets#7',
      body: '/approve',
      author: 'octo-cat',
      repository: 'Acme/Widgets',
      number: 7,
    });
    expect(newComment('github', 'issue_comment.edited', pr)).toBeUndefined();
    expect(newComment('github', 'pull_request.opened', pr)).toBeUndefined();
  });

  it('refuses an author login that is not a GitHub login', () => {
    const odd = { ...pr, comment: { body: '/approve', user: { login: '../admin' } } };
    expect(newComment('github', 'issue_comment.created', odd)?.author).toBeNull();
  });

  it('reads a Jira comment as wiki text or as a document', () => {
    const base = { issue: { key: 'TEST-2' }, comment: { author: { accountId: 'abc:123' } } };
    const wiki = { ...base, comment: { ...base.comment, body: '/reject no' } };
    const doc = {
      ...base,
      comment: {
        ...base.comment,
        body: {
          type: 'doc',
          content: [
            {
              type: 'paragraph',
              content: [
                { type: 'text', text: '/approve ' },
                { type: 'text', text: 'ok' },
              ],
            },
            { type: 'paragraph', content: [{ type: 'text', text: 'second line' }] },
          ],
        },
      },
    };
    expect(newComment('jira', 'comment_created', wiki)).toMatchObject({
      subject: 'TEST-2',
      body: '/reject no',
      author: 'abc:123',
      issueKey: 'TEST-2',
    });
    expect(approvalCommand(newComment('jira', 'comment_created', doc)?.body ?? '')).toEqual({
      approved: true,
      comment: 'ok',
    });
    expect(newComment('jira', 'comment_updated', wiki)).toBeUndefined();
  });
});
