/**
 * Ports exist only where no faithful local engine exists (ADR 001): secrets, starting executions
 * and the audit anchors (S3 Object Lock has no local engine). Everything else (Postgres,
 * DynamoDB, S3) is the same client locally and in AWS.
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
  /**
   * The id `start` will give the execution named `name`, known before it starts (a run records it
   * with its own insert); undefined when this starter cannot tell.
   */
  executionIdOf(machine: string, name: string): string | undefined;
}

/** A signed audit chain head: where the application's database role cannot rewrite it (ADR 053). */
export interface AuditAnchor {
  tenantId: string;
  seq: number;
  hash: string;
  at: string;
  /** HMAC-SHA256 over `tenantId|seq|hash|at` with the anchor key from the secret store. */
  mac: string;
}

export interface AuditAnchorStore {
  /** Writes an anchor that cannot be changed afterwards (Object Lock in AWS). */
  append(anchor: AuditAnchor): Promise<void>;
  /** The tenant's anchors, oldest first. */
  list(tenantId: string): Promise<AuditAnchor[]>;
}

/**
 * The one timer of each schedule (ADR 121): an EventBridge Scheduler schedule in AWS, armed for
 * the row's next firing. Locally the runtime polls the rows themselves, so arming does nothing.
 */
export interface ScheduleTimers {
  /** Sets (or moves) the schedule's timer to fire at `at`; `null` removes it. Idempotent. */
  arm(schedule: { tenantId: string; scheduleId: string }, at: Date | null): Promise<void>;
}
