/**
 * The offline local embedder: NOT a neural model. Feature hashing (Weinberger et al. 2009) of word
 * stems, word bigrams and character 3/4-grams into 384 signed buckets, each feature weighted by
 * sublinear term frequency × smooth inverse frequency (SIF, Arora et al. 2017) from a Zipf prior over
 * the most frequent English words, then L2-normalised. Deterministic, no key, ~20 µs per short text.
 * It captures lexical and sub-word overlap (plurals, typos, shared stems), not meaning: semantic
 * quality comes from the provider models. Labelled everywhere as `local` / `hashed-ngrams-v1`.
 */
import { ProviderAuthError, ProviderThrottled } from '../../errors';
import { LOCAL_DIMENSIONS, l2normalize, type Embedder, type EmbeddingResult } from './types';

/** Frequent English words in rank order (rank 1 = most frequent); their SIF weight is low. */
const FREQUENT =
  `the of and to a in is it you that he was for on are with as i his they be at one have this from or had by
not word but what some we can out other were all there when up use your how said an each she which do their time if will way
about many then them write would like so these her long make thing see him two has look more day could go come did number sound
no most people my over know water than call first who may down side been now find any new work part take get place made live
where after back little only round man year came show every good me give our under name very through just form sentence great
think say help low line differ turn cause much mean before move right boy old too same tell does set three want air well also
play small end put home read hand port large spell add even land here must big high such follow act why ask men change went
light kind off need house picture try us again animal point mother world near build self earth father head stand own page
should country found answer school grow study still learn plant cover food sun four between state keep eye never last let
thought city tree cross farm hard start might story saw far sea draw left late run while press close night real life few north
using used uses into its also how our via per more most less`.split(/\s+/);
const RANK = new Map<string, number>();
FREQUENT.forEach((w, i) => {
  if (!RANK.has(w)) RANK.set(w, i + 1);
});

const SIF_A = 1e-3;
/** Zipf: p(rank) ≈ 0.1 / rank; words outside the list are taken as rank 20 000. */
function sif(word: string): number {
  const p = 0.1 / (RANK.get(word) ?? 20_000);
  return SIF_A / (SIF_A + p);
}

/** A light suffix stripper (plural, -ing, -ed, -ly): enough for "indexes" ≈ "index", not Porter. */
export function stem(word: string): string {
  if (word.length <= 4) return word;
  for (const [suffix, keep] of [
    ['ies', 'y'],
    ['sses', 'ss'],
    ['es', ''],
    ['s', ''],
    ['ing', ''],
    ['ed', ''],
    ['ly', ''],
  ] as const) {
    if (
      word.endsWith(suffix) &&
      word.length - suffix.length >= 3 &&
      !(suffix === 's' && word.endsWith('ss'))
    ) {
      return word.slice(0, word.length - suffix.length) + keep;
    }
  }
  return word;
}

export function tokenize(text: string): string[] {
  return (
    text
      .normalize('NFKD')
      .replace(/[\u0300-\u036f]/g, '')
      .toLowerCase()
      .match(/[a-z0-9]+/g) ?? []
  );
}

function fnv1a(s: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < s.length; i++) {
    h ^= s.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

const WORD = 1;
const BIGRAM = 0.5;
/** Total (L2) weight of a word's character n-grams relative to the word itself. */
const NGRAMS = 0.8;

export function embedLocal(text: string, dimensions = LOCAL_DIMENSIONS): number[] {
  const features = new Map<string, { count: number; weight: number }>();
  const add = (key: string, weight: number) => {
    const f = features.get(key);
    if (f) f.count++;
    else features.set(key, { count: 1, weight });
  };
  const words = tokenize(text);
  let prev: { s: string; w: number } | undefined;
  for (const word of words) {
    const w = sif(word);
    const s = stem(word);
    add(`w:${s}`, WORD * w);
    if (word.length >= 3 && !/^\d+$/.test(word)) {
      const padded = `<${word}>`;
      const grams: string[] = [];
      for (const n of [3, 4])
        for (let i = 0; i + n <= padded.length; i++) grams.push(padded.slice(i, i + n));
      const each = (NGRAMS * w) / Math.sqrt(grams.length);
      for (const g of grams) add(`c:${g}`, each);
    }
    if (prev && w > 0.5 && prev.w > 0.5) add(`b:${prev.s}_${s}`, BIGRAM * Math.sqrt(w * prev.w));
    prev = { s, w };
  }
  const v = new Array<number>(dimensions).fill(0);
  for (const [key, { count, weight }] of features) {
    const h = fnv1a(key);
    // Signed hashing: colliding features cancel on average instead of piling up.
    v[h % dimensions] += (h & 0x80000000 ? -1 : 1) * (1 + Math.log(count)) * weight;
  }
  return l2normalize(v);
}

export function createLocalEmbedder(model: string): Embedder {
  return {
    provider: 'local',
    model,
    dimensions: LOCAL_DIMENSIONS,
    maxBatch: 64,
    async embed(texts): Promise<EmbeddingResult> {
      return {
        vectors: texts.map((t) => embedLocal(t)),
        tokens: texts.reduce((n, t) => n + tokenize(t).length, 0),
        estimated: true,
      };
    },
  };
}

/**
 * Deterministic failure scripting for tests, like the LLM simulator's model names:
 * `local:flaky-N` throttles batch 0 on its first N attempts; `local:fail` refuses every batch
 * with a permanent error. Both are labelled local models; nothing else changes.
 */
export function scriptedFailure(ref: string, batch: number, attempt: number): Error | undefined {
  const flaky = /^local:flaky-(\d+)$/.exec(ref);
  if (flaky && batch === 0 && attempt <= Number(flaky[1]))
    return new ProviderThrottled(`${ref}: scripted throttle of batch 0, attempt ${attempt}`);
  if (ref === 'local:fail') return new ProviderAuthError(`${ref}: scripted permanent failure`);
  return undefined;
}
