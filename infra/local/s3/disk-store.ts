/** Objects on disk: one body file and one metadata file each, replaced atomically by rename. */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { StoredObject } from './wire';

const fileId = (key: string) => createHash('sha256').update(key).digest('hex');

const bodyFileOf = (o: StoredObject) => `${fileId(o.key)}.${o.etag.replaceAll('"', '')}.body`;

interface MetaFile extends Omit<StoredObject, 'body'> {
  readonly bodyFile: string;
}

export function loadObjects(
  directory: string | undefined,
  bucket: string,
): Map<string, StoredObject> {
  const objects = new Map<string, StoredObject>();
  if (!directory) return objects;
  const dir = join(directory, bucket);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const { bodyFile, ...meta } = JSON.parse(readFileSync(join(dir, name), 'utf8')) as MetaFile;
    objects.set(meta.key, { ...meta, body: readFileSync(join(dir, bodyFile)) });
  }
  return objects;
}

export class DiskStore {
  constructor(private readonly directory: string) {}

  /**
   * The body goes to a file named by its ETag, then the metadata that points at it replaces the old
   * one by rename: a crash leaves the old object or the new one (plus an orphan body), never a mix.
   */
  async write(bucket: string, object: StoredObject, previous?: StoredObject): Promise<void> {
    const base = join(this.directory, bucket, fileId(object.key));
    const { body, ...meta } = object;
    const bodyFile = bodyFileOf(object);
    await writeFile(join(this.directory, bucket, bodyFile), body);
    await writeFile(`${base}.json.tmp`, JSON.stringify({ ...meta, bodyFile }));
    await rename(`${base}.json.tmp`, `${base}.json`);
    if (previous && bodyFileOf(previous) !== bodyFile)
      await rm(join(this.directory, bucket, bodyFileOf(previous)), { force: true });
  }

  async remove(bucket: string, object: StoredObject): Promise<void> {
    await rm(join(this.directory, bucket, `${fileId(object.key)}.json`), { force: true });
    await rm(join(this.directory, bucket, bodyFileOf(object)), { force: true });
  }
}
