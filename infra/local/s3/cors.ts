/** The bucket's CORS rules as S3 applies them: preflights answered, responses decorated. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { type CorsRule, header, S3Error } from './wire';

/** `*` in an allowed origin or header matches any run of characters (S3 allows one per value). */
function wildcardMatch(pattern: string, value: string): boolean {
  const star = pattern.indexOf('*');
  if (star < 0) return pattern === value;
  const head = pattern.slice(0, star);
  const tail = pattern.slice(star + 1);
  return (
    value.length >= head.length + tail.length && value.startsWith(head) && value.endsWith(tail)
  );
}

function matchRule(
  rules: readonly CorsRule[],
  origin: string,
  method: string,
  requestHeaders: readonly string[],
): CorsRule | undefined {
  return rules.find(
    (r) =>
      r.allowedOrigins.some((o) => wildcardMatch(o, origin)) &&
      r.allowedMethods.includes(method) &&
      requestHeaders.every((h) =>
        (r.allowedHeaders ?? []).some((a) => wildcardMatch(a.toLowerCase(), h)),
      ),
  );
}

function corsHeaders(res: ServerResponse, rule: CorsRule, origin: string): void {
  res.setHeader('Access-Control-Allow-Origin', rule.allowedOrigins.includes('*') ? '*' : origin);
  res.setHeader('Access-Control-Allow-Methods', rule.allowedMethods.join(', '));
  if (rule.exposeHeaders?.length)
    res.setHeader('Access-Control-Expose-Headers', rule.exposeHeaders.join(', '));
  if (rule.maxAgeSeconds !== undefined)
    res.setHeader('Access-Control-Max-Age', String(rule.maxAgeSeconds));
  res.setHeader('Vary', 'Origin, Access-Control-Request-Headers, Access-Control-Request-Method');
}

export function preflight(
  req: IncomingMessage,
  res: ServerResponse,
  rules: readonly CorsRule[] | undefined,
): void {
  const origin = header(req, 'origin');
  const method = header(req, 'access-control-request-method');
  if (!origin || !method)
    throw new S3Error(
      400,
      'BadRequest',
      'Insufficient information. Origin and Access-Control-Request-Method request headers needed.',
    );
  if (!rules?.length)
    throw new S3Error(403, 'CORSResponse', 'CORS is not enabled for this bucket.');
  const requested = (header(req, 'access-control-request-headers') ?? '')
    .split(',')
    .map((h) => h.trim().toLowerCase())
    .filter(Boolean);
  const rule = matchRule(rules, origin, method, requested);
  if (!rule)
    throw new S3Error(
      403,
      'CORSResponse',
      "This CORS request is not allowed: the origin, method or headers are not in the bucket's CORS rules.",
    );
  corsHeaders(res, rule, origin);
  if (requested.length) res.setHeader('Access-Control-Allow-Headers', requested.join(', '));
  res.writeHead(200).end();
}

export function applyCors(
  req: IncomingMessage,
  res: ServerResponse,
  rules: readonly CorsRule[],
  method: string,
): void {
  const origin = header(req, 'origin');
  if (!origin) return;
  const rule = matchRule(rules, origin, method, []);
  if (rule) corsHeaders(res, rule, origin);
}
