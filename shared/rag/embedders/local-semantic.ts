/**
 * `local-semantic` (`glove-sif-v1`, 384 dimensions): an offline embedder that captures some meaning,
 * still NOT a neural sentence model. Two parts, concatenated:
 * - 100 dimensions: the smooth-inverse-frequency weighted mean of GloVe word vectors (Arora et al.
 *   2017; vectors post-processed "all-but-the-top", word-vectors.ts), so "dinner" lands near
 *   "meals" and "travelling" near "trip" without sharing a letter;
 * - 284 dimensions: today's hashed word and character n-grams (local.ts), so identifiers, typos
 *   and words outside the 100k vocabulary still match.
 * Each part is unit length and weighted, so cosine = SEMANTIC² × cos(meaning) + LEXICAL² × cos(form).
 * Deterministic; no key, no network, no download: the vectors ship in the repository (ADR 037).
 */
import { embedLocal, stem, tokenize } from './local';
import type { Embedder, EmbeddingResult } from './types';
import { loadWordVectors, type WordVectors } from './word-vectors';

export const SEMANTIC_MODEL = 'glove-sif-v1';
/** Share of the cosine that comes from the word vectors (the rest from the n-grams). */
export const SEMANTIC_SHARE = 0.75;
const SEMANTIC = Math.sqrt(SEMANTIC_SHARE);
const LEXICAL = Math.sqrt(1 - SEMANTIC_SHARE);
/** SIF's a: words more frequent than about rank 1/(10a) weigh little. */
const SIF_A = 1e-3;

/** Unit-length SIF mean of the known words (zeros when none is known). */
export function meaningVector(vectors: WordVectors, text: string): Float64Array {
  const v = new Float64Array(vectors.dimensions);
  for (const word of tokenize(text)) {
    // Unknown inflections fall back to their stem ("reimbursements" → "reimbursement").
    const known = vectors.rank(word) !== undefined ? word : stem(word);
    const rank = vectors.rank(known);
    if (rank === undefined) continue;
    const p = 0.1 / rank;
    vectors.addTo(v, known, SIF_A / (SIF_A + p));
  }
  let n = 0;
  for (const x of v) n += x * x;
  n = Math.sqrt(n);
  if (n > 0) for (let i = 0; i < v.length; i++) v[i] /= n;
  return v;
}

export function embedSemantic(vectors: WordVectors, text: string, dimensions: number): number[] {
  const meaning = meaningVector(vectors, text);
  const form = embedLocal(text, dimensions - meaning.length);
  return [...Array.from(meaning, (x) => x * SEMANTIC), ...form.map((x) => x * LEXICAL)];
}

export function createLocalSemanticEmbedder(
  model: string,
  dimensions: number,
  vectorsPath?: string,
): Embedder {
  return {
    provider: 'local',
    model,
    dimensions,
    maxBatch: 64,
    async embed(texts): Promise<EmbeddingResult> {
      const vectors = await loadWordVectors(vectorsPath);
      return {
        vectors: texts.map((t) => embedSemantic(vectors, t, dimensions)),
        tokens: texts.reduce((n, t) => n + tokenize(t).length, 0),
        estimated: true,
      };
    },
  };
}
