/**
 * The local data directory holds password hashes and secrets: it and every file in it are private
 * to the user (0700 / 0600), including data an earlier version wrote world-readable.
 */
import { mkdir, mkdtemp, readdir, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { makePrivate } from '../../../infra/local/private-files';

async function modes(dir: string): Promise<[string, number][]> {
  const out: [string, number][] = [[dir, (await stat(dir)).mode & 0o777]];
  for (const e of await readdir(dir, { withFileTypes: true })) {
    const path = join(dir, e.name);
    if (e.isDirectory()) out.push(...(await modes(path)));
    else out.push([path, (await stat(path)).mode & 0o777]);
  }
  return out;
}

test('an existing world-readable data directory is made private', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'hishamos-private-'));
  try {
    await mkdir(join(dir, 'pglite/base'), { recursive: true, mode: 0o755 });
    await writeFile(join(dir, 'pglite/base/1249'), 'password hashes', { mode: 0o644 });
    await writeFile(join(dir, 'secrets.json'), '{}', { mode: 0o644 });

    await makePrivate(dir);

    const found = await modes(dir);
    expect(found).toHaveLength(5);
    for (const [path, mode] of found) expect([path, mode & 0o077]).toEqual([path, 0]);
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
});
