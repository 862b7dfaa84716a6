import { z } from 'zod';
import {
  BudgetExceeded,
  Conflict,
  Forbidden,
  InternalError,
  NotFound,
  ProviderThrottled,
  Unauthorized,
  ValidationError,
} from '../../../shared/errors';
import { formatPath, fromZod, toErrorResponse } from '../../../shared/http/error-mapping';

test.each([
  [new ValidationError('bad', [{ path: 'name', message: 'required' }]), 400],
  [new Unauthorized('who'), 401],
  [new BudgetExceeded('over'), 402],
  [new Forbidden('no'), 403],
  [new NotFound('gone'), 404],
  [new Conflict('dup'), 409],
  [new ProviderThrottled('slow down'), 503],
])('%s → %i with the JSON error shape', (error, status) => {
  const out = toErrorResponse(error);
  expect(out.status).toBe(status);
  expect(out.body.error.code).toBe(error.name);
  expect(out.body.error.message).toBe(error.message);
});

test('validation details carry the field paths', () => {
  const out = toErrorResponse(
    new ValidationError('bad', [{ path: 'nodes[2].agent', message: 'unknown agent' }]),
  );
  expect(out.body.error.details).toEqual([{ path: 'nodes[2].agent', message: 'unknown agent' }]);
});

test('unknown errors become a 500 that leaks nothing', () => {
  const out = toErrorResponse(new Error('password=hunter2 at db.internal:5432'));
  expect(out).toEqual({
    status: 500,
    body: { error: { code: 'InternalError', message: 'internal error' } },
  });
  expect(toErrorResponse(new InternalError('stack details')).body.error.message).toBe(
    'internal error',
  );
});

test('zod issues become field paths: body unprefixed, query and path prefixed', () => {
  const schema = z.object({ nodes: z.array(z.object({ agent: z.string() })) });
  const error = schema.safeParse({ nodes: [{ agent: 'a' }, { agent: 3 }] }).error!;
  expect(fromZod(error, 'body').details).toEqual([
    { path: 'nodes[1].agent', message: expect.any(String) },
  ]);
  expect(formatPath(['limit'], 'query')).toBe('query.limit');
  expect(formatPath(['id'], 'path')).toBe('path.id');
});
