/**
 * The local S3 engine (replaces s3rver, ADR 007): exactly the S3 the platform uses, path-style on
 * 127.0.0.1. PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2 and HeadBucket, each
 * authenticated with AWS Signature V4, by header (the SDK) or by query (presigned URLs, with expiry);
 * request checksums and Content-MD5 checked; the bucket's CORS rules answer preflights and decorate
 * responses the way S3 does, so the console's browser upload meets the same rules as in AWS.
 * Anything else answers 501 NotImplemented rather than pretending.
 */
import { createHash, createHmac, randomBytes, timingSafeEqual } from 'node:crypto';
import { mkdirSync, readdirSync, readFileSync } from 'node:fs';
import { rename, rm, writeFile } from 'node:fs/promises';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { crc32 } from 'node:zlib';

export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAgeSeconds?: number;
}

export interface LocalS3Options {
  readonly buckets: ReadonlyArray<{ readonly name: string; readonly cors?: readonly CorsRule[] }>;
  /** The one account the engine knows; every request must be signed with it. */
  readonly credentials: { readonly accessKeyId: string; readonly secretAccessKey: string };
  /** More access keys (the deploy rehearsal signs each function with its own): id → secret key. */
  readonly moreCredentials?: (accessKeyId: string) => string | undefined;
  readonly region: string;
  /** Keep objects on disk here (one body and one metadata file each); in memory when absent. */
  readonly directory?: string;
  /** The clock for signature dates and presigned-URL expiry. @default Date.now */
  readonly now?: () => number;
  /** @default 0 (a free port) */
  readonly port?: number;
}

export interface LocalS3 {
  /** `http://127.0.0.1:<port>`: the S3 client's endpoint, with `forcePathStyle: true`. */
  readonly endpoint: string;
  close(): Promise<void>;
}

interface StoredObject {
  readonly key: string;
  readonly body: Buffer;
  readonly contentType: string;
  readonly etag: string;
  readonly lastModified: number;
  readonly metadata: Record<string, string>;
  /** `crc32` → base64 value, as the client declared (and, where computable, as verified). */
  readonly checksums: Record<string, string>;
}

/** An S3 error response: the status, S3's error code and a message. */
export class S3Error extends Error {
  override readonly name = 'S3Error';
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
  ) {
    super(message);
  }
}

/** S3 refuses requests signed more than 15 minutes from its clock. */
const MAX_SKEW_MS = 15 * 60_000;
/** Bigger than anything the platform accepts (25 MiB uploads); S3 itself allows 5 GB per PUT. */
const MAX_BODY_BYTES = 64 * 1024 * 1024;
const CHECKSUM_ALGORITHMS = ['crc32', 'crc32c', 'crc64nvme', 'sha1', 'sha256'] as const;

