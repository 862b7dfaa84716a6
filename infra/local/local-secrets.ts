import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { existsSync } from 'node:fs';
import { chmod, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SecretStore } from '../../shared/platform/ports';

/**
 * The local stand-in for Secrets Manager: one file, every value sealed with AES-256-GCM under a
 * master key kept beside it (0600) or given in HISHAMOS_MASTER_KEY. Nothing is stored in clear.
 */
export class LocalSecretStore implements SecretStore {
  private constructor(
    private readonly file: string,
    private readonly key: Buffer,
    private data: Record<string, string>,
  ) {}

  static async open(dir: string, masterKeyHex?: string): Promise<LocalSecretStore> {
    const keyFile = join(dir, 'master.key');
    let key: Buffer;
    if (masterKeyHex) key = Buffer.from(masterKeyHex, 'hex');
    else if (existsSync(keyFile))
      key = Buffer.from((await readFile(keyFile, 'utf8')).trim(), 'hex');
    else {
      key = randomBytes(32);
      await writeFile(keyFile, key.toString('hex'), { mode: 0o600 });
    }
    if (key.length !== 32)
      throw new Error('the local master key must be 32 bytes (64 hex characters)');
    const file = join(dir, 'secrets.json');
    const data = existsSync(file)
      ? (JSON.parse(await readFile(file, 'utf8')) as Record<string, string>)
      : {};
    return new LocalSecretStore(file, key, data);
  }

  async get(id: string): Promise<string | undefined> {
    const sealed = this.data[id];
    if (!sealed) return undefined;
    const buf = Buffer.from(sealed, 'base64');
    const decipher = createDecipheriv('aes-256-gcm', this.key, buf.subarray(0, 12));
    decipher.setAAD(Buffer.from(id));
    decipher.setAuthTag(buf.subarray(12, 28));
    return Buffer.concat([decipher.update(buf.subarray(28)), decipher.final()]).toString('utf8');
  }

  async put(id: string, value: string): Promise<void> {
    const iv = randomBytes(12);
    const cipher = createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(id));
    const body = Buffer.concat([cipher.update(value, 'utf8'), cipher.final()]);
    this.data[id] = Buffer.concat([iv, cipher.getAuthTag(), body]).toString('base64');
    await this.flush();
  }

  async delete(id: string): Promise<void> {
    delete this.data[id];
    await this.flush();
  }

  private async flush(): Promise<void> {
    const tmp = `${this.file}.tmp`;
    await writeFile(tmp, JSON.stringify(this.data, null, 2), { mode: 0o600 });
    await rename(tmp, this.file);
    await chmod(this.file, 0o600);
  }
}
