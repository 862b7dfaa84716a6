import { ApiError, describeError, describeIssue } from '../../web/src/api/errors';

test('validation details read as sentences about the field, not zod codes', () => {
  expect(describeIssue({ path: 'path.id', message: 'Invalid UUID' })).toBe(
    'The id in the address is not a valid id',
  );
  expect(
    describeIssue({
      path: 'nodes[2].agent',
      message: 'Invalid input: expected string, received undefined',
    }),
  ).toBe('The agent of node 3 field is required');
  expect(
    describeIssue({ path: 'name', message: 'Too big: expected string to have <=100 characters' }),
  ).toBe('The name field must be at most 100 characters');
  expect(
    describeIssue({ path: 'query.limit', message: 'Too big: expected number to be <=200' }),
  ).toBe('The limit filter must be at most 200');
  expect(
    describeIssue({ path: 'role', message: 'Invalid option: expected one of "owner"|"admin"' }),
  ).toBe('The role field must be one of "owner", "admin"');
});

test('errors speak to people: one issue is the message, server faults hide internals', () => {
  const invalid = new ApiError(400, 'ValidationError', 'invalid path: path.id: Invalid UUID', [
    { path: 'path.id', message: 'Invalid UUID' },
  ]);
  const several = new ApiError(400, 'ValidationError', 'invalid request body', [
    { path: 'name', message: 'Required' },
    { path: 'model', message: 'Required' },
  ]);
  const internal = new ApiError(500, 'InternalError', 'internal error');
  const limited = new ApiError(
    429,
    'RateLimited',
    'rate limit of 600 requests per minute reached for user; retry in 12 s',
  );

  expect(describeError(invalid)).toBe('The id in the address is not a valid id.');
  expect(describeError(several)).toBe('2 fields need attention.');
  expect(describeError(internal)).toMatch(/^Something went wrong on the server/);
  expect(describeError(limited)).toBe('Too many requests right now. Retry in 12 s.');
});
