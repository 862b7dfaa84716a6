/**
 * Streamed routes (Server-Sent Events). They are served by a streaming function: a Lambda function
 * URL in RESPONSE_STREAM mode in AWS (HTTP APIs cannot stream, ADR 070), the same handler locally.
 */
import { route as r } from '../route';
import { IdParams } from '../contracts/common';
import * as runs from '../contracts/runs';

export const streamsRoutes = [
  r('GET', '/v1/runs/{id}/stream', 'viewer', "A run's events as Server-Sent Events", {
    params: IdParams,
    query: runs.RunStreamQuery,
    stream: true,
  }),
] as const;
