/**
 * Audit anchors locally: one append-only JSON-lines file per tenant beside the database, outside
 * anything the database role can reach (the S3 Object Lock bucket's stand-in, ADR 053).
 */
import { appendFile, mkdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { AuditAnchor, AuditAnchorStore } from '../../shared/platform/ports';

export class LocalAnchorStore implements AuditAnchorStore {
  constructor(private readonly dir: string) {}

  async append(anchor: AuditAnchor): Promise<void> {
    await mkdir(this.dir, { recursive: true, mode: 0o700 });
    await appendFile(this.file(anchor.tenantId), `${JSON.stringify(anchor)}\n`, { mode: 0o600 });
  }

  async list(tenantId: string): Promise<AuditAnchor[]> {
    const text = await readFile(this.file(tenantId), 'utf8').catch((e: NodeJS.ErrnoException) => {
      if (e.code === 'ENOENT') return '';
      throw e;
    });
    return text
      .split('\n')
      .filter(Boolean)
      .map((line) => JSON.parse(line) as AuditAnchor);
  }

  private file(tenantId: string): string {
    // Tenant ids are uuids; anything else never names a file.
    if (!/^[0-9a-f-]{36}$/i.test(tenantId)) throw new Error('invalid tenant id');
    return join(this.dir, `${tenantId}.jsonl`);
  }
}