export async function startLocalS3(options: LocalS3Options): Promise<LocalS3> {
  const now = options.now ?? Date.now;
  const buckets = new Map(
    options.buckets.map((b) => [
      b.name,
      { cors: b.cors ?? [], objects: loadObjects(options.directory, b.name) },
    ]),
  );
  const store = options.directory ? new DiskStore(options.directory) : undefined;
  const auth = new SigV4Verifier(options.credentials, options.region, now, options.moreCredentials);

  const server = createServer((req, res) => {
    handle(req, res).catch((e: unknown) => {
      const err =
        e instanceof S3Error
          ? e
          : new S3Error(500, 'InternalError', e instanceof Error ? e.message : String(e));
      sendError(res, err, req.method === 'HEAD');
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const target = parseTarget(req.url ?? '/');
    const bucket = target.bucket ? buckets.get(target.bucket) : undefined;
    const method = req.method ?? 'GET';
    res.setHeader('x-amz-request-id', randomBytes(8).toString('hex').toUpperCase());
    if (method === 'OPTIONS') return preflight(req, res, bucket?.cors);
    if (bucket) applyCors(req, res, bucket.cors, method);

    const payloadHash = auth.verify(req, target);
    if (!target.bucket) throw notImplemented('ListBuckets');
    if (!bucket) throw new S3Error(404, 'NoSuchBucket', `bucket ${target.bucket} does not exist`);
    const body = await readBody(req, payloadHash);

    if (target.key === undefined) {
      if (method === 'HEAD') return void res.writeHead(200).end();
      if (method === 'GET' && target.query.get('list-type') === '2')
        return listObjectsV2(res, target.bucket, bucket.objects, target.query);
      throw notImplemented(`${method} on a bucket`);
    }
    const unsupported = [...target.query.keys()].find(
      (k) => k !== 'x-id' && !k.toLowerCase().startsWith('x-amz-'),
    );
    if (unsupported) throw notImplemented(`the ?${unsupported} subresource`);
    const key = target.key;

    switch (method) {
      case 'PUT': {
        const object = putObject(req, key, body, now());
        await store?.write(target.bucket, object, bucket.objects.get(key));
        bucket.objects.set(key, object);
        res.setHeader('ETag', object.etag);
        for (const [alg, value] of Object.entries(object.checksums))
          res.setHeader(`x-amz-checksum-${alg}`, value);
        return void res.writeHead(200).end();
      }
      case 'GET':
      case 'HEAD': {
        const object = bucket.objects.get(key);
        if (!object) throw new S3Error(404, 'NoSuchKey', 'The specified key does not exist.');
        res.setHeader('Content-Type', object.contentType);
        res.setHeader('Content-Length', object.body.length);
        res.setHeader('ETag', object.etag);
        res.setHeader('Last-Modified', new Date(object.lastModified).toUTCString());
        res.setHeader('Accept-Ranges', 'bytes');
        for (const [name, value] of Object.entries(object.metadata))
          res.setHeader(`x-amz-meta-${name}`, value);
        if (header(req, 'x-amz-checksum-mode')?.toUpperCase() === 'ENABLED') {
          for (const [alg, value] of Object.entries(object.checksums))
            res.setHeader(`x-amz-checksum-${alg}`, value);
          if (Object.keys(object.checksums).length > 0)
            res.setHeader('x-amz-checksum-type', 'FULL_OBJECT');
        }
        res.writeHead(200);
        return void res.end(method === 'GET' ? object.body : undefined);
      }
      case 'DELETE': {
        // S3 answers 204 whether or not the key existed.
        const object = bucket.objects.get(key);
        if (object) {
          bucket.objects.delete(key);
          await store?.remove(target.bucket, object);
        }
        return void res.writeHead(204).end();
      }
      default:
        throw notImplemented(`${method} on an object`);
    }
  }

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, '127.0.0.1', () => resolve());
  });
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

// --- requests ---------------------------------------------------------------------------------

interface Target {
  /** The path exactly as sent (it is what the client signed). */
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly bucket?: string;
  /** Undefined for a bucket-level request; S3 keys may contain `/`. */
  readonly key?: string;
}

function parseTarget(url: string): Target {
  const q = url.indexOf('?');
  const rawPath = q >= 0 ? url.slice(0, q) : url;
  const rawQuery = q >= 0 ? url.slice(q + 1) : '';
  const rest = rawPath.replace(/^\/+/, '');
  const slash = rest.indexOf('/');
  const decode = (s: string) => {
    try {
      return decodeURIComponent(s);
    } catch {
      throw new S3Error(400, 'InvalidURI', `could not decode the path ${rawPath}`);
    }
  };
  const bucket = rest ? decode(slash >= 0 ? rest.slice(0, slash) : rest) : undefined;
  const key = slash >= 0 && slash < rest.length - 1 ? decode(rest.slice(slash + 1)) : undefined;
  return { rawPath, rawQuery, query: new URLSearchParams(rawQuery), bucket, key };
}

const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};

const notImplemented = (what: string) =>
  new S3Error(501, 'NotImplemented', `${what} is not implemented by the local S3 engine`);

async function readBody(req: IncomingMessage, payloadHash: string): Promise<Buffer> {
  const parts: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > MAX_BODY_BYTES * 2)
      throw new S3Error(400, 'EntityTooLarge', 'the body exceeds the local engine limit');
    parts.push(chunk);
  }
  const raw = Buffer.concat(parts);
  if (payloadHash === 'UNSIGNED-PAYLOAD') return limit(raw);
  if (payloadHash === 'STREAMING-UNSIGNED-PAYLOAD-TRAILER') {
    const { body, trailers } = decodeAwsChunked(raw);
    for (const [name, value] of Object.entries(trailers)) req.headers[name] = value;
    return limit(body);
  }
  if (payloadHash.startsWith('STREAMING-'))
    throw notImplemented(`signed streaming payloads (${payloadHash})`);
  if (!/^[0-9a-f]{64}$/.test(payloadHash))
    throw new S3Error(400, 'InvalidArgument', 'x-amz-content-sha256 must be a hex SHA-256');
  if (createHash('sha256').update(raw).digest('hex') !== payloadHash)
    throw new S3Error(
      400,
      'XAmzContentSHA256Mismatch',
      "The provided 'x-amz-content-sha256' header does not match what was computed.",
    );
  return limit(raw);
}

function limit(body: Buffer): Buffer {
  if (body.length > MAX_BODY_BYTES)
    throw new S3Error(400, 'EntityTooLarge', 'the body exceeds the local engine limit');
  return body;
}

