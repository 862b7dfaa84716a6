import * as z from 'zod';
import { IdOrSlug, PageQuery, Uuid } from './common';
import { RunSummary } from './runs';

/** At most this many inputs per batch (issue 13). */
export const MAX_BATCH_INPUTS = 10_000;
export const MAX_BATCH_CONCURRENCY = 1000;
export const DEFAULT_BATCH_CONCURRENCY = 10;

const MaxConcurrency = z.coerce.number().int().min(1).max(MAX_BATCH_CONCURRENCY);
const Version = z.coerce.number().int().min(1);

/**
 * `application/json`: this body. `application/x-ndjson`: one input object per line, with
 * `maxConcurrency` and `version` in the query string instead (ADR 160).
 */
export const BatchCreateBody = z
  .object({
    inputs: z.array(z.record(z.string(), z.unknown())).min(1).max(MAX_BATCH_INPUTS),
    /** How many of the batch's runs may be in flight at once. */
    maxConcurrency: MaxConcurrency.optional(),
    /** Run this version; absent: the workflow's published version (ADR 120). */
    version: Version.optional(),
  })
  .strict();
export type BatchCreateBody = z.infer<typeof BatchCreateBody>;
/** The JSONL form's settings (a JSON body carries them in the body). */
export const BatchCreateQuery = z.object({
  maxConcurrency: MaxConcurrency.optional(),
  version: Version.optional(),
});

export const BATCH_STATUSES = ['RUNNING', 'COMPLETED', 'FAILED', 'CANCELLED'] as const;

export const BatchStarted = z.object({ batchId: Uuid, status: z.enum(BATCH_STATUSES) });

/** Runs by status; `notStarted` counts the inputs with no run (yet, or refused at start). */
export const BatchCounts = z.object({
  total: z.number().int(),
  notStarted: z.number().int(),
  queued: z.number().int(),
  running: z.number().int(),
  waiting: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
});
export type BatchCounts = z.infer<typeof BatchCounts>;

export const BatchSummary = z.object({
  id: Uuid,
  workflowId: Uuid,
  workflowSlug: z.string(),
  workflowVersion: z.number().int(),
  status: z.enum(BATCH_STATUSES),
  maxConcurrency: z.number().int(),
  counts: BatchCounts,
  error: z.object({ name: z.string(), message: z.string() }).optional(),
  createdAt: z.string(),
  finishedAt: z.string().optional(),
});
export const Batch = BatchSummary.extend({
  /** The batch's runs, a page at a time (`limit`, `cursor`). */
  runs: z.object({ items: z.array(RunSummary), nextCursor: z.string().optional() }),
});

export const BatchListQuery = PageQuery.extend({ workflowId: IdOrSlug.optional() });
