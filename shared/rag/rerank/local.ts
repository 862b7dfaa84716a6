/**
 * `local:align`: an offline reranker with no model to download. Each content word of the query is
 * aligned with its closest word in the passage (cosine of the local-semantic embedder's word
 * vectors, 1 for the same word), and the passage scores the SIF-weighted mean of those best
 * matches: a word-level soft match in the spirit of BERTScore's greedy alignment (Zhang et al.
 * 2020), with GloVe in place of a transformer. It reads query and passage together, which a single
 * vector per chunk cannot, so it can fix what the averaging of the embedder blurs. Deterministic.
 */
import { stem, tokenize } from '../embedders/local';
import { loadWordVectors, type WordVectors } from '../embedders/word-vectors';
import type { Reranker, RerankerInfo } from './types';

const SIF_A = 1e-3;

interface Word {
  key: string;
  weight: number;
  vector?: Float64Array;
}

function words(vectors: WordVectors, text: string): Word[] {
  const seen = new Map<string, Word>();
  for (const token of tokenize(text)) {
    const key = stem(token);
    if (seen.has(key)) continue;
    const known = vectors.rank(token) !== undefined ? token : key;
    const rank = vectors.rank(known);
    // Unknown words (identifiers, rare names) are rare by definition: full weight, exact match only.
    const weight = rank === undefined ? 1 : SIF_A / (SIF_A + 0.1 / rank);
    let vector: Float64Array | undefined;
    if (rank !== undefined) {
      vector = new Float64Array(vectors.dimensions);
      vectors.addTo(vector, known, 1);
    }
    seen.set(key, { key, weight, vector });
  }
  return [...seen.values()];
}

function similarity(a: Word, b: Word): number {
  if (a.key === b.key) return 1;
  if (!a.vector || !b.vector) return 0;
  let s = 0;
  for (let i = 0; i < a.vector.length; i++) s += a.vector[i] * b.vector[i];
  return s; // both unit length (word-vectors.ts)
}

export function alignmentScore(query: Word[], passage: Word[]): number {
  let sum = 0;
  let total = 0;
  for (const q of query) {
    let best = 0;
    for (const p of passage) best = Math.max(best, similarity(q, p));
    sum += q.weight * best;
    total += q.weight;
  }
  return total > 0 ? sum / total : 0;
}

export function createLocalReranker(info: RerankerInfo, vectorsPath?: string): Reranker {
  return {
    info,
    async rerank({ query, documents }) {
      const vectors = await loadWordVectors(vectorsPath);
      const q = words(vectors, query);
      const order = documents
        .map((d, index) => ({ index, score: alignmentScore(q, words(vectors, d)) }))
        .sort((a, b) => b.score - a.score || a.index - b.index);
      return {
        order,
        provider: 'local',
        model: 'glove-align-v1',
        inputTokens: 0,
        outputTokens: 0,
        simulated: false,
      };
    },
  };
}
