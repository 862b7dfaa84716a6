import { embedBatch } from '../../shared/rag/ingest';
import { taskHandler } from '../../shared/tasks/task-handler';
import { BatchRef } from './inputs';

export const handler = taskHandler(BatchRef, embedBatch);
