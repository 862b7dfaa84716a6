/**
 * node-postgres only: a statement marked with `preparedByText` is named after a hash of its text, so
 * each connection parses and plans it once and then only binds and executes it (issue 12: the
 * engine's hot writes spent 0.2-0.3 ms of server time a statement in parse and plan). The mark is
 * a comment, harmless on PGlite and the Data API, which cannot prepare.
 *
 * Opt-in, not every statement: a generic plan suits the engine's key lookups and writes, not a
 * search whose best plan depends on its parameters (ADR 169).
 */
import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import type { PoolClient } from 'pg';

const MARK = '/* prepared */ ';
/** Names kept per process: a marked statement's text has a bounded number of shapes. */
const MAX_NAMES = 512;
/** Named statements per connection, past which marked statements go unnamed (server memory). */
const MAX_PER_CONNECTION = 256;

const names = new Map<string, string>();

/** `q` marked to be prepared once per connection on node-postgres. */
export function preparedByText(q: SQL): SQL {
  return sql`${sql.raw(MARK)}${q}`;
}

function nameOf(text: string): string | undefined {
  const known = names.get(text);
  if (known || names.size >= MAX_NAMES) return known;
  const name = `p_${createHash('sha1').update(text).digest('base64url')}`;
  names.set(text, name);
  return name;
}

interface QueryConfig {
  text?: unknown;
  name?: unknown;
}

/** Patches a new pool client so that marked statements carry their name. */
export function nameMarkedStatements(client: PoolClient): void {
  const query = client.query.bind(client) as (...args: unknown[]) => unknown;
  const named = new Set<string>();
  (client as { query: (...args: unknown[]) => unknown }).query = (...args: unknown[]) => {
    const config = args[0] as QueryConfig | undefined;
    if (
      typeof config === 'object' &&
      config !== null &&
      config.name === undefined &&
      typeof config.text === 'string' &&
      config.text.startsWith(MARK)
    ) {
      const name = nameOf(config.text);
      if (name && (named.has(name) || named.size < MAX_PER_CONNECTION)) {
        named.add(name);
        return query({ ...config, name }, ...args.slice(1));
      }
    }
    return query(...args);
  };
}
