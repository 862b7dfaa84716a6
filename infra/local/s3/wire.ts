/** What every part of the local S3 engine shares: the stored object, S3's errors, request targets. */
import type { IncomingMessage } from 'node:http';

export interface CorsRule {
  readonly allowedOrigins: readonly string[];
  readonly allowedMethods: readonly string[];
  readonly allowedHeaders?: readonly string[];
  readonly exposeHeaders?: readonly string[];
  readonly maxAgeSeconds?: number;
}

export interface StoredObject {
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

export interface Target {
  /** The path exactly as sent (it is what the client signed). */
  readonly rawPath: string;
  readonly rawQuery: string;
  readonly query: URLSearchParams;
  readonly bucket?: string;
  /** Undefined for a bucket-level request; S3 keys may contain `/`. */
  readonly key?: string;
}

export function parseTarget(url: string): Target {
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

export const header = (req: IncomingMessage, name: string): string | undefined => {
  const v = req.headers[name];
  return Array.isArray(v) ? v.join(',') : v;
};
