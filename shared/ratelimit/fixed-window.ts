import {
  ConditionalCheckFailedException,
  UpdateItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';
import { RateLimited } from '../errors';

export interface Limit {
  /** e.g. `apikey:<id>`, `tenant:<id>`, `ip:<addr>`. */
  key: string;
  perMinute: number;
}

/**
 * Fixed one-minute windows in DynamoDB (shared by every Lambda): one conditional ADD per limit, so a
 * request over the limit is refused without writing. Items expire through TTL (checked by window
 * name, so dynalite's missing TTL does not matter).
 */
export async function consume(
  dynamo: DynamoDBClient,
  table: string,
  limits: Limit[],
  nowMs: number,
): Promise<void> {
  const window = Math.floor(nowMs / 60_000);
  const retryAfter = Math.max(1, Math.ceil(((window + 1) * 60_000 - nowMs) / 1000));
  await Promise.all(
    limits.map(async ({ key, perMinute }) => {
      try {
        await dynamo.send(
          new UpdateItemCommand({
            TableName: table,
            Key: { pk: { S: `rl#${key}` }, sk: { S: String(window) } },
            UpdateExpression: 'ADD hits :one SET expiresAt = :exp',
            ConditionExpression: 'attribute_not_exists(hits) OR hits < :limit',
            ExpressionAttributeValues: {
              ':one': { N: '1' },
              ':limit': { N: String(perMinute) },
              ':exp': { N: String((window + 2) * 60) },
            },
          }),
        );
      } catch (e) {
        if (
          e instanceof ConditionalCheckFailedException ||
          (e as Error).name === 'ConditionalCheckFailedException'
        ) {
          throw new RateLimited(
            `rate limit of ${perMinute} requests per minute reached for ${key.split(':')[0]}; retry in ${retryAfter} s`,
            { retryAfterSeconds: retryAfter },
          );
        }
        throw e;
      }
    }),
  );
}
