/** The infra project's one build of every function (test/infra/global-setup.mjs), when it ran. */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import type { BundleResult } from '../../infra/build/bundle';
import { type FunctionName, functions } from '../../infra/manifest';

const name = z.enum(Object.keys(functions) as [FunctionName, ...FunctionName[]]);
const BundleFile = z.object({
  outDir: z.string(),
  functions: z.record(
    z.string(),
    z.object({
      name,
      dir: z.string(),
      bytes: z.number(),
      totalBytes: z.number(),
      mapBytes: z.number(),
      stub: z.boolean(),
    }),
  ),
  missing: z.array(name),
  ms: z.number(),
});

export function prebuiltBundle(): BundleResult | undefined {
  const file = process.env.HISHAMOS_INFRA_BUNDLE;
  return file ? BundleFile.parse(JSON.parse(readFileSync(file, 'utf8'))) : undefined;
}
