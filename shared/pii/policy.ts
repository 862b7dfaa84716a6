/**
 * The tenant PII policy: per class, `allow` (nothing happens), `mask_logs` (masked in what we
 * store and show as traces: the step's prompt) or `mask_provider` (also replaced by placeholders
 * before the prompt leaves for a provider, and restored where the model repeats them). Counts of
 * what was masked go on the step; the values themselves never do (ADR 062).
 */
import { detectPii, PII_CLASSES, type Finding, type PiiClass, type TenantPattern } from './detect';

export const PII_ACTIONS = ['allow', 'mask_logs', 'mask_provider'] as const;
export type PiiAction = (typeof PII_ACTIONS)[number];

export interface PiiPolicy {
  classes: Record<PiiClass, PiiAction>;
  patterns: (TenantPattern & { action: PiiAction })[];
}

/** Secrets and payment data are kept out of traces by default; contact details are not touched. */
export const DEFAULT_PII_POLICY: PiiPolicy = {
  classes: {
    email: 'allow',
    phone: 'allow',
    card: 'mask_logs',
    iban: 'mask_logs',
    secret: 'mask_logs',
  },
  patterns: [],
};

/** The stored policy (jsonb, possibly partial or null) over the defaults. */
export function policyFrom(stored: unknown): PiiPolicy {
  const s = (stored ?? {}) as Partial<PiiPolicy>;
  const classes = { ...DEFAULT_PII_POLICY.classes };
  for (const c of PII_CLASSES) {
    const a = s.classes?.[c];
    if (a && (PII_ACTIONS as readonly string[]).includes(a)) classes[c] = a;
  }
  return { classes, patterns: Array.isArray(s.patterns) ? s.patterns : [] };
}

export type PiiCounts = Record<string, number>;

function actionOf(policy: PiiPolicy, kind: string): PiiAction {
  if (kind.startsWith('pattern:'))
    return policy.patterns.find((p) => `pattern:${p.name}` === kind)?.action ?? 'allow';
  return policy.classes[kind as PiiClass] ?? 'allow';
}

const label = (kind: string) =>
  kind
    .replace(/^pattern:/, '')
    .toUpperCase()
    .replace(/[^A-Z0-9]+/g, '_');

function findings(text: string, policy: PiiPolicy, at: PiiAction[]): Finding[] {
  // Nothing is kept of a scan whose classes all have other actions: every step pays for this.
  const acts = (a: PiiAction) => at.includes(a);
  if (!Object.values(policy.classes).some(acts) && !policy.patterns.some((p) => acts(p.action)))
    return [];
  const active = policy.patterns.filter((p) => p.action !== 'allow');
  return detectPii(text, active).filter((f) => at.includes(actionOf(policy, f.kind)));
}

function replace(text: string, found: Finding[], by: (f: Finding) => string): string {
  let out = '';
  let at = 0;
  for (const f of found) {
    out += text.slice(at, f.start) + by(f);
    at = f.end;
  }
  return out + text.slice(at);
}

function count(found: Finding[], into: PiiCounts = {}): PiiCounts {
  for (const f of found) into[f.kind] = (into[f.kind] ?? 0) + 1;
  return into;
}

/** For traces: every value whose class is not allowed becomes `[CLASS]`. */
export function maskForTrace(text: string, policy: PiiPolicy): { text: string; counts: PiiCounts } {
  const found = findings(text, policy, ['mask_logs', 'mask_provider']);
  return { text: replace(text, found, (f) => `[${label(f.kind)}]`), counts: count(found) };
}

export interface Outbound {
  system?: string;
  content: string;
  /** Puts the original values back where the model repeated a placeholder (strings at any depth). */
  restore(value: unknown): unknown;
  /** How many values of each class left as placeholders (in the prompt and system prompt). */
  counts: PiiCounts;
  /**
   * Masks more text bound for the same conversation (tool results, ADR 162) with the same
   * placeholders: a value seen before keeps its name, and restore() knows the new ones. The same
   * texts masked in the same order always get the same placeholders.
   */
  mask(text: string): string;
}

/**
 * Before the provider: `mask_provider` values become numbered placeholders (`[EMAIL_1]`), one per
 * distinct value, shared between the system prompt and the message so the model sees one name.
 */
export function protectOutbound(
  policy: PiiPolicy,
  prompt: { system?: string; content: string },
): Outbound {
  const byValue = new Map<string, string>();
  const byPlaceholder = new Map<string, string>();
  const perLabel = new Map<string, number>();
  const counts: PiiCounts = {};
  const mask = (text: string, tally = true) => {
    const found = findings(text, policy, ['mask_provider']);
    if (tally) count(found, counts);
    return replace(text, found, (f) => {
      let placeholder = byValue.get(f.value);
      if (!placeholder) {
        const l = label(f.kind);
        const n = (perLabel.get(l) ?? 0) + 1;
        perLabel.set(l, n);
        placeholder = `[${l}_${n}]`;
        byValue.set(f.value, placeholder);
        byPlaceholder.set(placeholder, f.value);
      }
      return placeholder;
    });
  };
  const system = prompt.system === undefined ? undefined : mask(prompt.system);
  const content = mask(prompt.content);
  const restoreText = (s: string) =>
    byPlaceholder.size ? s.replace(/\[[A-Z0-9_]{1,80}\]/g, (m) => byPlaceholder.get(m) ?? m) : s;
  const restore = (value: unknown): unknown => {
    if (typeof value === 'string') return restoreText(value);
    if (Array.isArray(value)) return value.map(restore);
    if (value && typeof value === 'object')
      return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, restore(v)]));
    return value;
  };
  return { system, content, restore, counts, mask: (text) => mask(text, false) };
}
