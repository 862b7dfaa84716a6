/**
 * The local S3 engine (infra/local/s3-server.ts) through the real @aws-sdk/client-s3 and the real
 * presigner, and a browser-style presigned PUT with fetch: object round trips, S3's error codes,
 * SigV4 checked (bad secret, tampered URL, expiry on the injected clock), checksums, listing,
 * CORS preflights as the documents bucket's rules allow, and persistence across restarts.
 */
import { createHash } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Readable } from 'node:stream';
import {
  DeleteObjectCommand,
  GetObjectCommand,
  HeadObjectCommand,
  ListObjectsV2Command,
  PutObjectCommand,
  S3Client,
  S3ServiceException,
} from '@aws-sdk/client-s3';
import { getSignedUrl } from '@aws-sdk/s3-request-presigner';
import { afterAll, beforeAll, describe, expect, it } from '@jest/globals';
import { DOCUMENTS_CORS, LOCAL_S3_CREDENTIALS } from '../../../infra/local/runtime';
import { decodeAwsChunked, type LocalS3, startLocalS3 } from '../../../infra/local/s3-server';

const REGION = 'eu-west-1';
const DOCS = 'documents';
const ARTIFACTS = 'artifacts';

let clockOffsetMs = 0;
let engine: LocalS3;
let s3: S3Client;
/** Like the platform's presigner: no default request checksum in the URL. */
let presigner: S3Client;

const client = (
  endpoint: string,
  credentials: { accessKeyId: string; secretAccessKey: string } = LOCAL_S3_CREDENTIALS,
  extra: Partial<ConstructorParameters<typeof S3Client>[0]> = {},
) => new S3Client({ endpoint, region: REGION, credentials, forcePathStyle: true, ...extra });

async function failure(p: Promise<unknown>): Promise<S3ServiceException> {
  try {
    await p;
  } catch (e) {
    expect(e).toBeInstanceOf(S3ServiceException);
    return e as S3ServiceException;
  }
  throw new Error('expected the request to fail');
}

beforeAll(async () => {
  engine = await startLocalS3({
    buckets: [{ name: DOCS, cors: DOCUMENTS_CORS }, { name: ARTIFACTS }],
    credentials: LOCAL_S3_CREDENTIALS,
    region: REGION,
    now: () => Date.now() + clockOffsetMs,
  });
  s3 = client(engine.endpoint);
  presigner = client(engine.endpoint, LOCAL_S3_CREDENTIALS, {
    requestChecksumCalculation: 'WHEN_REQUIRED',
  });
});

afterAll(async () => {
  s3?.destroy();
  presigner?.destroy();
  await engine?.close();
});

