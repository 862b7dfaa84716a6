import {
  ConditionalCheckFailedException,
  DeleteItemCommand,
  GetItemCommand,
  PutItemCommand,
  type DynamoDBClient,
} from '@aws-sdk/client-dynamodb';

export interface Claim {
  /** True when this caller claimed the key; false when an earlier caller holds it. */
  claimed: boolean;
  /** The value stored by whoever claimed the key first. */
  value: string;
}

/**
 * First writer wins, via a DynamoDB conditional put: the retry of a request, a redelivered webhook
 * or two concurrent copies all see the same stored value. Expiry is checked on read too, because
 * TTL deletion is lazy in AWS and absent in dynalite.
 */
export async function claimKey(
  dynamo: DynamoDBClient,
  table: string,
  key: string,
  value: string,
  ttlSeconds: number,
  nowMs = Date.now(),
): Promise<Claim> {
  const expiresAt = Math.floor(nowMs / 1000) + ttlSeconds;
  try {
    await dynamo.send(
      new PutItemCommand({
        TableName: table,
        Item: {
          pk: { S: key },
          sk: { S: 'claim' },
          value: { S: value },
          expiresAt: { N: String(expiresAt) },
        },
        ConditionExpression: 'attribute_not_exists(pk) OR expiresAt < :now',
        ExpressionAttributeValues: { ':now': { N: String(Math.floor(nowMs / 1000)) } },
      }),
    );
    return { claimed: true, value };
  } catch (e) {
    if (
      !(e instanceof ConditionalCheckFailedException) &&
      (e as Error).name !== 'ConditionalCheckFailedException'
    )
      throw e;
    const existing = await dynamo.send(
      new GetItemCommand({
        TableName: table,
        Key: { pk: { S: key }, sk: { S: 'claim' } },
        ConsistentRead: true,
      }),
    );
    return { claimed: false, value: existing.Item?.value?.S ?? '' };
  }
}

export async function releaseKey(
  dynamo: DynamoDBClient,
  table: string,
  key: string,
): Promise<void> {
  await dynamo.send(
    new DeleteItemCommand({ TableName: table, Key: { pk: { S: key }, sk: { S: 'claim' } } }),
  );
}
