/**
 * `hishamos`: the command line of the platform, for people and CI pipelines. Workflows and agents
 * are code (YAML or JSON files applied idempotently and exported back identically); runs can be
 * started and followed live (the run's event stream), with a non-zero exit when they fail.
 */
import { readFile } from 'node:fs/promises';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import YAML from 'yaml';
import type { z } from 'zod';
import type { ImportOutcome as ImportOutcomeSchema } from '../shared/api/contracts/catalog-files';
import { renderFile } from '../shared/catalog/render-file';
import { readSse } from '../web/src/api/sse';
import { ApiFailure, CliError, Client, loadProfile, saveProfile, type Profile } from './client';

const HELP = `hishamos: the HishamOS command line

  hishamos login --url <api url> (--api-key <key> | --email <e> --password <p> [--tenant <slug>])
  hishamos workflows list | get <id|slug> | export <id|slug> [-o yaml|json] | apply -f <file> [--dry-run]
  hishamos agents    list | get <id|slug> | export <id|slug> [-o yaml|json] | apply -f <file> [--dry-run]
  hishamos runs start <workflow> [--input key=value ...] [--watch]
  hishamos runs get <run id> | watch <run id> | cancel <run id> | rerun <run id> [--from <step>] [--watch]
  hishamos usage [--from <date>] [--to <date>] [--group-by workflow,provider,...]

Credentials: HISHAMOS_URL and HISHAMOS_API_KEY, else the profile written by login
(HISHAMOS_CONFIG, default ~/.config/hishamos/profile.json).
Exit codes: 0 success, 1 error, 2 usage error, 3 a watched run did not succeed.`;

const KINDS = {
  workflows: { path: '/v1/workflows', label: 'workflow' },
  agents: { path: '/v1/agents', label: 'agent' },
} as const;

type ImportOutcome = z.infer<typeof ImportOutcomeSchema>;

const TERMINAL = new Set(['SUCCEEDED', 'FAILED', 'CANCELLED']);

export interface Io {
  out: (text: string) => void;
  err: (text: string) => void;
  env: Record<string, string | undefined>;
}

export async function main(argv: string[], io: Io): Promise<number> {
  try {
    return await dispatch(argv, io);
  } catch (e) {
    if (e instanceof CliError) {
      io.err(`error: ${e.message}`);
      return e.exitCode;
    }
    io.err(`error: ${(e as Error).message}`);
    return 1;
  }
}

async function dispatch(argv: string[], io: Io): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      url: { type: 'string' },
      'stream-url': { type: 'string' },
      'api-key': { type: 'string' },
      email: { type: 'string' },
      password: { type: 'string' },
      tenant: { type: 'string' },
      file: { type: 'string', short: 'f' },
      output: { type: 'string', short: 'o' },
      input: { type: 'string', multiple: true, short: 'i' },
      watch: { type: 'boolean', short: 'w' },
      'dry-run': { type: 'boolean' },
      from: { type: 'string' },
      to: { type: 'string' },
      'group-by': { type: 'string' },
      help: { type: 'boolean', short: 'h' },
    },
  });
  const [area, action, target] = positionals;
  if (values.help || !area) {
    io.out(HELP);
    return area ? 0 : 2;
  }
  const profilePath =
    io.env.HISHAMOS_CONFIG ?? join(homedir(), '.config', 'hishamos', 'profile.json');

  if (area === 'login') return login(values, profilePath, io);

  const client = await clientFor(profilePath, io.env, values.url);
  if (area === 'workflows' || area === 'agents') {
    const kind = KINDS[area];
    switch (action) {
      case 'list': {
        const page = await client.request<{ items: Record<string, unknown>[] }>(
          'GET',
          `${kind.path}?limit=200`,
        );
        for (const item of page.items)
          io.out(`${String(item.slug).padEnd(28)} v${item.version}  ${item.name}`);
        return 0;
      }
      case 'get':
        io.out(
          JSON.stringify(
            await client.request('GET', `${kind.path}/${need(target, 'id')}`),
            null,
            2,
          ),
        );
        return 0;
      case 'export': {
        // The API's export (ADR 140), rendered here with the same function the API uses for YAML.
        const file = await client.request(
          'GET',
          `${kind.path}/${encodeURIComponent(need(target, 'id'))}/export?format=json`,
        );
        io.out(render(file, values.output));
        return 0;
      }
      case 'apply':
        return apply(client, kind, need(values.file, '-f <file>'), io, values['dry-run'] === true);
      default:
        throw usage(`unknown ${area} command: ${action ?? '(none)'}`);
    }
  }
  if (area === 'runs') {
    switch (action) {
      case 'start': {
        const input = parseInputs(values.input ?? []);
        const started = await client.request<{ runId: string }>(
          'POST',
          `/v1/workflows/${encodeURIComponent(need(target, 'workflow'))}/runs`,
          { input },
        );
        io.out(`run ${started.runId} started`);
        return values.watch ? watch(client, started.runId, io) : 0;
      }
      case 'get':
        io.out(
          JSON.stringify(
            await client.request('GET', `/v1/runs/${need(target, 'run id')}`),
            null,
            2,
          ),
        );
        return 0;
      case 'watch':
        return watch(client, need(target, 'run id'), io);
      case 'cancel': {
        const run = await client.request<{ status: string }>(
          'POST',
          `/v1/runs/${need(target, 'run id')}/cancel`,
        );
        io.out(`run ${target} ${run.status}`);
        return 0;
      }
      case 'rerun': {
        const started = await client.request<{ runId: string }>(
          'POST',
          `/v1/runs/${need(target, 'run id')}/rerun`,
          values.from ? { fromStep: values.from } : {},
        );
        io.out(`run ${started.runId} started (re-run of ${target})`);
        return values.watch ? watch(client, started.runId, io) : 0;
      }
      default:
        throw usage(`unknown runs command: ${action ?? '(none)'}`);
    }
  }
  if (area === 'usage') {
    const q = new URLSearchParams();
    if (values.from) q.set('from', values.from);
    if (values.to) q.set('to', values.to);
    if (values['group-by']) q.set('groupBy', values['group-by']);
    const report = await client.request('GET', `/v1/usage${q.size ? `?${q}` : ''}`);
    io.out(render(report, values.output ?? 'yaml'));
    return 0;
  }
  throw usage(`unknown command: ${area}`);
}

