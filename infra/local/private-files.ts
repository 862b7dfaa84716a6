import { chmod, readdir } from 'node:fs/promises';
import { join } from 'node:path';

/** Directories 0700 and files 0600 under `dir` (data written by earlier versions included). */
export async function makePrivate(dir: string): Promise<void> {
  await chmod(dir, 0o700);
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) await makePrivate(path);
    else if (entry.isFile()) await chmod(path, 0o600);
  }
}
