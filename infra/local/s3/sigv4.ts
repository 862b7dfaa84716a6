/** AWS Signature V4 as S3 checks it: by header (the SDK) or by query (presigned URLs, with expiry). */
import { createHash, createHmac, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { header, S3Error, type Target } from './wire';

/** S3 refuses requests signed more than 15 minutes from its clock. */
const MAX_SKEW_MS = 15 * 60_000;

export interface Credentials {
  readonly accessKeyId: string;
  readonly secretAccessKey: string;
}

export const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
const hmac = (key: string | Buffer, data: string) =>
  createHmac('sha256', key).update(data).digest();

/** RFC 3986 encoding, as SigV4's canonical query string wants it. */
const uriEncode = (s: string) =>
  encodeURIComponent(s).replace(
    /[!'()*]/g,
    (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`,
  );

/** `20261129T140000Z` → epoch ms, or NaN. */
function parseAmzDate(s: string): number {
  const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(s);
  return m ? Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6]) : Number.NaN;
}

export class SigV4Verifier {
  constructor(
    private readonly credentials: Credentials,
    private readonly region: string,
    private readonly now: () => number,
    private readonly more?: (accessKeyId: string) => string | undefined,
  ) {}

  /** Verifies the request's signature; returns the payload hash it commits to. */
  verify(req: IncomingMessage, target: Target): string {
    const q = target.query;
    if (q.has('X-Amz-Algorithm')) return this.verifyPresigned(req, target);
    const authorization = header(req, 'authorization');
    if (!authorization)
      throw new S3Error(403, 'AccessDenied', 'Access Denied: the request is not signed');
    const m =
      /^AWS4-HMAC-SHA256 Credential=([^,\s]+),\s*SignedHeaders=([^,\s]+),\s*Signature=([0-9a-f]{64})$/.exec(
        authorization,
      );
    if (!m)
      throw new S3Error(400, 'AuthorizationHeaderMalformed', 'only AWS4-HMAC-SHA256 is supported');
    const [, credential, signedHeaders, signature] = m;
    const amzDate = header(req, 'x-amz-date') ?? '';
    const at = parseAmzDate(amzDate);
    if (Number.isNaN(at))
      throw new S3Error(403, 'AccessDenied', 'x-amz-date is missing or malformed');
    if (Math.abs(this.now() - at) > MAX_SKEW_MS)
      throw new S3Error(
        403,
        'RequestTimeTooSkewed',
        'The difference between the request time and the current time is too large.',
      );
    const payloadHash = header(req, 'x-amz-content-sha256');
    if (!payloadHash)
      throw new S3Error(400, 'InvalidRequest', 'Missing required header x-amz-content-sha256');
    this.check(req, target, { credential, signedHeaders, signature, amzDate, payloadHash });
    return payloadHash;
  }

  private verifyPresigned(req: IncomingMessage, target: Target): string {
    const q = target.query;
    if (q.get('X-Amz-Algorithm') !== 'AWS4-HMAC-SHA256')
      throw new S3Error(
        400,
        'AuthorizationQueryParametersError',
        'X-Amz-Algorithm must be AWS4-HMAC-SHA256',
      );
    const amzDate = q.get('X-Amz-Date') ?? '';
    const at = parseAmzDate(amzDate);
    const expires = Number(q.get('X-Amz-Expires'));
    if (Number.isNaN(at) || !Number.isInteger(expires) || expires < 1 || expires > 604800)
      throw new S3Error(
        400,
        'AuthorizationQueryParametersError',
        'X-Amz-Date and X-Amz-Expires (1..604800) are required',
      );
    const now = this.now();
    if (now > at + expires * 1000) throw new S3Error(403, 'AccessDenied', 'Request has expired');
    if (at - now > MAX_SKEW_MS) throw new S3Error(403, 'AccessDenied', 'Request is not valid yet');
    const payloadHash =
      q.get('X-Amz-Content-Sha256') ?? header(req, 'x-amz-content-sha256') ?? 'UNSIGNED-PAYLOAD';
    this.check(req, target, {
      credential: q.get('X-Amz-Credential') ?? '',
      signedHeaders: q.get('X-Amz-SignedHeaders') ?? '',
      signature: q.get('X-Amz-Signature') ?? '',
      amzDate,
      payloadHash,
      presigned: true,
    });
    return payloadHash;
  }

  private check(
    req: IncomingMessage,
    target: Target,
    sig: {
      credential: string;
      signedHeaders: string;
      signature: string;
      amzDate: string;
      payloadHash: string;
      presigned?: boolean;
    },
  ): void {
    const [accessKeyId, date, region, service, terminator] = sig.credential.split('/');
    const secretKey =
      accessKeyId === this.credentials.accessKeyId
        ? this.credentials.secretAccessKey
        : this.more?.(accessKeyId);
    if (secretKey === undefined)
      throw new S3Error(
        403,
        'InvalidAccessKeyId',
        'The AWS Access Key Id you provided does not exist in our records.',
      );
    if (date !== sig.amzDate.slice(0, 8) || service !== 's3' || terminator !== 'aws4_request')
      throw new S3Error(
        400,
        'AuthorizationHeaderMalformed',
        `malformed credential scope ${sig.credential}`,
      );
    if (region !== this.region)
      throw new S3Error(
        400,
        'AuthorizationHeaderMalformed',
        `the region '${region}' is wrong; expecting '${this.region}'`,
      );
    const names = sig.signedHeaders.split(';');
    if (!names.includes('host'))
      throw new S3Error(403, 'AccessDenied', 'the host header must be signed');
    const canonicalHeaders = names
      .map((n) => `${n}:${(header(req, n) ?? '').trim().replace(/ +/g, ' ')}\n`)
      .join('');
    const canonicalQuery = target.rawQuery
      .split('&')
      .filter(Boolean)
      .map((pair) => {
        const eq = pair.indexOf('=');
        const decode = (s: string) => decodeURIComponent(s.replace(/\+/g, '%20'));
        return eq < 0
          ? [decode(pair), '']
          : [decode(pair.slice(0, eq)), decode(pair.slice(eq + 1))];
      })
      .filter(([k]) => !(sig.presigned && k === 'X-Amz-Signature'))
      .map(([k, v]) => [uriEncode(k), uriEncode(v)])
      .sort(([a, av], [b, bv]) => (a === b ? (av < bv ? -1 : 1) : a < b ? -1 : 1))
      .map(([k, v]) => `${k}=${v}`)
      .join('&');
    const canonicalRequest = [
      req.method,
      target.rawPath,
      canonicalQuery,
      canonicalHeaders,
      sig.signedHeaders,
      sig.payloadHash,
    ].join('\n');
    const scope = `${date}/${region}/s3/aws4_request`;
    const stringToSign = ['AWS4-HMAC-SHA256', sig.amzDate, scope, sha256Hex(canonicalRequest)].join(
      '\n',
    );
    let key: Buffer = hmac(`AWS4${secretKey}`, date);
    for (const part of [region, 's3', 'aws4_request']) key = hmac(key, part);
    const expected = Buffer.from(hmac(key, stringToSign).toString('hex'));
    const given = Buffer.from(sig.signature);
    if (given.length !== expected.length || !timingSafeEqual(given, expected))
      throw new S3Error(
        403,
        'SignatureDoesNotMatch',
        'The request signature we calculated does not match the signature you provided.',
      );
  }
}