async function login(
  values: Record<string, string | boolean | string[] | undefined>,
  profilePath: string,
  io: Io,
): Promise<number> {
  const url = String(values.url ?? io.env.HISHAMOS_URL ?? '');
  if (!url) throw usage('login needs --url <api url>');
  const streamUrl = values['stream-url'] ? String(values['stream-url']) : undefined;
  let profile: Profile;
  if (values['api-key']) {
    profile = { url, streamUrl, apiKey: String(values['api-key']) };
    await new Client(profile, async () => undefined).request('GET', '/v1/me');
  } else {
    const email = values.email ?? io.env.HISHAMOS_EMAIL;
    const password = values.password ?? io.env.HISHAMOS_PASSWORD;
    if (!email || !password)
      throw usage('login needs --api-key <key>, or --email and --password (or HISHAMOS_PASSWORD)');
    const pair = await new Client({ url }, async () => undefined).request<{
      accessToken: string;
      refreshToken: string;
    }>('POST', '/v1/auth/login', {
      email,
      password,
      ...(values.tenant ? { tenant: values.tenant } : {}),
    });
    profile = { url, streamUrl, accessToken: pair.accessToken, refreshToken: pair.refreshToken };
  }
  await saveProfile(profilePath, profile);
  io.out(`signed in to ${url} (profile ${profilePath})`);
  return 0;
}

async function clientFor(
  profilePath: string,
  env: Record<string, string | undefined>,
  urlFlag: string | undefined,
): Promise<Client> {
  const saved = await loadProfile(profilePath);
  const url = urlFlag ?? env.HISHAMOS_URL ?? saved?.url;
  if (!url) throw new CliError('not signed in: run hishamos login --url <api url> ...', 2);
  const profile: Profile = env.HISHAMOS_API_KEY
    ? { url, streamUrl: env.HISHAMOS_STREAM_URL ?? saved?.streamUrl, apiKey: env.HISHAMOS_API_KEY }
    : { ...saved, url };
  return new Client(profile, (p) => saveProfile(profilePath, p));
}

/** POSTs the file to the API's import (ADR 140): created, updated (new version) or unchanged. */
async function apply(
  client: Client,
  kind: (typeof KINDS)[keyof typeof KINDS],
  file: string,
  io: Io,
  dryRun: boolean,
): Promise<number> {
  const text = await readFile(file, 'utf8').catch((e: Error) => {
    throw new CliError(`cannot read ${file}: ${e.message}`);
  });
  let doc: unknown;
  try {
    doc = file.endsWith('.json') ? JSON.parse(text) : YAML.parse(text);
  } catch (e) {
    throw new CliError(
      `${file} is not valid ${file.endsWith('.json') ? 'JSON' : 'YAML'}: ${(e as Error).message}`,
    );
  }
  if (typeof doc !== 'object' || doc === null || Array.isArray(doc))
    throw new CliError(`${file} must hold one ${kind.label} (a mapping)`);
  const report = await client.request<{ items: ImportOutcome[] }>(
    'POST',
    `${kind.path}/import${dryRun ? '?dryRun=true' : ''}`,
    doc,
  );
  const would = dryRun ? 'would be ' : '';
  for (const item of report.items)
    io.out(
      `${item.kind} ${item.slug} ${would}${item.outcome} (v${item.version})${item.changed.length ? `: ${item.changed.join(', ')}` : ''}`,
    );
  if (dryRun) io.out('dry run: nothing was written');
  return 0;
}

