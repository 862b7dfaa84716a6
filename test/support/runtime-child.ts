/**
 * The local runtime as a separate process (for tests that kill it): starts `startLocal` on the data
 * directory and database the environment names, persisted like `npm start`, and prints one JSON line
 * `{"url": ...}` when it serves requests.
 */
import { startLocal } from '../../infra/local/runtime';
import { ROOT } from './stack';

const dataDir = process.env.HISHAMOS_DATA_DIR;
if (!dataDir) throw new Error('HISHAMOS_DATA_DIR is required');
const runtime = await startLocal({ root: ROOT, dataDir, port: 0, persist: true });
process.stdout.write(`${JSON.stringify({ url: runtime.url })}\n`);
