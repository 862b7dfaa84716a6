import { chunkDocument } from '../../shared/rag/ingest';
import { taskHandler } from '../../shared/tasks/task-handler';
import { IngestRef } from './inputs';

export const handler = taskHandler(IngestRef, chunkDocument);
