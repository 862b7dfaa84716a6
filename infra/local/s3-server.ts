/**
 * The local S3 engine (replaces s3rver, ADR 007): exactly the S3 the platform uses, path-style on
 * 127.0.0.1. PutObject, GetObject, HeadObject, DeleteObject, ListObjectsV2 and HeadBucket, each
 * authenticated with AWS Signature V4, by header (the SDK) or by query (presigned URLs, with expiry);
 * request checksums and Content-MD5 checked; the bucket's CORS rules answer preflights and decorate
 * responses the way S3 does, so the console's browser upload meets the same rules as in AWS.
 * Anything else answers 501 NotImplemented rather than pretending.
 */
import { createHash, randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { crc32 } from 'node:zlib';

import { applyCors, preflight } from './s3/cors';
import { DiskStore, loadObjects } from './s3/disk-store';
import { SigV4Verifier } from './s3/sigv4';
import { type CorsRule, header, parseTarget, S3Error, type StoredObject } from './s3/wire';

export { type CorsRule, S3Error } from './s3/wire';

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
