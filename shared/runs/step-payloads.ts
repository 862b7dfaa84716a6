/**
 * Large step payloads (a rendered prompt, an output, the tool-calling turns) live in the artifacts
 * bucket, not in the `run_steps` row: through the RDS Data API a row is at most 64 KB and a
 * response at most 1 MiB (ADR 105). The row keeps a pointer (key, size, sha256, preview) in
 * `run_steps.payloads`; readers resolve it through the run's tenant.
 */
import { createHash } from 'node:crypto';
import { type SQL, sql } from 'drizzle-orm';
import * as z from 'zod';
import { runSteps } from '../db/schema';
import { StepPayloadUnavailable } from '../errors';
import type { Platform } from '../platform/platform';

/** Characters of a payload kept in the row and shown by list-like responses. */
export const PREVIEW_CHARS = 1024;

export const PayloadPointer = z.object({
  key: z.string().min(1),
  bytes: z.number().int().min(0),
  sha256: z.string().regex(/^[0-9a-f]{64}$/),
  preview: z.string(),
});
export type PayloadPointer = z.infer<typeof PayloadPointer>;

export const StepPayloads = z.object({
  prompt: PayloadPointer.optional(),
  output: PayloadPointer.optional(),
  toolTurns: PayloadPointer.optional(),
});
export type StepPayloads = z.infer<typeof StepPayloads>;
export type PayloadField = keyof StepPayloads;

/** What offloading and resolving need of the platform. */
export type PayloadPlatform = Pick<Platform, 's3' | 'config'>;

export interface PayloadOwner {
  tenantId: string;
  runId: string;
  stepId: string;
  attempt: number;
}

/**
 * Keys start with the tenant, so a reader can check a pointer against the run's tenant; they end
 * with the content's hash, so a rewrite (tool turns grow) never changes an object a row points to.
 */
export function payloadKey(o: PayloadOwner, field: PayloadField, digest: string): string {
  return `${o.tenantId}/runs/${o.runId}/steps/${o.stepId}/a${o.attempt}/${field}-${digest.slice(0, 16)}.json`;
}

/** The SET value that adds one field's pointer to `run_steps.payloads`, keeping the others. */
export function mergePointer(field: PayloadField, pointer: PayloadPointer): SQL {
  return mergePointers(sql`${pointerJson(field, pointer)}`);
}

/** `mergePointer` with the pointer bound later (`pointerJson`), in a prebuilt statement (ADR 172). */
export function mergeBoundPointer(placeholder: string): SQL {
  return mergePointers(sql`${sql.placeholder(placeholder)}`);
}

export const pointerJson = (field: PayloadField, pointer: PayloadPointer) =>
  JSON.stringify({ [field]: pointer });

const mergePointers = (json: SQL) =>
  sql`coalesce(${runSteps.payloads}, '{}'::jsonb) || ${json}::jsonb`;

export const parsePayloads = (v: unknown): StepPayloads => (v ? StepPayloads.parse(v) : {});

/**
 * The value as the row keeps it: the value itself at or under the threshold; above it, the value
 * is written to S3 and the row keeps `null` (a prompt keeps its preview) plus the pointer.
 */
export async function offloadPayload<T>(
  p: PayloadPlatform,
  owner: PayloadOwner,
  field: PayloadField,
  value: T,
): Promise<{ inline: T | string | null; pointer?: PayloadPointer }> {
  const body = JSON.stringify(value ?? null);
  const bytes = Buffer.byteLength(body);
  if (bytes <= p.config.STEP_PAYLOAD_INLINE_MAX_BYTES) return { inline: value };
  const digest = sha256(body);
  const key = payloadKey(owner, field, digest);
  // Loaded on first use: most steps never offload, and the engine bundles' cold start is bounded.
  const { PutObjectCommand } = await import('@aws-sdk/client-s3');
  await p.s3.send(
    new PutObjectCommand({
      Bucket: p.config.ARTIFACTS_BUCKET,
      Key: key,
      Body: body,
      ContentType: 'application/json',
    }),
  );
  const preview = previewOf(value, body);
  const pointer = { key, bytes, sha256: digest, preview };
  return { inline: field === 'prompt' ? preview : null, pointer };
}

/** The stored value of a pointer, read as `tenantId` (keys of other tenants are refused). */
export async function resolvePayload(
  p: PayloadPlatform,
  tenantId: string,
  pointer: PayloadPointer,
): Promise<unknown> {
  if (!pointer.key.startsWith(`${tenantId}/`))
    throw new StepPayloadUnavailable(`step payload ${pointer.key} is not the tenant's`);
  const { GetObjectCommand } = await import('@aws-sdk/client-s3');
  const got = await p.s3
    .send(new GetObjectCommand({ Bucket: p.config.ARTIFACTS_BUCKET, Key: pointer.key }))
    .catch((e: unknown) => {
      throw new StepPayloadUnavailable(
        `step payload ${pointer.key} could not be read: ${e instanceof Error ? e.name : 'error'}`,
      );
    });
  const body = (await got.Body?.transformToString('utf-8')) ?? '';
  if (sha256(body) !== pointer.sha256)
    throw new StepPayloadUnavailable(`step payload ${pointer.key} does not match its sha256`);
  return JSON.parse(body) as unknown;
}

/** A row value with its pointer (if any) resolved: what templates and the step view read. */
export async function resolved(
  p: PayloadPlatform,
  tenantId: string,
  inline: unknown,
  pointer: PayloadPointer | undefined,
): Promise<unknown> {
  return pointer ? resolvePayload(p, tenantId, pointer) : inline;
}

function previewOf(value: unknown, json: string): string {
  const text = typeof value === 'string' ? value : json;
  return text.length > PREVIEW_CHARS ? `${text.slice(0, PREVIEW_CHARS)}…` : text;
}

const sha256 = (s: string) => createHash('sha256').update(s).digest('hex');
