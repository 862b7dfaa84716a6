import { failIngestion } from '../../shared/rag/ingest';
import { taskHandler } from '../../shared/tasks/task-handler';
import { FailureRef } from './inputs';

export const handler = taskHandler(FailureRef, failIngestion);
