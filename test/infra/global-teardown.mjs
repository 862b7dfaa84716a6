/** Removes the infra project's one build (test/infra/global-setup.mjs). */
import { rmSync } from 'node:fs';
import path from 'node:path';

export default function removeBuild() {
  const result = process.env.HISHAMOS_INFRA_BUNDLE;
  if (result) rmSync(path.dirname(result), { recursive: true, force: true });
}
