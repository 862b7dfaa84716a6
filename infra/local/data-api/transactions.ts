/**
 * Open Data API transactions by id, each holding its connection, ended by commit, rollback, an
 * error, or the documented idle (3 minutes) and lifetime (24 hours) limits.
 */
import { randomBytes } from 'node:crypto';
import type pg from 'pg';
import { databaseError, DataApiError } from './errors';

export interface Transaction {
  id: string;
  client: pg.PoolClient;
  pool: pg.Pool;
  started: number;
  lastUsed: number;
  busy: boolean;
}

export class Transactions {
  private readonly open = new Map<string, Transaction>();
  /** Why an id is gone, for the documented "isn't found" causes. */
  private readonly ended = new Map<string, string>();
  private readonly sweeper: NodeJS.Timeout;

  constructor(private readonly limits: { idleMs: number; maxMs: number }) {
    this.sweeper = setInterval(() => this.sweep(), Math.max(10, Math.min(1000, limits.idleMs / 4)));
    this.sweeper.unref();
  }

  /** Registers a connection that has run BEGIN; the id is as long and opaque as Aurora's. */
  begin(client: pg.PoolClient, pool: pg.Pool): string {
    const id = randomBytes(48).toString('base64');
    const now = Date.now();
    this.open.set(id, { id, client, pool, started: now, lastUsed: now, busy: false });
    return id;
  }

  /** The transaction for a call, marked busy until `release`. */
  take(id: string): Transaction {
    const tx = this.open.get(id);
    if (!tx) {
      const why = this.ended.get(id);
      throw new DataApiError(
        'TransactionNotFoundException',
        404,
        `Transaction ${id} isn't found${why ? `: ${why}` : ''}`,
      );
    }
    // Docs (troubleshooting): a request on a transaction that is running another one fails at once.
    if (tx.busy) throw databaseError('Transaction is still running a query');
    tx.busy = true;
    tx.lastUsed = Date.now();
    return tx;
  }

  release(tx: Transaction): void {
    tx.busy = false;
    tx.lastUsed = Date.now();
  }

  async end(tx: Transaction, how: 'COMMIT' | 'ROLLBACK', why: string): Promise<void> {
    this.open.delete(tx.id);
    this.ended.set(tx.id, why);
    try {
      await tx.client.query(how);
      tx.client.release();
    } catch (e) {
      tx.client.release(true);
      throw e;
    }
  }

  async close(): Promise<void> {
    clearInterval(this.sweeper);
    for (const tx of [...this.open.values()])
      await this.end(tx, 'ROLLBACK', 'endpoint closed').catch(() => undefined);
  }

  private sweep(): void {
    const now = Date.now();
    for (const tx of this.open.values()) {
      if (tx.busy) continue;
      if (now - tx.lastUsed > this.limits.idleMs)
        void this.end(tx, 'ROLLBACK', 'Transaction may be expired').catch(() => undefined);
      else if (now - tx.started > this.limits.maxMs)
        void this.end(tx, 'ROLLBACK', 'Transaction exceeded 24 hours').catch(() => undefined);
    }
  }
}
