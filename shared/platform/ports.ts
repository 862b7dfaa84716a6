/**
 * Ports exist only where no faithful local engine exists (ADR 001): secrets and starting
 * executions. Everything else (Postgres, DynamoDB, S3) is the same client locally and in AWS.
 */
export interface SecretStore {
  get(id: string): Promise<string | undefined>;
  put(id: string, value: string): Promise<void>;
  delete(id: string): Promise<void>;
}

export interface ExecutionStarter {
  /** Starts a state machine execution named `name` (idempotent on the name). Returns its id (ARN in AWS). */
  start(
    machine: string,
    name: string,
    input: Record<string, unknown>,
  ): Promise<{ executionId: string }>;
  stop(executionId: string, cause: string): Promise<void>;
}
