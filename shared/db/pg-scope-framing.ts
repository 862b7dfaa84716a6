/**
 * node-postgres only: a tenant transaction's BEGIN and its scope (`set_config` of the role, tenant
 * and user) go to the server as one simple query, one round trip instead of two per transaction
 * (issue 12: the framing statements were half the engine's statement time). The scope travels
 * from `withTenant` to the connection's BEGIN in an AsyncLocalStorage; ids are inlined only when
 * they are UUIDs, otherwise the transaction sets its scope in a statement of its own.
 */
import { AsyncLocalStorage } from 'node:async_hooks';
import type { PoolClient } from 'pg';
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

const isBegin = (config: unknown) =>
  config === 'begin' ||
  (typeof config === 'object' &&
    config !== null &&
    (config as { text?: unknown }).text === 'begin' &&
    !(config as { name?: unknown }).name);

/** Patches a new pool client so the first BEGIN under a pending scope also sets it. */
export function frameScopeOnBegin(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const state = pending.getStore();
    if (state && !state.applied && isBegin(args[0]) && typeof args[1] !== 'function') {
      state.applied = true;
      // No parameters: the simple query protocol, which takes several statements in one message.
      return query(`begin; ${state.statement}`);
    }
    return query(...args);
  };
}