describe('objects through the SDK', () => {
  it('puts, heads, gets and deletes an object with its type, metadata and MD5 ETag', async () => {
    // Arrange
    const key = 't1/kb/doc 1/notes ü.md';
    const body = Buffer.from('# Notes\n\nhello, S3\n');

    // Act
    const put = await s3.send(
      new PutObjectCommand({
        Bucket: DOCS,
        Key: key,
        Body: body,
        ContentType: 'text/markdown',
        Metadata: { origin: 'test' },
      }),
    );
    const head = await s3.send(new HeadObjectCommand({ Bucket: DOCS, Key: key }));
    const got = await s3.send(
      new GetObjectCommand({ Bucket: DOCS, Key: key, ChecksumMode: 'ENABLED' }),
    );
    const text = await got.Body?.transformToString();
    await s3.send(new DeleteObjectCommand({ Bucket: DOCS, Key: key }));
    const afterDelete = await failure(s3.send(new GetObjectCommand({ Bucket: DOCS, Key: key })));

    // Assess
    expect(put.ETag).toBe(`"${createHash('md5').update(body).digest('hex')}"`);
    expect(head.ContentLength).toBe(body.length);
    expect(head.ContentType).toBe('text/markdown');
    expect(head.ETag).toBe(put.ETag);
    expect(head.Metadata).toEqual({ origin: 'test' });
    expect(text).toBe(body.toString());
    expect(got.ChecksumCRC32).toBeDefined(); // stored from the SDK's default checksum, validated on read
    expect(afterDelete.name).toBe('NoSuchKey');
    expect(afterDelete.$metadata.httpStatusCode).toBe(404);
  });

  it('decodes an aws-chunked stream body with a trailing checksum', async () => {
    const data = Buffer.alloc(200_000, 'abcdefghij');
    await s3.send(
      new PutObjectCommand({
        Bucket: ARTIFACTS,
        Key: 'streamed.bin',
        Body: Readable.from([data.subarray(0, 70_000), data.subarray(70_000)]),
        ContentLength: data.length,
      }),
    );
    const got = await s3.send(new GetObjectCommand({ Bucket: ARTIFACTS, Key: 'streamed.bin' }));
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? [])).toEqual(data);
  });

  it('answers S3 error codes: missing key, missing bucket, HEAD 404, bad Content-MD5', async () => {
    const head = await failure(s3.send(new HeadObjectCommand({ Bucket: DOCS, Key: 'nope' })));
    const bucket = await failure(s3.send(new GetObjectCommand({ Bucket: 'other', Key: 'k' })));
    const md5 = await failure(
      s3.send(
        new PutObjectCommand({
          Bucket: DOCS,
          Key: 'bad-md5',
          Body: 'payload',
          ContentMD5: Buffer.alloc(16).toString('base64'),
        }),
      ),
    );
    expect([head.name, head.$metadata.httpStatusCode]).toEqual(['NotFound', 404]);
    expect([bucket.name, bucket.$metadata.httpStatusCode]).toEqual(['NoSuchBucket', 404]);
    expect([md5.name, md5.$metadata.httpStatusCode]).toEqual(['BadDigest', 400]);
    expect(
      (await failure(s3.send(new HeadObjectCommand({ Bucket: DOCS, Key: 'bad-md5' })))).name,
    ).toBe('NotFound'); // nothing half-written
  });

  it('refuses a wrong secret, an unknown access key, the wrong region and unsigned requests', async () => {
    await s3.send(new PutObjectCommand({ Bucket: DOCS, Key: 'private', Body: 'x' }));
    const wrongSecret = client(engine.endpoint, { ...LOCAL_S3_CREDENTIALS, secretAccessKey: 'no' });
    const unknownKey = client(engine.endpoint, { accessKeyId: 'AKIDOTHER', secretAccessKey: 'x' });
    const otherRegion = new S3Client({
      endpoint: engine.endpoint,
      region: 'us-east-1',
      credentials: LOCAL_S3_CREDENTIALS,
      forcePathStyle: true,
    });
    try {
      const a = await failure(
        wrongSecret.send(new GetObjectCommand({ Bucket: DOCS, Key: 'private' })),
      );
      const b = await failure(
        unknownKey.send(new GetObjectCommand({ Bucket: DOCS, Key: 'private' })),
      );
      const c = await failure(
        otherRegion.send(new GetObjectCommand({ Bucket: DOCS, Key: 'private' })),
      );
      const anonymous = await fetch(`${engine.endpoint}/${DOCS}/private`);
      expect([a.name, a.$metadata.httpStatusCode]).toEqual(['SignatureDoesNotMatch', 403]);
      expect([b.name, b.$metadata.httpStatusCode]).toEqual(['InvalidAccessKeyId', 403]);
      expect([c.name, c.$metadata.httpStatusCode]).toEqual(['AuthorizationHeaderMalformed', 400]);
      expect(anonymous.status).toBe(403);
      expect(await anonymous.text()).toContain('<Code>AccessDenied</Code>');
    } finally {
      for (const c of [wrongSecret, unknownKey, otherRegion]) c.destroy();
    }
  });

  it('refuses a request signed more than 15 minutes away from its clock', async () => {
    clockOffsetMs = 20 * 60_000;
    try {
      const err = await failure(s3.send(new HeadObjectCommand({ Bucket: DOCS, Key: 'private' })));
      // HEAD has no body, so the SDK only sees the status.
      expect(err.$metadata.httpStatusCode).toBe(403);
    } finally {
      clockOffsetMs = 0;
    }
  });

  it('lists with a prefix, a delimiter and continuation tokens', async () => {
    for (const key of ['list/a/1', 'list/a/2', 'list/b/1', 'list/c', 'list/d', 'other/x'])
      await s3.send(new PutObjectCommand({ Bucket: ARTIFACTS, Key: key, Body: key }));

    const all: string[] = [];
    let token: string | undefined;
    let pages = 0;
    do {
      const page = await s3.send(
        new ListObjectsV2Command({
          Bucket: ARTIFACTS,
          Prefix: 'list/',
          MaxKeys: 2,
          ContinuationToken: token,
        }),
      );
      all.push(...(page.Contents ?? []).map((o) => o.Key ?? ''));
      token = page.NextContinuationToken;
      pages++;
    } while (token);
    const grouped = await s3.send(
      new ListObjectsV2Command({ Bucket: ARTIFACTS, Prefix: 'list/', Delimiter: '/' }),
    );

    expect(all).toEqual(['list/a/1', 'list/a/2', 'list/b/1', 'list/c', 'list/d']);
    expect(pages).toBe(3);
    expect(grouped.CommonPrefixes?.map((p) => p.Prefix)).toEqual(['list/a/', 'list/b/']);
    expect(grouped.Contents?.map((o) => [o.Key, o.Size])).toEqual([
      ['list/c', 6],
      ['list/d', 6],
    ]);
  });
});

