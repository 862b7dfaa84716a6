import * as z from 'zod';

export const IngestRef = z.object({
  tenantId: z.uuid(),
  documentId: z.uuid(),
  generation: z.number().int().min(1),
});
export const BatchRef = IngestRef.extend({
  batch: z.number().int().min(0),
  executionId: z.string().min(1).max(400),
});
export const FailureRef = IngestRef.extend({
  error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }),
});
