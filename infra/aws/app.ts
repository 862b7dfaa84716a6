/**
 * CDK entry point (cdk.json: `npx tsx infra/aws/app.ts`). Quiet by default; set
 * HISHAMOS_SYNTH_TIMING=1 to print the bundle / construct / synth phases to stderr.
 */
import { buildApp } from './app-builder';

const t0 = performance.now();
const { app, bundle } = buildApp();
const t1 = performance.now();
app.synth();
const t2 = performance.now();

if (process.env.HISHAMOS_SYNTH_TIMING) {
  const mb = (n: number) => `${Math.round(n / 1024 / 1024)} MB`;
  const mem = process.memoryUsage();
  console.error(
    `hishamos synth: bundle ${bundle?.ms ?? 0} ms, construct ${Math.round(t1 - t0 - (bundle?.ms ?? 0))} ms, synth+cdk-nag ${Math.round(t2 - t1)} ms; ` +
      `rss ${mb(mem.rss)}, heap ${mb(mem.heapUsed)}; process up ${Math.round(process.uptime() * 1000)} ms`,
  );
}