describe('presigned PUT from a browser', () => {
  const presignPut = (key: string, expiresIn = 900) =>
    getSignedUrl(
      presigner,
      new PutObjectCommand({ Bucket: DOCS, Key: key, ContentType: 'application/pdf' }),
      { expiresIn },
    );

  it('accepts the upload with CORS headers; the SDK reads back the same bytes', async () => {
    const url = await presignPut('t1/kb/d1/report.pdf');
    const bytes = Buffer.from('%PDF-1.4 not really');

    const res = await fetch(url, {
      method: 'PUT',
      body: bytes,
      headers: { 'content-type': 'application/pdf', origin: 'http://127.0.0.1:5173' },
    });
    const got = await s3.send(new GetObjectCommand({ Bucket: DOCS, Key: 't1/kb/d1/report.pdf' }));

    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(got.ContentType).toBe('application/pdf');
    expect(Buffer.from((await got.Body?.transformToByteArray()) ?? [])).toEqual(bytes);
  });

  it('refuses a tampered signature, another key and an expired URL', async () => {
    const url = new URL(await presignPut('t1/kb/d2/a.pdf', 60));
    const tampered = new URL(url);
    const sig = tampered.searchParams.get('X-Amz-Signature') ?? '';
    tampered.searchParams.set(
      'X-Amz-Signature',
      `${sig.slice(0, -1)}${sig.endsWith('0') ? '1' : '0'}`,
    );
    const otherKey = new URL(url);
    otherKey.pathname = otherKey.pathname.replace('a.pdf', 'b.pdf');
    const put = (u: URL) =>
      fetch(u, { method: 'PUT', body: 'x', headers: { 'content-type': 'application/pdf' } });

    const a = await put(tampered);
    const b = await put(otherKey);
    clockOffsetMs = 61_000;
    const c = await put(url).finally(() => {
      clockOffsetMs = 0;
    });

    expect([a.status, await a.text()]).toEqual([
      403,
      expect.stringContaining('SignatureDoesNotMatch'),
    ]);
    expect([b.status, await b.text()]).toEqual([
      403,
      expect.stringContaining('SignatureDoesNotMatch'),
    ]);
    expect([c.status, await c.text()]).toEqual([
      403,
      expect.stringContaining('Request has expired'),
    ]);
    expect(
      (await failure(s3.send(new HeadObjectCommand({ Bucket: DOCS, Key: 't1/kb/d2/a.pdf' })))).name,
    ).toBe('NotFound');
  });

  it('answers CORS preflights by the bucket rules', async () => {
    const preflight = (bucket: string, method: string, headers = 'content-type') =>
      fetch(`${engine.endpoint}/${bucket}/t1/kb/d3/file.txt?X-Amz-Signature=x`, {
        method: 'OPTIONS',
        headers: {
          origin: 'http://localhost:3000',
          'access-control-request-method': method,
          'access-control-request-headers': headers,
        },
      });

    const ok = await preflight(DOCS, 'PUT', 'content-type,x-amz-meta-note');
    const wrongMethod = await preflight(DOCS, 'DELETE');
    const noCors = await preflight(ARTIFACTS, 'PUT');

    expect(ok.status).toBe(200);
    expect(ok.headers.get('access-control-allow-origin')).toBe('*');
    expect(ok.headers.get('access-control-allow-methods')).toBe('PUT');
    expect(ok.headers.get('access-control-allow-headers')).toBe('content-type, x-amz-meta-note');
    expect(ok.headers.get('access-control-max-age')).toBe('3000');
    expect([wrongMethod.status, await wrongMethod.text()]).toEqual([
      403,
      expect.stringContaining('CORSResponse'),
    ]);
    expect([noCors.status, await noCors.text()]).toEqual([
      403,
      expect.stringContaining('CORS is not enabled'),
    ]);
  });
});

describe('persistence', () => {
  it('keeps objects, overwrites and deletes across a restart of the engine', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'hishamos-s3-'));
    const start = () =>
      startLocalS3({
        buckets: [{ name: DOCS }],
        credentials: LOCAL_S3_CREDENTIALS,
        region: REGION,
        directory,
      });
    try {
      const first = await start();
      const c1 = client(first.endpoint);
      await c1.send(new PutObjectCommand({ Bucket: DOCS, Key: 'keep', Body: 'v1' }));
      await c1.send(
        new PutObjectCommand({ Bucket: DOCS, Key: 'keep', Body: 'v2', ContentType: 'text/plain' }),
      );
      await c1.send(new PutObjectCommand({ Bucket: DOCS, Key: 'gone', Body: 'x' }));
      await c1.send(new DeleteObjectCommand({ Bucket: DOCS, Key: 'gone' }));
      c1.destroy();
      await first.close();

      const second = await start();
      const c2 = client(second.endpoint);
      try {
        const kept = await c2.send(new GetObjectCommand({ Bucket: DOCS, Key: 'keep' }));
        expect(await kept.Body?.transformToString()).toBe('v2');
        expect(kept.ContentType).toBe('text/plain');
        expect(
          (await failure(c2.send(new GetObjectCommand({ Bucket: DOCS, Key: 'gone' })))).name,
        ).toBe('NoSuchKey');
      } finally {
        c2.destroy();
        await second.close();
      }
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });
});

describe('aws-chunked decoding', () => {
  it('rejects a truncated body instead of storing part of it', () => {
    expect(() => decodeAwsChunked(Buffer.from('a\r\nhello'))).toThrow('truncated');
    expect(
      decodeAwsChunked(Buffer.from('5\r\nhello\r\n0\r\nx-amz-checksum-crc32:AAAA\r\n\r\n')),
    ).toEqual({
      body: Buffer.from('hello'),
      trailers: { 'x-amz-checksum-crc32': 'AAAA' },
    });
  });
});
