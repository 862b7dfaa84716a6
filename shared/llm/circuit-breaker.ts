/**
 * Per-provider circuit breaker held in DynamoDB, so every Lambda shares it (ADR 010).
 *
 *   closed     calls flow; ProviderUnavailable / ProviderThrottled answers count as failures within a
 *              sliding-from-first-failure window; `threshold` failures in `windowMs` → open
 *   open       calls are skipped without touching the provider (the step records a `skipped`
 *              attempt, errorName CircuitOpen, and moves to its next chain entry) until `cooldownMs`
 *              has passed since it opened
 *   half_open  after the cooldown exactly ONE caller wins a conditional write and probes; the others
 *              keep skipping. The probe's success closes the breaker; its failure re-opens it for a
 *              new cooldown. A probe that never reports (crashed Lambda) expires after `probeTimeoutMs`
 *              and the next caller may probe.
 *
 * Any answer from the provider that is not a failure above (success, auth error, bad request, context
 * too long, filtered content, schema mismatch) proves the provider is up and counts as a success.
 * Every write is conditional on a version number (optimistic concurrency); dynalite has conditional
 * writes but no TTL deletion, so expiry (`expiresAt`, the table's TTL attribute) is checked on read.
 */
import {
  ConditionalCheckFailedException,
  GetItemCommand,
  PutItemCommand,
  type AttributeValue,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import type { Config } from '../config';

export type BreakerState = 'closed' | 'open' | 'half_open';

export interface BreakerOptions {
  threshold: number;
  windowMs: number;
  cooldownMs: number;
  probeTimeoutMs: number;
}

export const DEFAULT_BREAKER: BreakerOptions = {
  threshold: 5,
  windowMs: 60_000,
  cooldownMs: 30_000,
  probeTimeoutMs: 120_000,
};

/** Breaker settings from the configuration (LLM_BREAKER_*, parsed once in shared/config). */
export function breakerOptions(
  config: Pick<
    Config,
    | 'LLM_BREAKER_THRESHOLD'
    | 'LLM_BREAKER_WINDOW_MS'
    | 'LLM_BREAKER_COOLDOWN_MS'
    | 'LLM_BREAKER_PROBE_TIMEOUT_MS'
  >,
): BreakerOptions {
  return {
    threshold: config.LLM_BREAKER_THRESHOLD,
    windowMs: config.LLM_BREAKER_WINDOW_MS,
    cooldownMs: config.LLM_BREAKER_COOLDOWN_MS,
    probeTimeoutMs: config.LLM_BREAKER_PROBE_TIMEOUT_MS,
  };
}

/** Names that count as the provider failing. */
export const BREAKER_FAILURES: ReadonlySet<string> = new Set([
  'ProviderUnavailable',
  'ProviderThrottled',
]);

interface Snapshot {
  state: BreakerState;
  failures: number;
  windowStart: number;
  openUntil: number;
  probeUntil: number;
  ver: number;
}

export interface Permit {
  allowed: boolean;
  /** This caller is the half-open probe. */
  probe: boolean;
  state: BreakerState;
  /** Internal: what the caller saw, so a success on a clean breaker costs no write. */
  readonly seen: Snapshot;
}

export type Transition = 'opened' | 'reopened' | 'closed' | undefined;

const EMPTY: Snapshot = {
  state: 'closed',
  failures: 0,
  windowStart: 0,
  openUntil: 0,
  probeUntil: 0,
  ver: 0,
};

export class CircuitBreaker {
  constructor(
    private readonly dynamo: DynamoDBClient,
    private readonly table: string,
    private readonly options: BreakerOptions = DEFAULT_BREAKER,
  ) {}

  /** `provider` plus whose credentials (a tenant's own key is throttled on its own; env keys are shared). */
  static key(provider: string, scope: string): string {
    return `breaker#${provider}#${scope}`;
  }

  async state(key: string, now: number): Promise<BreakerState> {
    const s = await this.read(key, now);
    return s.state === 'open' && now >= s.openUntil ? 'half_open' : s.state;
  }

  /**
   * May this caller call the provider now? With `probe: false` only a closed breaker allows, and
   * nothing is written (a caller that may not get to call must not hold the half-open probe).
   */
  async acquire(
    key: string,
    now: number,
    { probe = true }: { probe?: boolean } = {},
  ): Promise<Permit> {
    const seen = await this.read(key, now);
    if (seen.state === 'closed') return { allowed: true, probe: false, state: 'closed', seen };
    if (!probe) return { allowed: false, probe: false, state: seen.state, seen };
    if (seen.state === 'open' && now < seen.openUntil)
      return { allowed: false, probe: false, state: 'open', seen };
    if (seen.state === 'half_open' && now < seen.probeUntil)
      return { allowed: false, probe: false, state: 'half_open', seen };
    // Cooldown over (or a probe went silent): one caller wins the right to probe.
    const claimed = await this.write(
      key,
      seen,
      { ...seen, state: 'half_open', probeUntil: now + this.options.probeTimeoutMs },
      now,
    );
    return claimed
      ? { allowed: true, probe: true, state: 'half_open', seen: { ...seen, state: 'half_open' } }
      : { allowed: false, probe: false, state: 'half_open', seen };
  }

  /** Report the outcome of a call made under `permit`. Returns the transition it caused, if any. */
  async record(
    key: string,
    permit: Permit,
    errorName: string | undefined,
    now: number,
  ): Promise<Transition> {
    const failed = errorName !== undefined && BREAKER_FAILURES.has(errorName);
    if (!failed) {
      if (!permit.probe && permit.seen.state === 'closed' && permit.seen.failures === 0)
        return undefined;
      for (let i = 0; i < 4; i++) {
        const cur = i === 0 ? permit.seen : await this.read(key, now);
        if (cur.state === 'closed' && cur.failures === 0) return undefined;
        if (await this.write(key, cur, { ...EMPTY }, now))
          return cur.state === 'closed' ? undefined : 'closed';
      }
      return undefined;
    }
    for (let i = 0; i < 4; i++) {
      const cur = i === 0 && permit.probe ? permit.seen : await this.read(key, now);
      if (permit.probe || cur.state === 'half_open') {
        if (
          await this.write(
            key,
            cur,
            {
              ...cur,
              state: 'open',
              failures: 0,
              openUntil: now + this.options.cooldownMs,
              probeUntil: 0,
            },
            now,
          )
        )
          return 'reopened';
        continue;
      }
      if (cur.state === 'open') return undefined;
      const fresh = now - cur.windowStart > this.options.windowMs || cur.failures === 0;
      const failures = fresh ? 1 : cur.failures + 1;
      const next: Snapshot =
        failures >= this.options.threshold
          ? {
              ...cur,
              state: 'open',
              failures: 0,
              windowStart: 0,
              openUntil: now + this.options.cooldownMs,
            }
          : { ...cur, failures, windowStart: fresh ? now : cur.windowStart };
      if (await this.write(key, cur, next, now))
        return next.state === 'open' ? 'opened' : undefined;
    }
    return undefined;
  }

  private async read(key: string, now: number): Promise<Snapshot> {
    const out = await this.dynamo.send(
      new GetItemCommand({
        TableName: this.table,
        Key: { pk: { S: key }, sk: { S: 'state' } },
        ConsistentRead: true,
      }),
    );
    const item = out.Item;
    if (!item) return { ...EMPTY };
    const n = (a: AttributeValue | undefined) => Number(a?.N ?? 0);
    const ver = n(item.ver);
    // TTL deletion is lazy in AWS and absent in dynalite: an expired item is a clean, closed breaker.
    if (n(item.expiresAt) * 1000 < now) return { ...EMPTY, ver };
    return {
      state: (item.state?.S as BreakerState) ?? 'closed',
      failures: n(item.failures),
      windowStart: n(item.windowStart),
      openUntil: n(item.openUntil),
      probeUntil: n(item.probeUntil),
      ver,
    };
  }

  /** Conditional put: succeeds only if nobody wrote since `seen` was read. */
  private async write(key: string, seen: Snapshot, next: Snapshot, now: number): Promise<boolean> {
    const horizon =
      Math.max(now + this.options.windowMs, next.openUntil, next.probeUntil) + 3_600_000;
    try {
      await this.dynamo.send(
        new PutItemCommand({
          TableName: this.table,
          Item: {
            pk: { S: key },
            sk: { S: 'state' },
            state: { S: next.state },
            failures: { N: String(next.failures) },
            windowStart: { N: String(next.windowStart) },
            openUntil: { N: String(next.openUntil) },
            probeUntil: { N: String(next.probeUntil) },
            ver: { N: String(seen.ver + 1) },
            expiresAt: { N: String(Math.ceil(horizon / 1000)) },
          },
          ConditionExpression: seen.ver === 0 ? 'attribute_not_exists(pk) OR ver = :v' : 'ver = :v',
          ExpressionAttributeValues: { ':v': { N: String(seen.ver) } },
        }),
      );
      return true;
    } catch (e) {
      if (
        e instanceof ConditionalCheckFailedException ||
        (e as Error).name === 'ConditionalCheckFailedException'
      )
        return false;
      throw e;
    }
  }
}
