/**
 * Synthesizes the whole CDK app in-process, once, into a temporary directory, and reads back what the
 * tests assert on: templates, the cdk-nag validation report, and every acknowledgement (suppression).
 */
import { Template } from 'aws-cdk-lib/assertions';
import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  buildApp,
  REPO_ROOT,
  type BuildAppOptions,
  type HishamApp,
} from '../../infra/aws/app-builder';
import { prebuiltBundle } from './prebuilt';

export interface Violation {
  readonly ruleName: string;
  readonly severity: string;
  readonly description: string;
  readonly violatingConstructs?: Array<{ constructPath: string }>;
}

export interface Acknowledgement {
  readonly stack: string;
  readonly path: string;
  readonly id: string;
  readonly reason: unknown;
}

export interface Synthesized {
  readonly built: HishamApp;
  readonly outdir: string;
  /** Raw templates by stack name. */
  readonly json: Record<
    string,
    { Resources: Record<string, { Type: string; Properties?: any; Metadata?: any }> }
  >;
  readonly templates: Record<string, Template>;
  /** The error app.synth() threw (cdk-nag fails synthesis on an unacknowledged error), if any. */
  readonly synthError?: Error;
  readonly violations: Violation[];
  readonly acknowledgements: Acknowledgement[];
  readonly ms: number;
}

/** The CDK context the CLI would pass from cdk.json (feature flags). */
export function cdkJsonContext(): Record<string, unknown> {
  return JSON.parse(readFileSync(path.join(REPO_ROOT, 'cdk.json'), 'utf8')).context;
}

export function synthesize(opts: Partial<BuildAppOptions> = {}): Synthesized {
  const started = Date.now();
  const outdir = mkdtempSync(path.join(os.tmpdir(), 'hishamos-cdk-'));
  // The project's one build of every function (global-setup.mjs) serves each synth.
  const prebuilt = opts.functionsDir === undefined ? prebuiltBundle() : undefined;
  const app = buildApp({
    outdir,
    functionsDir: prebuilt?.outDir ?? path.join(outdir, 'functions'),
    ...(prebuilt ? { bundle: false } : {}),
    // Every manifest entry exists, so bundling is strict (a missing or broken handler fails synthesis,
    // as it would for `cdk synth`). HISHAMOS_INFRA_ALLOW_MISSING=1 stubs missing entries instead.
    allowMissing: process.env.HISHAMOS_INFRA_ALLOW_MISSING === '1',
    context: cdkJsonContext(),
    ...opts,
  });
  const built: HishamApp = prebuilt ? { ...app, bundle: prebuilt } : app;
  let synthError: Error | undefined;
  try {
    built.app.synth();
  } catch (err) {
    synthError = err as Error;
  }

  const json: Synthesized['json'] = {};
  const templates: Record<string, Template> = {};
  const acknowledgements: Acknowledgement[] = [];
  for (const file of readdirSync(outdir)) {
    if (file.endsWith('.template.json')) {
      const name = file.replace(/\.template\.json$/, '');
      json[name] = JSON.parse(readFileSync(path.join(outdir, file), 'utf8'));
      templates[name] = Template.fromJSON(json[name] as any, {
        skipCyclicalDependenciesCheck: true,
      });
    }
    if (file.endsWith('.metadata.json')) {
      const stack = file.replace(/\.metadata\.json$/, '');
      const meta = JSON.parse(readFileSync(path.join(outdir, file), 'utf8')) as Record<
        string,
        Array<{ type: string; data: Record<string, unknown> }>
      >;
      for (const [p, entries] of Object.entries(meta)) {
        for (const e of entries) {
          if (e.type !== 'aws:cdk:acknowledged-rules') continue;
          for (const [id, reason] of Object.entries(e.data))
            acknowledgements.push({ stack, path: p, id, reason });
        }
      }
    }
  }

  const reportFile = path.join(outdir, 'validation-report.json');
  const violations: Violation[] = [];
  if (existsSync(reportFile)) {
    const report = JSON.parse(readFileSync(reportFile, 'utf8')) as {
      pluginReports: Array<{ pluginName: string; violations?: Violation[] }>;
    };
    for (const r of report.pluginReports) violations.push(...(r.violations ?? []));
  }

  return {
    built,
    outdir,
    json,
    templates,
    synthError,
    violations,
    acknowledgements,
    ms: Date.now() - started,
  };
}

/** Reads a file of the cloud assembly (e.g. a state machine definition asset). */
export function readAssemblyFile(outdir: string, name: string): string {
  return readFileSync(path.join(outdir, name), 'utf8');
}
