import { DynamoDBClient } from '@aws-sdk/client-dynamodb';
import { S3Client } from '@aws-sdk/client-s3';
import { config } from '../config';
import { openDatabase } from '../db/client';
import { createLogger } from '../observability/logger';
import { EmfMetrics, installMetrics } from '../observability/metrics';
import type { Platform } from './platform';
import { S3AnchorStore } from './s3-anchor-store';
import { SecretsManagerStore } from './secrets-manager-store';
import { StepFunctionsStarter } from './step-functions-starter';
import { EventBridgeScheduleTimers } from './eventbridge-schedule-timers';

export async function createAwsPlatform(): Promise<Platform> {
  const cfg = config();
  if (cfg.METRICS_FORMAT === 'emf') installMetrics(new EmfMetrics('HishamOS'));
  // The SDK loads only when traces are exported (a bundle's cold start stays small otherwise).
  if (cfg.OTEL_EXPORTER_OTLP_ENDPOINT) {
    const { installOtlpTracing } = await import('../observability/tracing-sdk');
    installOtlpTracing(cfg.OTEL_EXPORTER_OTLP_ENDPOINT, { flushEachInvocation: true });
  }
  const db =
    cfg.HISHAMOS_DB_DRIVER === 'pg'
      ? await openDatabase({ driver: 'pg', url: cfg.DATABASE_URL ?? '' })
      : await openDatabase({
          driver: 'data-api',
          resourceArn: cfg.DB_CLUSTER_ARN ?? '',
          secretArn: cfg.DB_SECRET_ARN ?? '',
          database: cfg.DB_NAME,
          region: cfg.AWS_REGION,
        });
  const s3 = new S3Client({ region: cfg.AWS_REGION });
  return {
    config: cfg,
    db,
    anchors: new S3AnchorStore(s3, cfg.AUDIT_ANCHOR_BUCKET),
    secrets: new SecretsManagerStore(cfg.AWS_REGION),
    executions: new StepFunctionsStarter(cfg),
    scheduleTimers: EventBridgeScheduleTimers.fromConfig(cfg),
    dynamo: new DynamoDBClient({ region: cfg.AWS_REGION }),
    s3,
    log: createLogger(cfg.LOG_LEVEL),
    now: Date.now,
  };
}
