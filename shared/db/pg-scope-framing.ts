/**
 * node-postgres only: a tenant transaction's BEGIN and its scope (`set_config` of the role, tenant
 * and user) go to the server in the same round trip as the transaction's first statement (issue
 * 12: the framing was a round trip of its own in every transaction, ADR 174). The scope travels
 * from `withTenant` to the connection's BEGIN in an AsyncLocalStorage; ids are inlined only when
 * they are UUIDs, otherwise the transaction sets its scope in a statement of its own.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { Connection, PoolClient, QueryConfig, Submittable } from 'pg';
import type { TenantScope } from './client';

interface PendingScope {
  readonly statement: string;
  applied: boolean;
}

const pending = new AsyncLocalStorage<PendingScope>();
const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The scope statement with its ids as literals, or undefined when an id is not a UUID. */
export function scopeStatement(scope: TenantScope | null): string | undefined {
  const tenant = scope?.tenantId ?? '';
  const user = scope?.userId ?? '';
  if ((tenant && !UUID.test(tenant)) || (user && !UUID.test(user))) return undefined;
  return `select set_config('role', 'hishamos_app', true), set_config('app.tenant_id', '${tenant}', true), set_config('app.user_id', '${user}', true)`;
}

/**
 * Runs `begin` (the transaction opener) with `statement` pending for the connection's BEGIN;
 * resolves to whether the BEGIN carried it (else the caller sets the scope itself).
 */
export function withPendingScope<T>(
  statement: string | undefined,
  begin: (applied: () => boolean) => Promise<T>,
): Promise<T> {
  if (!statement) return begin(() => false);
  const state: PendingScope = { statement, applied: false };
  return pending.run(state, () => begin(() => state.applied));
}

/** What of pg's `Query` (lib/query.js) a framed query extends: its message handlers. */
interface QueryInternals extends Submittable {
  name?: string;
  text: string;
  hasBeenParsed(connection: Connection): boolean;
  handleRowDescription(message: unknown): void;
  handleDataRow(message: unknown): void;
  handleCommandComplete(message: unknown, connection: Connection): void;
  prepare(connection: Connection): void;
}
type QueryCallback = (error: Error | undefined, result: unknown) => void;
export type QueryClass = new (
  config: QueryConfig,
  values: unknown[],
  callback: QueryCallback,
) => QueryInternals;

/** pg's `Query`, checked to have the handlers a framed query overrides. */
export function queryClass(Query: unknown): QueryClass {
  const proto: unknown = typeof Query === 'function' ? Query.prototype : undefined;
  const has = (method: string) =>
    typeof proto === 'object' && proto !== null && typeof Reflect.get(proto, method) === 'function';
  const methods = [
    'handleRowDescription',
    'handleDataRow',
    'handleCommandComplete',
    'prepare',
    'hasBeenParsed',
  ];
  if (!methods.every(has)) throw new TypeError('pg Query lacks the handlers framing extends');
  return Query as QueryClass;
}

/**
 * A statement sent between `prefix` and `suffix` (statements without parameters whose results are
 * dropped) in one extended-protocol pipeline: one Sync, so one round trip. The server runs them in
 * order and skips the rest at the first error, which fails the whole query.
 */
function framedQueryClass(Query: QueryClass) {
  return class FramedQuery extends Query {
    /** Command completions of the prefix still to come. */
    private ahead: number;
    private answered = false;
    constructor(
      /** Read by `bench/` statement counters too: each is a statement the server runs. */
      readonly prefix: readonly string[],
      readonly suffix: readonly string[],
      config: QueryConfig,
      values: unknown[],
      callback: QueryCallback,
    ) {
      super(config, values, callback);
      this.ahead = prefix.length;
    }
    override prepare(connection: Connection) {
      // A named statement is parsed ahead of the prefix: pg notes the active query's name parsed
      // at every ParseComplete and forgets it at an error, so both must be this statement's own.
      if (this.name && !this.hasBeenParsed(connection)) {
        connection.parse({ text: this.text, name: this.name, types: [] }, true);
        submittedStatements(connection)[this.name] = this.text;
      }
      for (const text of this.prefix) sendUnnamed(connection, text);
      if (!this.suffix.length) return super.prepare(connection);
      // pg's own prepare ends with Execute and Sync: the suffix goes in before that Sync.
      const { suffix } = this;
      const own = Object.getOwnPropertyDescriptor(connection, 'sync');
      const restore = () =>
        own
          ? Object.defineProperty(connection, 'sync', own)
          : Reflect.deleteProperty(connection, 'sync');
      connection.sync = () => {
        restore();
        for (const text of suffix) sendUnnamed(connection, text);
        connection.sync();
      };
      try {
        super.prepare(connection);
      } finally {
        restore();
      }
    }
    private own() {
      return !this.ahead && !this.answered;
    }
    override handleRowDescription(message: unknown) {
      if (this.own()) super.handleRowDescription(message);
    }
    override handleDataRow(message: unknown) {
      if (this.own()) super.handleDataRow(message);
    }
    override handleCommandComplete(message: unknown, connection: Connection) {
      if (this.ahead) this.ahead--;
      else if (!this.answered) {
        this.answered = true;
        super.handleCommandComplete(message, connection);
      }
    }
  };
}

