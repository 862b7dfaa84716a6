/**
 * Where a V8 CPU profile's busy time goes: by package (node_modules), by folder of this repository
 * and by function, idle excluded. `bench/engine-profile.ts --cpu-prof=…` prints it for the profile
 * it writes; on its own:
 *
 *   npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top=25]
 */
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
}
export interface CpuProfile {
  nodes: ProfileNode[];
  samples?: number[];
  timeDeltas?: number[];
}

const ROOT = `${resolve(import.meta.dirname, '..')}/`;

/** A package name, a repository folder (`shared/db`), `node-internal`, or V8's own label. */
function ownerOf(url: string, functionName: string): string {
  if (!url) return functionName;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.startsWith('node:')) return 'node-internal';
  const path = url.replace(/^file:\/\//, '');
  if (path.startsWith(ROOT)) return path.slice(ROOT.length).split('/').slice(0, 2).join('/');
  return path;
}

export function summarize(profile: CpuProfile, top = 25): string {
  const self = new Map<number, number>();
  const deltas = profile.timeDeltas ?? [];
  for (const [i, id] of (profile.samples ?? []).entries())
    self.set(id, (self.get(id) ?? 0) + (deltas[i] ?? 0));
  const nodes = new Map(profile.nodes.map((n) => [n.id, n]));
  const byOwner = new Map<string, number>();
  const byFunction = new Map<string, number>();
  let busy = 0;
  let idle = 0;
  for (const [id, us] of self) {
    const frame = nodes.get(id)?.callFrame;
    if (!frame) continue;
    if (frame.functionName === '(idle)') {
      idle += us;
      continue;
    }
    busy += us;
    const owner = ownerOf(frame.url, frame.functionName);
    byOwner.set(owner, (byOwner.get(owner) ?? 0) + us);
    // Modules tsx compiled report line 0: the file is what locates them.
    const file = frame.url
      .replace(/^file:\/\//, '')
      .replace(ROOT, '')
      .replace(/.*node_modules\//, '');
    const name = frame.url
      ? `${frame.functionName || '(anonymous)'} ${file}:${frame.lineNumber + 1}`
      : frame.functionName;
    byFunction.set(name, (byFunction.get(name) ?? 0) + us);
  }
  const rows = (m: Map<string, number>) =>
    [...m]
      .sort((a, b) => b[1] - a[1])
      .slice(0, top)
      .map(([k, us]) => `${((100 * us) / busy).toFixed(1).padStart(6)} %  ${k}`);
  return [
    `busy ${(busy / 1000).toFixed(0)} ms, idle ${(idle / 1000).toFixed(0)} ms`,
    '--- busy time by package or folder',
    ...rows(byOwner),
    '--- busy time by function (self)',
    ...rows(byFunction),
  ].join('\n');
}

if (process.argv[1] && resolve(process.argv[1]) === resolve(import.meta.filename)) {
  const [file, top] = process.argv.slice(2);
  if (!file) throw new Error('usage: npx tsx bench/cpu-profile-summary.ts <file.cpuprofile> [top]');
  const profile: CpuProfile = JSON.parse(readFileSync(file, 'utf8'));
  console.log(summarize(profile, Number(top ?? 25)));
}
