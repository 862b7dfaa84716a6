/**
 * A deadlock's victim is run again; any other error, or a deadlock past the attempts, is thrown.
 * The errors are shaped as each driver raises them.
 */
import { isDeadlock, retryOnDeadlock } from '../../../shared/db/deadlock';

const pgDeadlock = () =>
  Object.assign(new Error('Failed query: with run_lock as (…)'), {
    cause: Object.assign(new Error('deadlock detected'), { code: '40P01' }),
  });
const dataApiDeadlock = () =>
  Object.assign(new Error('ERROR: deadlock detected\n  Detail: Process 1 waits for ShareLock'), {
    name: 'DatabaseErrorException',
  });

test('recognises the deadlock of node-postgres (through drizzle) and of the Data API', () => {
  expect(isDeadlock(pgDeadlock())).toBe(true);
  expect(isDeadlock(dataApiDeadlock())).toBe(true);
  expect(isDeadlock(Object.assign(new Error('x'), { code: '40001' }))).toBe(false);
  expect(isDeadlock(new Error('duplicate key value violates unique constraint'))).toBe(false);
  expect(isDeadlock(undefined)).toBe(false);
});

test('a deadlock victim is run again and its second result returned', async () => {
  // Prepare
  let calls = 0;
  const transaction = async () => {
    calls++;
    if (calls === 1) throw pgDeadlock();
    return 'settled';
  };

  // Act
  const result = await retryOnDeadlock(transaction);

  // Assess
  expect(result).toBe('settled');
  expect(calls).toBe(2);
});

test('other errors are not retried; a deadlock on every attempt is thrown after the last', async () => {
  // Prepare
  let other = 0;
  let locked = 0;

  // Act
  const notRetried = retryOnDeadlock(async () => {
    other++;
    throw new Error('boom');
  });
  const exhausted = retryOnDeadlock(async () => {
    locked++;
    throw dataApiDeadlock();
  }, 3);

  // Assess
  await expect(notRetried).rejects.toThrow('boom');
  await expect(exhausted).rejects.toThrow('deadlock detected');
  expect(other).toBe(1);
  expect(locked).toBe(3);
});
