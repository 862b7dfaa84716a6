import * as z from 'zod';
import { PageQuery } from './common';

export const AuditQuery = PageQuery.extend({
  action: z.string().max(100).optional(),
  /** The `seq` of the last entry seen. */
  cursor: z
    .string()
    .regex(/^[1-9][0-9]{0,14}$/, 'not a cursor this list returned')
    .optional(),
});
export const AuditEntry = z.object({
  seq: z.number().int(),
  at: z.string(),
  actor: z.string(),
  action: z.string(),
  target: z.string().nullable(),
  data: z.unknown().optional(),
  hash: z.string(),
});

export const AuditVerification = z.object({
  ok: z.boolean(),
  entries: z.number().int(),
  head: z.object({ seq: z.number().int(), hash: z.string() }).nullable(),
  /** The first entry that no longer matches the chain or its signed anchor, and why. */
  firstBroken: z.object({ seq: z.number().int(), reason: z.string() }).nullable(),
  anchors: z.object({
    count: z.number().int(),
    latest: z.object({ seq: z.number().int(), at: z.string() }).nullable(),
  }),
});
