import type { MiddlewareObj } from '@middy/core';
import type { APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2 } from 'aws-lambda';
import {
  MalformedJson,
  MalformedYaml,
  PayloadTooLarge,
  UnsupportedMediaType,
  ValidationError,
} from '../errors';
import { MAX_JSON_DEPTH, depthOf } from './input-guard';
import { type Logger, withoutQueryParams } from '../observability/logger';
import { toErrorResponse } from './error-mapping';

type Mw = MiddlewareObj<APIGatewayProxyEventV2, APIGatewayProxyStructuredResultV2>;

export const MAX_BODY_BYTES = 1024 * 1024;
const JSON_HEADERS = {
  'content-type': 'application/json; charset=utf-8',
  'cache-control': 'no-store',
};

/** Decoded request body, kept beside the event so the raw bytes stay available for signatures. */
export interface ParsedBody {
  raw: string;
  json: unknown;
}
const BODY = Symbol('hishamos.body');
export function bodyOf(event: APIGatewayProxyEventV2): ParsedBody {
  return (event as unknown as Record<symbol, ParsedBody>)[BODY] ?? { raw: '', json: undefined };
}

/** Named errors → the JSON error shape (ErrorBody in shared/api/contracts/common.ts); anything else → 500 without internals. */
export function errorResponder(log: () => Promise<Logger>): Mw {
  return {
    onError: async (request) => {
      const mapped = toErrorResponse(request.error);
      if (mapped.status >= 500) {
        // Class, message and request id only: never the bound SQL parameters or a request body.
        (await log()).error('request failed', {
          routeKey: request.event.routeKey,
          requestId: request.event.requestContext?.requestId,
          error: errorSummary(request.error),
          cause: errorSummary((request.error as Error)?.cause),
        });
      }
      request.response = {
        statusCode: mapped.status,
        headers: { ...JSON_HEADERS, ...mapped.headers },
        body: JSON.stringify(mapped.body),
      };
    },
  };
}

/**
 * What a log may say about an error. Drizzle's query errors append `params: …` (password hashes,
 * document text) to their message, and driver errors carry `detail`/`parameters` fields: only the
 * class and the message up to the parameters are kept.
 */
export function errorSummary(error: unknown): { class: string; message: string } | undefined {
  if (error === undefined || error === null) return undefined;
  if (!(error instanceof Error)) return { class: typeof error, message: '(not an Error)' };
  const message = withoutQueryParams(error.message);
  return { class: error.name, message: message.slice(0, 2000) };
}

/**
 * Size limit, base64 decoding and JSON parsing; malformed JSON is a 400, never a 500. Routes in
 * `yamlRoutes` also take a YAML body (`application/yaml`, `text/yaml`): workflow and agent files.
 */
export function jsonBody(
  options: {
    rawBody?: boolean;
    yamlRoutes?: ReadonlySet<string>;
    ndjsonRoutes?: ReadonlySet<string>;
    /** Routes that take more than MAX_BODY_BYTES (batches), by route key. */
    bodyLimits?: ReadonlyMap<string, number>;
  } = {},
): Mw {
  return {
    before: async (request) => {
      const e = request.event;
      const raw = e.body
        ? e.isBase64Encoded
          ? Buffer.from(e.body, 'base64').toString('utf8')
          : e.body
        : '';
      const limit = options.bodyLimits?.get(e.routeKey) ?? MAX_BODY_BYTES;
      if (Buffer.byteLength(raw) > limit)
        throw new PayloadTooLarge(`request body over ${limit} bytes`);
      let json: unknown;
      if (raw.trim()) {
        const type = (e.headers?.['content-type'] ?? 'application/json').toLowerCase();
        if (type.includes('yaml') && options.yamlRoutes?.has(e.routeKey)) json = await yamlOf(raw);
        else if (isNdjson(type) && options.ndjsonRoutes?.has(e.routeKey)) json = ndjsonOf(raw);
        else if (!type.includes('json') && !options.rawBody)
          throw new UnsupportedMediaType('send a JSON body with content-type: application/json');
        else
          try {
            json = JSON.parse(raw);
          } catch (cause) {
            throw new MalformedJson(`request body is not valid JSON: ${(cause as Error).message}`, {
              cause,
            });
          }
      }
      if (depthOf(json) > MAX_JSON_DEPTH)
        throw new ValidationError(`request body nested deeper than ${MAX_JSON_DEPTH} levels`, [
          { path: 'body', message: `nested deeper than ${MAX_JSON_DEPTH} levels` },
        ]);
      (e as unknown as Record<symbol, ParsedBody>)[BODY] = { raw, json };
    },
  };
}

const isNdjson = (type: string) => type.includes('ndjson') || type.includes('jsonl');

/**
 * JSON Lines as `{inputs: [...]}`, one item per line (a final newline allowed), so `inputs[6]` is
 * line 7; a line that is blank or does not parse is a 400 naming it (`line 7`).
 */
export function ndjsonOf(raw: string): { inputs: unknown[] } {
  const inputs: unknown[] = [];
  const lines = raw.replace(/\r?\n$/, '').split(/\r?\n/);
  for (const [i, line] of lines.entries()) {
    if (!line.trim())
      throw new ValidationError(`line ${i + 1} is blank`, [
        { path: `line ${i + 1}`, message: 'blank line (one JSON object per line)' },
      ]);
    try {
      inputs.push(JSON.parse(line));
    } catch (cause) {
      throw new ValidationError(`line ${i + 1} is not valid JSON: ${(cause as Error).message}`, [
        { path: `line ${i + 1}`, message: 'not valid JSON' },
      ]);
    }
  }
  return { inputs };
}

/**
 * A YAML document as plain JSON values; aliases are capped (expansion bombs) and keys unique. The
 * parser loads on first use: only the file routes need it, not every function's cold start.
 */
async function yamlOf(raw: string): Promise<unknown> {
  const { default: YAML } = await import('yaml');
  try {
    return YAML.parse(raw, { schema: 'core', maxAliasCount: 50, uniqueKeys: true });
  } catch (cause) {
    throw new MalformedYaml(`request body is not valid YAML: ${(cause as Error).message}`, {
      cause,
    });
  }
}

/** A text answer (a YAML export) instead of JSON. */
export function textResponse(
  status: number,
  body: string,
  contentType: string,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  return {
    statusCode: status,
    headers: { 'content-type': contentType, 'cache-control': 'no-store', ...headers },
    body,
  };
}

export function jsonResponse(
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
): APIGatewayProxyStructuredResultV2 {
  if (status === 204 || body === undefined)
    return { statusCode: status, headers: { 'cache-control': 'no-store', ...headers } };
  return {
    statusCode: status,
    headers: { ...JSON_HEADERS, ...headers },
    body: JSON.stringify(body),
  };
}
