import * as z from 'zod';
import { advanceBatchItem } from '../../shared/batches/items';
import { taskHandler } from '../../shared/tasks/task-handler';

/** One Distributed Map item (the ItemSelector's output): ids, its index and its input. */
const Item = z.object({
  tenantId: z.uuid(),
  batchId: z.uuid(),
  index: z.number().int().min(0),
  input: z.record(z.string(), z.unknown()),
});

export const handler = taskHandler(Item, advanceBatchItem);
