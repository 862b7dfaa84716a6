/** The infra project's one build of every function (test/infra/global-setup.mjs), when it ran. */
import { readFileSync } from 'node:fs';
import type { BundleResult } from '../../infra/build/bundle';

export function prebuiltBundle(): BundleResult | undefined {
  const file = process.env.HISHAMOS_INFRA_BUNDLE;
  return file ? (JSON.parse(readFileSync(file, 'utf8')) as BundleResult) : undefined;
}
