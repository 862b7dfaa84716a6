/** Every test file belongs to a Jest project (ADR 008): one outside the project directories never runs. */
import { readdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from '@jest/globals';

const TEST_ROOT = fileURLToPath(new URL('../..', import.meta.url));

describe('test layout', () => {
  it('puts every *.test.ts(x) under a project directory of jest.config.js', async () => {
    const config = '../../../jest.config.js';
    const { PROJECTS } = (await import(config)) as { PROJECTS: Record<string, string> };
    const files = readdirSync(TEST_ROOT, { recursive: true, encoding: 'utf8' }).filter((f) =>
      /\.test\.tsx?$/.test(f),
    );
    const dirs = Object.values(PROJECTS);
    expect(files.length).toBeGreaterThan(40);
    expect(files.filter((f) => !dirs.includes(f.split('/')[0]))).toEqual([]);
  });
});