/** `aws-chunked` with unsigned chunks: `<hex size>\r\n<bytes>\r\n` … `0\r\n<trailer lines>\r\n`. */
export function decodeAwsChunked(raw: Buffer): { body: Buffer; trailers: Record<string, string> } {
  const chunks: Buffer[] = [];
  let at = 0;
  const line = () => {
    const end = raw.indexOf('\r\n', at);
    if (end < 0) throw new S3Error(400, 'IncompleteBody', 'truncated aws-chunked body');
    const text = raw.subarray(at, end).toString('latin1');
    at = end + 2;
    return text;
  };
  for (;;) {
    const size = Number.parseInt(line().split(';')[0], 16);
    if (!Number.isFinite(size) || size < 0)
      throw new S3Error(400, 'InvalidChunkSizeError', 'malformed aws-chunked chunk size');
    if (size === 0) break;
    if (at + size > raw.length)
      throw new S3Error(400, 'IncompleteBody', 'truncated aws-chunked body');
    chunks.push(raw.subarray(at, at + size));
    at += size + 2;
  }
  const trailers: Record<string, string> = {};
  while (at < raw.length) {
    const text = line();
    if (!text) break;
    const colon = text.indexOf(':');
    if (colon > 0)
      trailers[text.slice(0, colon).trim().toLowerCase()] = text.slice(colon + 1).trim();
  }
  return { body: Buffer.concat(chunks), trailers };
}

function putObject(req: IncomingMessage, key: string, body: Buffer, at: number): StoredObject {
  const md5 = createHash('md5').update(body);
  const declaredMd5 = header(req, 'content-md5');
  const digest = md5.digest();
  if (declaredMd5 !== undefined && declaredMd5 !== digest.toString('base64'))
    throw new S3Error(
      400,
      'BadDigest',
      'The Content-MD5 you specified did not match what we received.',
    );
  const checksums: Record<string, string> = {};
  for (const alg of CHECKSUM_ALGORITHMS) {
    const declared = header(req, `x-amz-checksum-${alg}`);
    if (declared === undefined) continue;
    const actual = computeChecksum(alg, body);
    // CRC32C and CRC64NVME have no implementation in Node: kept as declared, like an unverified hint.
    if (actual !== undefined && actual !== declared)
      throw new S3Error(
        400,
        'BadDigest',
        `The ${alg.toUpperCase()} you specified did not match the calculated checksum.`,
      );
    checksums[alg] = declared;
  }
  const metadata: Record<string, string> = {};
  for (const [name, value] of Object.entries(req.headers))
    if (name.startsWith('x-amz-meta-') && typeof value === 'string')
      metadata[name.slice('x-amz-meta-'.length)] = value;
  return {
    key,
    body,
    contentType: header(req, 'content-type') ?? 'binary/octet-stream',
    etag: `"${digest.toString('hex')}"`,
    lastModified: Math.floor(at / 1000) * 1000,
    metadata,
    checksums,
  };
}

function computeChecksum(
  alg: (typeof CHECKSUM_ALGORITHMS)[number],
  body: Buffer,
): string | undefined {
  if (alg === 'crc32') {
    const out = Buffer.alloc(4);
    out.writeUInt32BE(crc32(body) >>> 0);
    return out.toString('base64');
  }
  if (alg === 'sha1' || alg === 'sha256') return createHash(alg).update(body).digest('base64');
  return undefined;
}