function sendUnnamed(connection: Connection, text: string) {
  // pg's Connection writes each message now; `more` exists only in @types/pg.
  connection.parse({ text, name: '', types: [] }, true);
  connection.bind({}, true);
  connection.execute({}, true);
}

/** pg's record on a connection of the named statements sent for parsing (lib/connection.js). */
function submittedStatements(connection: Connection): Record<string, string> {
  const submitted: unknown = Reflect.get(connection, 'submittedNamedStatements');
  if (typeof submitted !== 'object' || submitted === null)
    throw new TypeError('pg Connection lacks submittedNamedStatements');
  return submitted as Record<string, string>;
}

const isStatement = (config: unknown, text: string) =>
  config === text ||
  (typeof config === 'object' &&
    config !== null &&
    Reflect.get(config, 'text') === text &&
    !Reflect.get(config, 'name'));
const isBegin = (config: unknown) => isStatement(config, 'begin');
const isEnd = (config: unknown) => isStatement(config, 'commit') || isStatement(config, 'rollback');
const UNSENT = (command: string) => ({ command, rowCount: null, rows: [], fields: [] });

/**
 * The parameterised statement config of a `query(config, values)` call that a pipeline can carry,
 * or undefined (a bare text may hold several statements; the extended protocol takes one).
 */
function extendedCall(args: unknown[]): { config: QueryConfig; values: unknown[] } | undefined {
  const [config, values, more] = args;
  if (more !== undefined || typeof config !== 'object' || config === null) return undefined;
  if (!Array.isArray(values) || typeof Reflect.get(config, 'submit') === 'function')
    return undefined;
  const text: unknown = Reflect.get(config, 'text');
  if (typeof text !== 'string' || (!values.length && !Reflect.get(config, 'name')))
    return undefined;
  return { config: { ...config, text }, values };
}

const closing = new AsyncLocalStorage<{ sent: boolean }>();

/**
 * Runs `send`, whose first statement is the last of its transaction: on node-postgres the COMMIT
 * rides with it, in its round trip (ADR 176), so a lock it takes is held for no round trip more.
 * Nothing may be sent in the transaction after it; elsewhere the COMMIT follows as usual.
 */
export function asLastStatement<T>(send: () => PromiseLike<T>): Promise<T> {
  // Awaited inside: drizzle's queries are lazy, sent when first awaited.
  return closing.run({ sent: false }, async () => await send());
}

/**
 * Patches a new pool client so a BEGIN under a pending scope waits for the transaction's first
 * statement and goes to the server with it and the scope, in one round trip (a transaction that
 * ends before any statement sends nothing at all), and a statement sent `asLastStatement` carries
 * the COMMIT.
 */
export function frameScopeOnBegin(client: PoolClient, Query: QueryClass): void {
  const FramedQuery = framedQueryClass(Query);
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  let opening: string[] | undefined;
  let inTransaction = false;
  let committed = false;
  (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const end = isEnd(args[0]);
    if (committed) {
      // drizzle's own COMMIT (or, had the callback failed after its last statement, ROLLBACK).
      committed = false;
      if (end) return Promise.resolve(UNSENT('COMMIT'));
      return Promise.reject(new Error('a statement after its transaction committed'));
    }
    const begin = isBegin(args[0]);
    const state = pending.getStore();
    if (begin && state && !state.applied && typeof args[1] !== 'function') {
      state.applied = true;
      opening = ['begin', state.statement];
      inTransaction = true;
      return Promise.resolve(UNSENT('BEGIN'));
    }
    if (begin) inTransaction = true;
    if (end) inTransaction = false;
    const prefix = opening ?? [];
    opening = undefined;
    if (prefix.length && end)
      return Promise.resolve(UNSENT(isStatement(args[0], 'commit') ? 'COMMIT' : 'ROLLBACK'));
    const last = closing.getStore();
    const closes = last !== undefined && !last.sent && inTransaction;
    // Most statements go as they came: nothing to open, nothing to close.
    if (!prefix.length && !closes) return query(...args);
    const call = extendedCall(args);
    // No parameters: the simple query protocol, which takes several statements in one message.
    if (!call)
      return prefix.length
        ? Promise.resolve(query(prefix.join('; '))).then(() => query(...args))
        : query(...args);
    if (closes) last.sent = true;
    const suffix = closes ? ['commit'] : [];
    return new Promise((resolve, reject) =>
      query(
        new FramedQuery(prefix, suffix, call.config, call.values, (error, result) => {
          if (error) return reject(error);
          if (suffix.length) {
            committed = true;
            inTransaction = false;
          }
          resolve(result);
        }),
      ),
    );
  };
}
