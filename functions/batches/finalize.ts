import * as z from 'zod';
import { finalizeBatch } from '../../shared/batches/items';
import { taskHandler } from '../../shared/tasks/task-handler';

const Event = z.object({
  tenantId: z.uuid(),
  batchId: z.uuid(),
  /** The execution's state; `error` is there when the Distributed Map's Catch led to Finalize. */
  state: z
    .object({
      error: z.object({ Error: z.string().optional(), Cause: z.string().optional() }).optional(),
    })
    .passthrough(),
});

export const handler = taskHandler(Event, (p, e) =>
  finalizeBatch(p, { tenantId: e.tenantId, batchId: e.batchId, error: e.state.error }),
);