/** Follows a run on its event stream (reconnecting from the last seq) until it settles. */
async function watch(client: Client, runId: string, io: Io): Promise<number> {
  const partial = new PartialPrinter(io);
  let last = 0;
  let ended = false;
  for (let attempt = 0; !ended && attempt < 20; attempt++) {
    const controller = new AbortController();
    try {
      const res = await client.stream(
        `/v1/runs/${runId}/stream`,
        last ? { 'last-event-id': String(last) } : {},
        controller.signal,
      );
      await readSse(res.body as ReadableStream<Uint8Array>, (e) => {
        if (e.event === 'end') {
          ended = true;
          return;
        }
        if (!e.id) return;
        last = Number(e.id);
        const event = JSON.parse(e.data) as RunEvent;
        if (partial.take(event)) return;
        io.out(`${event.at.slice(11, 19)}  ${event.type.padEnd(22)} ${event.message}`);
      });
    } catch (e) {
      if (e instanceof ApiFailure && e.status < 500 && e.status !== 429) throw e;
    }
    if (!ended) await new Promise((r) => setTimeout(r, Math.min(500 * 2 ** attempt, 5000)));
  }
  const run = await client.request<{ status: string; error?: { name: string; message: string } }>(
    'GET',
    `/v1/runs/${runId}`,
  );
  if (!TERMINAL.has(run.status) && run.status !== 'WAITING')
    throw new CliError(`lost the stream of run ${runId} (still ${run.status})`);
  io.out(
    `run ${runId} ${run.status}${run.error ? `: ${run.error.name}: ${run.error.message}` : ''}`,
  );
  return run.status === 'SUCCEEDED' ? 0 : 3;
}

interface RunEvent {
  at: string;
  message: string;
  type: string;
  nodeId?: string;
  data?: { text?: unknown };
}

/**
 * A step's partial output (ADR 142) as it grows: `step.output_delta` texts are joined per step and
 * printed a whole line at a time (`  <node> │ …`), the unfinished line when the step's attempt
 * ends; a discarded attempt's lines stay printed and the discard is said after them.
 */
class PartialPrinter {
  private readonly pending = new Map<string, string>();
  constructor(private readonly io: Io) {}

  /** True when the event was partial output (printed here, not as a timeline line). */
  take(event: RunEvent): boolean {
    const node = event.nodeId ?? '?';
    if (event.type === 'step.output_delta' && typeof event.data?.text === 'string') {
      const lines = ((this.pending.get(node) ?? '') + event.data.text).split('\n');
      this.pending.set(node, lines.pop() ?? '');
      for (const line of lines) this.io.out(`  ${node} │ ${line}`);
      return true;
    }
    if (event.type.startsWith('step.')) {
      const rest = this.pending.get(node);
      if (rest) this.io.out(`  ${node} │ ${rest}`);
      this.pending.delete(node);
    }
    return false;
  }
}

/** `--input feature="dark mode" --input count=3`: values that parse as JSON are taken as JSON. */
function parseInputs(pairs: string[]): Record<string, unknown> {
  const input: Record<string, unknown> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    if (eq <= 0) throw usage(`--input takes key=value, got "${pair}"`);
    const raw = pair.slice(eq + 1);
    let value: unknown = raw;
    try {
      value = JSON.parse(raw);
    } catch {
      // plain text
    }
    input[pair.slice(0, eq)] = value;
  }
  return input;
}

function render(value: unknown, format: string | undefined): string {
  if (format && format !== 'yaml' && format !== 'json')
    throw usage(`unknown output format ${format}: use yaml or json`);
  return renderFile(value, format === 'json' ? 'json' : 'yaml').trimEnd();
}

function need(value: string | undefined, what: string): string {
  if (!value) throw usage(`missing ${what}`);
  return value;
}

function usage(message: string): CliError {
  return new CliError(`${message}\n\n${HELP}`, 2);
}
