/**
 * The `hishamos` CLI as a user runs it (`cli/bin.mjs`, the package's bin) against the real local
 * runtime: sign in, apply an agent and a workflow from YAML, export them back, start runs with
 * --watch and get the exit codes a CI pipeline relies on.
 */
import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import YAML from 'yaml';
import { ADMIN_PASSWORD, ROOT, startTestStack, type TestStack } from '../../support/stack';

let stack: TestStack;
let dir: string;
beforeAll(async () => {
  stack = await startTestStack({ env: { STREAM_POLL_MS: '20' } });
  dir = await mkdtemp(join(tmpdir(), 'hishamos-cli-'));
});
afterAll(async () => {
  await stack?.close();
  await rm(dir, { recursive: true, force: true });
});

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'cli/bin.mjs'), ...args],
      { env: { ...process.env, HISHAMOS_CONFIG: join(dir, 'profile.json') }, timeout: 60_000 },
      (error, stdout, stderr) =>
        resolve({ code: error ? ((error as { code?: number }).code ?? 1) : 0, stdout, stderr }),
    );
  });
}

const agentFile = {
  slug: 'cli-breaker',
  name: 'Always fails',
  role: 'test',
  systemPrompt: 'You fail.',
  model: 'simulator:fail',
  fallbacks: [],
  parameters: {},
};
const workflowFile = (slug: string, agent: string) => ({
  slug,
  name: `CLI ${slug}`,
  description: 'Applied from a file',
  inputs: [{ name: 'feature', required: true }],
  nodes: [{ id: 'spec', type: 'agent', agent, prompt: 'Spec for {{input.feature}}' }],
  edges: [],
});

test('login stores a profile readable by its owner only', async () => {
  const out = await cli(
    'login',
    '--url',
    stack.url,
    '--email',
    'admin@localhost',
    '--password',
    ADMIN_PASSWORD,
    '--tenant',
    'demo',
  );

  expect(out).toMatchObject({ code: 0 });
  expect(out.stdout).toContain('signed in');
  expect((await stat(join(dir, 'profile.json'))).mode & 0o777).toBe(0o600);
});

test('apply is idempotent and export gives the file back', async () => {
  const file = join(dir, 'good.yaml');
  await writeFile(file, YAML.stringify(workflowFile('cli-good', 'pm')));

  const created = await cli('workflows', 'apply', '-f', file);
  const again = await cli('workflows', 'apply', '-f', file);
  const exported = await cli('workflows', 'export', 'cli-good');
  await writeFile(file, YAML.stringify({ ...workflowFile('cli-good', 'pm'), name: 'Renamed' }));
  const preview = await cli('workflows', 'apply', '-f', file, '--dry-run');
  const changed = await cli('workflows', 'apply', '-f', file);

  expect(created).toMatchObject({ code: 0 });
  expect(created.stdout).toContain('workflow cli-good created (v1)');
  expect(again.stdout).toContain('workflow cli-good unchanged (v1)');
  expect(YAML.parse(exported.stdout)).toEqual(workflowFile('cli-good', 'pm'));
  expect(preview.stdout).toContain('workflow cli-good would be updated (v2): name');
  expect(preview.stdout).toContain('dry run: nothing was written');
  expect(changed.stdout).toContain('workflow cli-good updated (v2): name');
});

test('runs start --watch streams the run and exits 0 when it succeeds', async () => {
  const out = await cli('runs', 'start', 'cli-good', '--input', 'feature=dark mode', '--watch');

  expect(out.stderr).toBe('');
  expect(out.code).toBe(0);
  expect(out.stdout).toMatch(/run [0-9a-f-]{36} started/);
  expect(out.stdout).toContain('step.succeeded');
  expect(out.stdout).toMatch(/run [0-9a-f-]{36} SUCCEEDED/);
});

test("runs start --watch prints a slow step's partial output as it grows, before the step succeeds", async () => {
  // Prepare: an agent slow enough that its answer is flushed in several pieces.
  const agent = join(dir, 'slow.yaml');
  const workflow = join(dir, 'slow-flow.yaml');
  await writeFile(
    agent,
    YAML.stringify({ ...agentFile, slug: 'cli-slow', model: 'simulator:slow-3000' }),
  );
  await writeFile(workflow, YAML.stringify(workflowFile('cli-slow', 'cli-slow')));
  expect((await cli('agents', 'apply', '-f', agent)).code).toBe(0);
  expect((await cli('workflows', 'apply', '-f', workflow)).code).toBe(0);

  // Act
  const out = await cli('runs', 'start', 'cli-slow', '-i', 'feature=rivers', '--watch');

  // Assess: the answer's lines, prefixed with the node, come before the step's success.
  expect(out.code).toBe(0);
  const lines = out.stdout.split('\n');
  const partial = lines.filter((l) => l.startsWith('  spec │ '));
  const succeeded = lines.findIndex((l) => l.includes('step.succeeded'));
  expect(partial[0]).toBe(
    '  spec │ [HishamOS local simulator: offline, deterministic, not a real model]',
  );
  expect(partial).toContain('  spec │ **Task:** Spec for rivers');
  expect(lines.indexOf(partial[partial.length - 1])).toBeLessThan(succeeded);
  expect(out.stdout).not.toContain('step.output_delta');
});

test('runs start --watch exits non-zero when the run fails', async () => {
  const agent = join(dir, 'agent.yaml');
  const workflow = join(dir, 'bad.json');
  await writeFile(agent, YAML.stringify(agentFile));
  await writeFile(workflow, JSON.stringify(workflowFile('cli-bad', 'cli-breaker')));
  expect((await cli('agents', 'apply', '-f', agent)).code).toBe(0);
  expect((await cli('workflows', 'apply', '-f', workflow)).code).toBe(0);

  const out = await cli('runs', 'start', 'cli-bad', '-i', 'feature=x', '--watch');

  expect(out.code).toBe(3);
  expect(out.stdout).toMatch(/run [0-9a-f-]{36} FAILED/);
  expect(YAML.parse((await cli('agents', 'export', 'cli-breaker')).stdout)).toEqual(agentFile);
});

test('bad input is refused with the field named and exit code 1 or 2', async () => {
  const bad = join(dir, 'broken.yaml');
  await writeFile(bad, YAML.stringify({ slug: 'cli-broken', name: 'x', nodes: [] }));

  const refused = await cli('workflows', 'apply', '-f', bad);
  const unknown = await cli('workflows', 'frobnicate');
  const missing = await cli('runs', 'start', 'no-such-workflow');

  expect(refused.code).toBe(1);
  expect(refused.stderr).toContain('ValidationError');
  expect(refused.stderr).toContain('nodes');
  expect(unknown.code).toBe(2);
  expect(missing.code).toBe(1);
  expect(missing.stderr).toContain('NotFound');
  expect(await readFile(join(dir, 'profile.json'), 'utf8')).not.toContain(ADMIN_PASSWORD);
});
