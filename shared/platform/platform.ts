import type { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { configureOutbound } from '../net/outbound';
import type { S3Client } from '@aws-sdk/client-s3';
import type { Config } from '../config';
import type { Database } from '../db/client';
import type { Logger } from '../observability/logger';
import type { AuditAnchorStore, ExecutionStarter, ScheduleTimers, SecretStore } from './ports';

/** Everything a handler reaches outside its own memory, created once per process. */
export interface Platform {
  readonly config: Config;
  readonly db: Database;
  readonly secrets: SecretStore;
  readonly executions: ExecutionStarter;
  readonly anchors: AuditAnchorStore;
  readonly scheduleTimers: ScheduleTimers;
  readonly dynamo: DynamoDBClient;
  readonly s3: S3Client;
  readonly log: Logger;
  /** Milliseconds since epoch; injectable so tests can move time. */
  readonly now: () => number;
}

let current: Promise<Platform> | undefined;

/**
 * The process platform. In Lambda it is built from the environment on first use (cold start);
 * the local runtime and tests install theirs before any handler runs.
 */
export function platform(): Promise<Platform> {
  if (!current)
    current = import('./aws-platform').then(async (m) => {
      const p = await m.createAwsPlatform();
      configureFrom(p);
      return p;
    });
  return current;
}

export function installPlatform(p: Platform): void {
  configureFrom(p);
  current = Promise.resolve(p);
}

function configureFrom(p: Platform): void {
  configureOutbound({
    allowLoopback: p.config.OUTBOUND_ALLOW_LOOPBACK,
    allow: p.config.OUTBOUND_ALLOW,
  });
}
