/**
 * PII detection: built-in classes (email, phone, payment card with a Luhn check, IBAN with the
 * ISO 13616 mod-97 check, API-key-shaped secrets) and tenant patterns. Every expression here is
 * linear-time (the ESLint super-linear check covers them; tenant patterns are checked when saved).
 */

export const PII_CLASSES = ['email', 'phone', 'card', 'iban', 'secret'] as const;
export type PiiClass = (typeof PII_CLASSES)[number];

export interface Finding {
  /** A built-in class, or `pattern:<name>` for a tenant pattern. */
  kind: string;
  start: number;
  end: number;
  value: string;
}

export interface TenantPattern {
  name: string;
  pattern: string;
}

const EMAIL = /[A-Za-z0-9._%+-]+@[A-Za-z0-9-]+(?:\.[A-Za-z0-9-]+)*\.[A-Za-z]{2,24}/g;
// Digits with optional single separators; the digit count decides (13-19 for cards).
const CARD = /\b\d(?:[ -]?\d){12,18}\b/g;
const IBAN = /\b[A-Z]{2}\d{2}(?: ?[A-Z0-9]){11,30}\b/g;
// International (+country) or grouped national numbers; 9-15 digits (E.164 allows 15).
const PHONE = /(?:\+\d{1,3}[ .-]?)?(?:\(\d{1,4}\)[ .-]?)?\d{2,4}(?:[ .-]\d{2,4}){2,4}\b/g;
const SECRETS: RegExp[] = [
  /\bsk-(?:ant-|proj-)?[A-Za-z0-9_-]{20,}/g, // OpenAI, Anthropic
  /\bAKIA[0-9A-Z]{16}\b/g, // AWS access key id
  /\bgh[pousr]_[A-Za-z0-9]{36,}\b/g, // GitHub tokens
  /\bgithub_pat_[A-Za-z0-9_]{22,}/g,
  /\bxox[abprs]-[A-Za-z0-9-]{10,}/g, // Slack
  /\bAIza[0-9A-Za-z_-]{35}/g, // Google API key
  /\bhos_[0-9a-f]{12}_[A-Za-z0-9_-]{32}/g, // HishamOS API key
  /-----BEGIN [A-Z ]{0,20}PRIVATE KEY-----/g,
];

export function luhnValid(digits: string): boolean {
  let sum = 0;
  for (let i = 0; i < digits.length; i++) {
    let d = digits.charCodeAt(digits.length - 1 - i) - 48;
    if (i % 2 === 1) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return digits.length >= 13 && sum % 10 === 0;
}

/** ISO 13616: move the first four characters to the end, letters to 10..35, the number mod 97 is 1. */
export function ibanValid(candidate: string): boolean {
  const iban = candidate.replace(/ /g, '');
  if (iban.length < 15 || iban.length > 34) return false;
  const moved = iban.slice(4) + iban.slice(0, 4);
  let rest = 0;
  for (const ch of moved) {
    const code = ch.charCodeAt(0);
    const value = code >= 65 ? String(code - 55) : ch;
    for (const digit of value) rest = (rest * 10 + (digit.charCodeAt(0) - 48)) % 97;
  }
  return rest === 1;
}

/** Findings in text order, without overlaps (earlier classes in the list below win a tie). */
export function detectPii(text: string, patterns: readonly TenantPattern[] = []): Finding[] {
  const found: Finding[] = [];
  const scan = (
    re: RegExp,
    kind: string,
    accept: (v: string, at: number) => boolean = () => true,
  ) => {
    for (const m of text.matchAll(re))
      if (m[0] && accept(m[0], m.index))
        found.push({ kind, start: m.index, end: m.index + m[0].length, value: m[0] });
  };
  for (const re of SECRETS) scan(re, 'secret');
  scan(EMAIL, 'email');
  scan(IBAN, 'iban', ibanValid);
  // Account-number-shaped text that fails the IBAN check is still no card or phone number.
  const ibanShaped = [...text.matchAll(IBAN)].map((m) => [m.index, m.index + m[0].length]);
  const outsideIban = (start: number, end: number) =>
    !ibanShaped.some(([s, e]) => start < e && s < end);
  scan(
    CARD,
    'card',
    (v, at) => outsideIban(at, at + v.length) && luhnValid(v.replace(/[ -]/g, '')),
  );
  scan(PHONE, 'phone', (v, at) => {
    // Nine digits at least: dates (2026-11-29) and times are not phone numbers.
    const digits = v.replace(/\D/g, '').length;
    return outsideIban(at, at + v.length) && digits >= 9 && digits <= 15;
  });
  for (const p of patterns) scan(new RegExp(p.pattern, 'gu'), `pattern:${p.name}`);
  // Keep the first claim on each span: secrets and emails before numbers inside them.
  const taken: Finding[] = [];
  for (const f of found) if (!taken.some((t) => f.start < t.end && t.start < f.end)) taken.push(f);
  return taken.sort((a, b) => a.start - b.start);
}