function listObjectsV2(
  res: ServerResponse,
  bucketName: string,
  objects: Map<string, StoredObject>,
  query: URLSearchParams,
): void {
  const prefix = query.get('prefix') ?? '';
  const delimiter = query.get('delimiter') ?? '';
  const maxKeysText = query.get('max-keys');
  const maxKeys = maxKeysText === null ? 1000 : Number(maxKeysText);
  if (!Number.isInteger(maxKeys) || maxKeys < 0)
    throw new S3Error(400, 'InvalidArgument', 'max-keys must be a non-negative integer');
  const token = query.get('continuation-token');
  const after = token
    ? Buffer.from(token, 'base64url').toString('utf8')
    : (query.get('start-after') ?? '');
  const keys = [...objects.keys()].filter((k) => k.startsWith(prefix) && k > after).sort();
  const contents: StoredObject[] = [];
  const prefixes = new Set<string>();
  let last = '';
  let truncated = false;
  for (const k of keys) {
    const cut = delimiter ? k.indexOf(delimiter, prefix.length) : -1;
    const common = cut >= 0 ? k.slice(0, cut + delimiter.length) : undefined;
    if (common && prefixes.has(common)) continue;
    if (contents.length + prefixes.size >= Math.min(maxKeys, 1000)) {
      truncated = true;
      break;
    }
    if (common) prefixes.add(common);
    else contents.push(objects.get(k) as StoredObject);
    // Resume after every key under a common prefix, not inside it.
    last = common ? `${common}\uffff` : k;
  }
  const x = xmlEscape;
  const body = [
    '<?xml version="1.0" encoding="UTF-8"?>',
    '<ListBucketResult xmlns="http://s3.amazonaws.com/doc/2006-03-01/">',
    `<Name>${x(bucketName)}</Name><Prefix>${x(prefix)}</Prefix>`,
    delimiter ? `<Delimiter>${x(delimiter)}</Delimiter>` : '',
    `<MaxKeys>${maxKeys}</MaxKeys><KeyCount>${contents.length + prefixes.size}</KeyCount>`,
    `<IsTruncated>${truncated}</IsTruncated>`,
    token ? `<ContinuationToken>${x(token)}</ContinuationToken>` : '',
    truncated
      ? `<NextContinuationToken>${Buffer.from(last).toString('base64url')}</NextContinuationToken>`
      : '',
    query.has('start-after') ? `<StartAfter>${x(query.get('start-after') ?? '')}</StartAfter>` : '',
    ...contents.map(
      (o) =>
        `<Contents><Key>${x(o.key)}</Key><LastModified>${new Date(o.lastModified).toISOString()}</LastModified><ETag>${x(o.etag)}</ETag><Size>${o.body.length}</Size><StorageClass>STANDARD</StorageClass></Contents>`,
    ),
    ...[...prefixes].map((p) => `<CommonPrefixes><Prefix>${x(p)}</Prefix></CommonPrefixes>`),
    '</ListBucketResult>',
  ].join('');
  res.writeHead(200, { 'Content-Type': 'application/xml' }).end(body);
}

function sendError(res: ServerResponse, err: S3Error, head: boolean): void {
  if (res.headersSent) return void res.destroy();
  const body = `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${xmlEscape(err.code)}</Code><Message>${xmlEscape(err.message)}</Message></Error>`;
  res.writeHead(err.status, { 'Content-Type': 'application/xml' });
  // HEAD responses carry no body; the SDK names the error from the status (404 → NotFound).
  res.end(head ? undefined : body);
}

const xmlEscape = (s: string) =>
  s.replace(
    /[&<>"']/g,
    (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c] ?? c,
  );

// --- CORS -------------------------------------------------------------------------------------

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

function preflight(
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

function applyCors(
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

// --- Signature V4 -----------------------------------------------------------------------------

const sha256Hex = (data: string | Buffer) => createHash('sha256').update(data).digest('hex');
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

class SigV4Verifier {
  constructor(
    private readonly credentials: LocalS3Options['credentials'],
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

// --- persistence ------------------------------------------------------------------------------

const fileId = (key: string) => createHash('sha256').update(key).digest('hex');

const bodyFileOf = (o: StoredObject) => `${fileId(o.key)}.${o.etag.replaceAll('"', '')}.body`;

interface MetaFile extends Omit<StoredObject, 'body'> {
  readonly bodyFile: string;
}

function loadObjects(directory: string | undefined, bucket: string): Map<string, StoredObject> {
  const objects = new Map<string, StoredObject>();
  if (!directory) return objects;
  const dir = join(directory, bucket);
  mkdirSync(dir, { recursive: true });
  for (const name of readdirSync(dir)) {
    if (!name.endsWith('.json')) continue;
    const { bodyFile, ...meta } = JSON.parse(readFileSync(join(dir, name), 'utf8')) as MetaFile;
    objects.set(meta.key, { ...meta, body: readFileSync(join(dir, bodyFile)) });
  }
  return objects;
}

class DiskStore {
  constructor(private readonly directory: string) {}

  /**
   * The body goes to a file named by its ETag, then the metadata that points at it replaces the old
   * one by rename: a crash leaves the old object or the new one (plus an orphan body), never a mix.
   */
  async write(bucket: string, object: StoredObject, previous?: StoredObject): Promise<void> {
    const base = join(this.directory, bucket, fileId(object.key));
    const { body, ...meta } = object;
    const bodyFile = bodyFileOf(object);
    await writeFile(join(this.directory, bucket, bodyFile), body);
    await writeFile(`${base}.json.tmp`, JSON.stringify({ ...meta, bodyFile }));
    await rename(`${base}.json.tmp`, `${base}.json`);
    if (previous && bodyFileOf(previous) !== bodyFile)
      await rm(join(this.directory, bucket, bodyFileOf(previous)), { force: true });
  }

  async remove(bucket: string, object: StoredObject): Promise<void> {
    await rm(join(this.directory, bucket, `${fileId(object.key)}.json`), { force: true });
    await rm(join(this.directory, bucket, bodyFileOf(object)), { force: true });
  }
}
