/**
 * An SQS queue that keeps what an asynchronous delivery (EventBridge, EventBridge Scheduler) could
 * not hand over after its retries: encrypted, TLS only, kept 14 days for an operator to inspect.
 */
import { Duration, Validations } from 'aws-cdk-lib';
import * as sqs from 'aws-cdk-lib/aws-sqs';
import { Construct } from 'constructs';

export interface DeadLetterQueueProps {
  /** What the queue collects, for its description in findings and the console. */
  readonly purpose: string;
}

export class DeadLetterQueue extends Construct {
  readonly queue: sqs.Queue;

  constructor(scope: Construct, id: string, props: DeadLetterQueueProps) {
    super(scope, id);
    this.queue = new sqs.Queue(this, 'Queue', {
      encryption: sqs.QueueEncryption.SQS_MANAGED,
      enforceSSL: true,
      retentionPeriod: Duration.days(14),
    });
    Validations.of(this.queue).acknowledge({
      id: 'AwsSolutions-SQS3',
      reason: `This queue IS a dead-letter queue (${props.purpose}); a dead-letter queue of a dead-letter queue would only move the same messages again.`,
    });
  }
}
