/**
 * Error logs carry the error class, its message and the request id, never the SQL parameters or
 * a request body (issue 11, item 7): drizzle appends `params: …` to a failed query's message.
 */
import { DrizzleQueryError } from 'drizzle-orm/errors';
import { createLogger } from '../../../shared/observability/logger';
import { errorResponder } from '../../../shared/http/middleware';

test('a 500 logs class, message and request id, and no query parameters', async () => {
  const lines: string[] = [];
  const log = createLogger('info', (l) => lines.push(l));
  const pgError = Object.assign(
    new Error('duplicate key value violates unique constraint "users_email_key"'),
    { code: '23505', detail: 'Key (email)=(victim@example.test) already exists.' },
  );
  const error = new DrizzleQueryError(
    'insert into "users" ("email", "password_hash") values ($1, $2)',
    ['victim@example.test', 'scrypt$N=16384$c2FsdA$SECRET-HASH'],
    pgError,
  );
  const request = {
    event: {
      routeKey: 'POST /v1/members',
      requestContext: { requestId: 'req-11' },
      body: '{"password":"hunter2-body"}',
    },
    error,
    response: undefined,
  };

  await errorResponder(async () => log).onError?.(request as never);

  expect(lines).toHaveLength(1);
  const line = JSON.parse(lines[0]);
  expect(line).toMatchObject({
    level: 'error',
    routeKey: 'POST /v1/members',
    requestId: 'req-11',
    error: {
      class: 'Error',
      message: expect.stringContaining('Failed query: insert into "users"'),
    },
    cause: { class: 'Error', message: expect.stringContaining('duplicate key value') },
  });
  expect(lines[0]).not.toContain('SECRET-HASH');
  expect(lines[0]).not.toContain('victim@example.test');
  expect(lines[0]).not.toContain('hunter2-body');
  expect((request as { response?: { statusCode: number } }).response?.statusCode).toBe(500);
});

test('any log line drops the parameters a failed query appends to its message', () => {
  // Prepare
  const lines: string[] = [];
  const log = createLogger('info', (l) => lines.push(l));
  const error = new DrizzleQueryError(
    'update "documents" set "text" = $1',
    ['confidential document text'],
    new Error('value too long'),
  );

  // Act
  log.error('ingestion failed', { error });
  log.warn(`retrying: ${error.message}`);

  // Assess
  expect(lines).toHaveLength(2);
  expect(lines.join('\n')).not.toContain('confidential document text');
  expect(JSON.parse(lines[0]).error.message).toContain('Failed query');
});
