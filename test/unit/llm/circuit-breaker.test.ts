/**
 * The circuit breaker against dynalite (DynamoDB over the real wire protocol, conditional writes,
 * no TTL deletion): opens after N failures in the window, skips while open, lets exactly one probe
 * through after the cooldown, closes on the probe's success and re-opens on its failure.
 */
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import type { AddressInfo } from 'node:net';
import { CreateTableCommand, DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { CircuitBreaker } from '../../../shared/llm/circuit-breaker';

let server: any;
let dynamo: DynamoDBClient;
const TABLE = 'breaker-test';
const opts = { threshold: 3, windowMs: 10_000, cooldownMs: 5_000, probeTimeoutMs: 20_000 };

beforeAll(async () => {
  const { default: dynalite } = await import('dynalite');
  server = dynalite({ createTableMs: 0 });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', () => r()));
  dynamo = new DynamoDBClient({
    endpoint: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    region: 'us-east-1',
    credentials: { accessKeyId: 'x', secretAccessKey: 'x' },
  });
  await dynamo.send(
    new CreateTableCommand({
      TableName: TABLE,
      BillingMode: 'PAY_PER_REQUEST',
      AttributeDefinitions: [
        { AttributeName: 'pk', AttributeType: 'S' },
        { AttributeName: 'sk', AttributeType: 'S' },
      ],
      KeySchema: [
        { AttributeName: 'pk', KeyType: 'HASH' },
        { AttributeName: 'sk', KeyType: 'RANGE' },
      ],
    }),
  );
});
afterAll(async () => {
  dynamo?.destroy();
  await new Promise((r) => server.close(r));
});

async function fail(b: CircuitBreaker, key: string, now: number) {
  const permit = await b.acquire(key, now);
  return {
    permit,
    transition: permit.allowed
      ? await b.record(key, permit, 'ProviderUnavailable', now)
      : undefined,
  };
}

describe('circuit breaker', () => {
  it('opens after N failures in the window, skips while open, half-opens for one probe, closes on success', async () => {
    const b = new CircuitBreaker(dynamo, TABLE, opts);
    const key = CircuitBreaker.key('openai', 'env');
    const t = 1_000_000;
    expect((await fail(b, key, t)).transition).toBeUndefined();
    expect((await fail(b, key, t + 1)).transition).toBeUndefined();
    expect((await fail(b, key, t + 2)).transition).toBe('opened');

    const skipped = await b.acquire(key, t + 100);
    expect(skipped).toMatchObject({ allowed: false, state: 'open' });
    expect(await b.state(key, t + 100)).toBe('open');
    expect(await b.state(key, t + 2 + opts.cooldownMs)).toBe('half_open');

    // After the cooldown: exactly one of several concurrent callers becomes the probe.
    const after = t + 2 + opts.cooldownMs;
    const permits = await Promise.all([1, 2, 3, 4].map(() => b.acquire(key, after)));
    expect(permits.filter((p) => p.allowed && p.probe)).toHaveLength(1);
    expect(permits.filter((p) => !p.allowed)).toHaveLength(3);
    const probe = permits.find((p) => p.allowed)!;
    expect(await b.acquire(key, after + 1)).toMatchObject({ allowed: false, state: 'half_open' });
    expect(await b.record(key, probe, undefined, after + 10)).toBe('closed');
    expect(await b.acquire(key, after + 11)).toMatchObject({
      allowed: true,
      probe: false,
      state: 'closed',
    });
  });

  it('re-opens when the probe fails, and lets a new probe in when a probe goes silent', async () => {
    const b = new CircuitBreaker(dynamo, TABLE, opts);
    const key = CircuitBreaker.key('gemini', 'tenant:t1');
    const t = 2_000_000;
    for (let i = 0; i < 3; i++) await fail(b, key, t + i);
    const probe = await b.acquire(key, t + opts.cooldownMs + 10);
    expect(probe.probe).toBe(true);
    expect(await b.record(key, probe, 'ProviderThrottled', t + opts.cooldownMs + 20)).toBe(
      'reopened',
    );
    expect(await b.acquire(key, t + opts.cooldownMs + 30)).toMatchObject({
      allowed: false,
      state: 'open',
    });

    const reopenedAt = t + opts.cooldownMs + 20;
    const silent = await b.acquire(key, reopenedAt + opts.cooldownMs);
    expect(silent.probe).toBe(true); // and never reports back
    expect((await b.acquire(key, reopenedAt + opts.cooldownMs + 1)).allowed).toBe(false);
    const next = await b.acquire(key, reopenedAt + opts.cooldownMs + opts.probeTimeoutMs + 1);
    expect(next).toMatchObject({ allowed: true, probe: true });
  });

  it('forgets failures outside the window, and does not count answers that prove the provider is up', async () => {
    const b = new CircuitBreaker(dynamo, TABLE, opts);
    const key = CircuitBreaker.key('anthropic', 'env');
    const t = 3_000_000;
    await fail(b, key, t);
    await fail(b, key, t + 1);
    expect((await fail(b, key, t + opts.windowMs + 10)).transition).toBeUndefined(); // window restarted: 1 failure
    const ok = await b.acquire(key, t + opts.windowMs + 20);
    expect(await b.record(key, ok, 'InvalidRequest', t + opts.windowMs + 20)).toBeUndefined(); // resets the count
    await fail(b, key, t + opts.windowMs + 30);
    expect((await fail(b, key, t + opts.windowMs + 40)).transition).toBeUndefined();
    expect(await b.state(key, t + opts.windowMs + 50)).toBe('closed');
  });

  it('treats an expired item as a clean breaker (no TTL deletion in dynalite)', async () => {
    const b = new CircuitBreaker(dynamo, TABLE, opts);
    const key = CircuitBreaker.key('compatible', 'env');
    const t = 4_000_000;
    for (let i = 0; i < 3; i++) await fail(b, key, t + i);
    expect(await b.state(key, t + 10)).toBe('open');
    expect(await b.state(key, t + 10 * 3_600_000)).toBe('closed');
    expect(await b.acquire(key, t + 10 * 3_600_000)).toMatchObject({ allowed: true, probe: false });
  });
  it('asked without a probe, allows only when closed and takes no probe after the cooldown', async () => {
    // Prepare: an open breaker whose cooldown is over
    const b = new CircuitBreaker(dynamo, TABLE, opts);
    const key = CircuitBreaker.key('preparing', 'env');
    const t = 5_000_000;
    for (let i = 0; i < 3; i++) await fail(b, key, t + i);
    const after = t + 2 + opts.cooldownMs;

    // Act: a completion preparing the next step asks first (ADR 186), then the step's own task
    const preparing = await b.acquire(key, after, { probe: false });
    const task = await b.acquire(key, after + 1);

    // Assess: the preparation was refused and left the probe to the task
    expect(preparing).toMatchObject({ allowed: false, probe: false });
    expect(task).toMatchObject({ allowed: true, probe: true, state: 'half_open' });
    expect(await b.acquire(key, after + 2, { probe: false })).toMatchObject({ allowed: false });
  });
});
