import { LARGEST_BODY_BYTES, route as r } from '../route';
import { IdOrSlugParams, IdParams, PageQuery, listOf } from '../contracts/common';
import * as batches from '../contracts/batches';

export const batchesRoutes = [
  r(
    'POST',
    '/v1/workflows/{id}/batches',
    'dev',
    'Start a batch: one run per input (JSON body, or JSONL with application/x-ndjson)',
    {
      params: IdOrSlugParams,
      query: batches.BatchCreateQuery,
      body: batches.BatchCreateBody,
      response: batches.BatchStarted,
      status: 202,
      ndjson: true,
      // 10,000 inputs of ~400 bytes each (ADR 160).
      maxBodyBytes: LARGEST_BODY_BYTES,
    },
  ),
  r('GET', '/v1/batches', 'viewer', 'List batches', {
    query: batches.BatchListQuery,
    response: listOf(batches.BatchSummary),
  }),
  r('GET', '/v1/batches/{id}', 'viewer', 'A batch: counts by status and its runs (paged)', {
    params: IdParams,
    query: PageQuery,
    response: batches.Batch,
  }),
  r('POST', '/v1/batches/{id}/cancel', 'dev', 'Cancel a batch and its unfinished runs', {
    params: IdParams,
    response: batches.BatchSummary,
  }),
] as const;
