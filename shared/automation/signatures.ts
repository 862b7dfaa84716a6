/**
 * Webhook signatures: HMAC-SHA256 over the exact request bytes, compared in constant time. GitHub
 * sends `X-Hub-Signature-256: sha256=<hex>`; Jira (admin webhooks with a secret) sends
 * `X-Hub-Signature: sha256=<hex>` (WebSub style, the algorithm named before the `=`). Jira
 * Automation's "Send web request" cannot sign, but can send a header: it proves the shared secret
 * itself (`X-HishamOS-Token`), compared in constant time like a signature.
 */
import { createHmac, randomBytes, timingSafeEqual } from 'node:crypto';

export type SignatureCheck = { ok: true } | { ok: false; reason: string };

const ALGORITHMS: Record<string, string> = { sha256: 'sha256', sha1: 'sha1' };

export function sign(secret: string, raw: string | Buffer, algorithm = 'sha256'): string {
  return `${algorithm}=${createHmac(algorithm, secret).update(raw).digest('hex')}`;
}

/** `allowed` is the algorithms this header may use: GitHub's -256 header is sha256 only. */
export function verifySignature(
  secret: string,
  raw: string | Buffer,
  header: string | undefined,
  allowed: readonly string[] = ['sha256'],
): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing signature header' };
  const eq = header.indexOf('=');
  const algorithm = eq > 0 ? header.slice(0, eq).trim().toLowerCase() : '';
  if (!allowed.includes(algorithm) || !ALGORITHMS[algorithm])
    return {
      ok: false,
      reason: `unsupported signature algorithm "${algorithm || header.slice(0, 10)}"`,
    };
  const given = Buffer.from(header.slice(eq + 1).trim(), 'hex');
  const expected = createHmac(ALGORITHMS[algorithm], secret).update(raw).digest();
  // timingSafeEqual needs equal lengths; comparing against the expected length leaks only the length.
  if (given.length !== expected.length || !timingSafeEqual(given, expected))
    return { ok: false, reason: 'signature does not match' };
  return { ok: true };
}

/** The shared-secret form: the header carries the trigger's secret itself. */
export function verifyToken(secret: string, header: string | undefined): SignatureCheck {
  if (!header) return { ok: false, reason: 'missing signature header' };
  const given = createHmac('sha256', 'token-compare').update(header.trim()).digest();
  const expected = createHmac('sha256', 'token-compare').update(secret).digest();
  // Hashing first gives equal lengths, so the comparison leaks nothing about the secret's length.
  return timingSafeEqual(given, expected)
    ? { ok: true }
    : { ok: false, reason: 'token does not match' };
}

/** A new webhook secret: 32 random bytes, URL-safe, prefixed so people recognise it. */
export function newWebhookSecret(): string {
  return `whsec_${randomBytes(32).toString('base64url')}`;
}
