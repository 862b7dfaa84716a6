/**
 * The ids every log line carries (request, tenant, run, step, attempt), kept per invocation in an
 * AsyncLocalStorage so domain code logs through the platform logger without passing them around.
 */
import { AsyncLocalStorage } from 'node:async_hooks';

export interface LogContext {
  requestId?: string;
  tenantId?: string;
  runId?: string;
  stepId?: string;
  nodeId?: string;
  attempt?: number;
  [key: string]: string | number | undefined;
}

const store = new AsyncLocalStorage<LogContext>();

/** Runs `fn` with `fields` added to the current context (nested calls inherit the outer ids). */
export function withLogContext<T>(fields: LogContext, fn: () => T): T {
  return store.run({ ...store.getStore(), ...defined(fields) }, fn);
}

/** Adds ids learnt mid-invocation (the tenant after authentication, the attempt number). */
export function addLogContext(fields: LogContext): void {
  const current = store.getStore();
  if (current) Object.assign(current, defined(fields));
}

export function logContext(): Readonly<LogContext> {
  return store.getStore() ?? {};
}

const CLIENT_REQUEST_ID = /^[\w.:-]{1,128}$/;

/** The client's `x-request-id` when it is a sane token (echoed back), else the gateway's id. */
export function requestIdFrom(header: string | undefined, fallback: string): string {
  return header && CLIENT_REQUEST_ID.test(header) ? header : fallback;
}

function defined(fields: LogContext): LogContext {
  return Object.fromEntries(Object.entries(fields).filter(([, v]) => v !== undefined && v !== ''));
}
