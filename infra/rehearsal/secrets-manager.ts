/**
 * A Secrets Manager stand-in speaking the JSON 1.1 protocol the SDK uses (`X-Amz-Target:
 * secretsmanager.<Operation>`): CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret,
 * DeleteSecret. Every call is checked against the caller's policy first. Seeded with the template's
 * secrets, generated the way `GenerateSecretString` describes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Principals } from './iam';
import { type JsonInput, ServiceError, startJsonProtocolServer } from './json-protocol';
import { ACCOUNT, PARTITION, REGION, secretArn, type TemplateSecret } from './template';

interface Secret {
  arn: string;
  name: string;
  value?: string;
  versionId: string;
  created: number;
}

export interface LocalSecretsManager {
  readonly url: string;
  /** The current value of a secret by ARN or name (the Data API stand-in logs in with it). */
  value(id: string): string | undefined;
  close(): Promise<void>;
}

const NOT_FOUND = () =>
  new ServiceError('ResourceNotFoundException', "Secrets Manager can't find the specified secret.");

/** What CloudFormation stores for a `GenerateSecretString` (alphanumeric: no excluded characters). */
export function generateSecret(s: TemplateSecret): string | undefined {
  if (s.secretString !== undefined) return s.secretString;
  if (!s.generate) return undefined;
  const password = randomBytes(64)
    .toString('base64')
    .replace(/[^A-Za-z0-9]/g, '')
    .slice(0, s.generate.PasswordLength ?? 32);
  if (!s.generate.SecretStringTemplate) return password;
  const doc = JSON.parse(s.generate.SecretStringTemplate) as Record<string, unknown>;
  doc[s.generate.GenerateStringKey ?? 'password'] = password;
  return JSON.stringify(doc);
}

export async function startSecretsManager(
  principals: Principals,
  seed: readonly TemplateSecret[],
): Promise<LocalSecretsManager> {
  const secrets = new Map<string, Secret>();
  for (const s of seed)
    secrets.set(s.name, {
      arn: s.arn,
      name: s.name,
      value: generateSecret(s),
      versionId: randomUUID(),
      created: Date.now(),
    });
  const find = (id: string): Secret | undefined => {
    if (!id.startsWith('arn:')) return secrets.get(id);
    // A full ARN, or a partial one (without the six-character suffix).
    return [...secrets.values()].find((s) => s.arn === id || s.arn.startsWith(`${id}-`));
  };
  /** The ARN IAM evaluates: the secret's own, or the name's when it does not exist. */
  const arnOf = (id: string) =>
    find(id)?.arn ??
    (id.startsWith('arn:')
      ? id
      : `arn:${PARTITION}:secretsmanager:${REGION}:${ACCOUNT}:secret:${id}`);

  const ops: Record<string, (input: JsonInput) => unknown> = {
    GetSecretValue({ SecretId }) {
      const s = find(SecretId);
      if (!s) throw NOT_FOUND();
      if (s.value === undefined)
        throw new ServiceError(
          'ResourceNotFoundException',
          "Secrets Manager can't find the specified secret value for staging label: AWSCURRENT",
        );
      return {
        ARN: s.arn,
        Name: s.name,
        SecretString: s.value,
        VersionId: s.versionId,
        VersionStages: ['AWSCURRENT'],
        CreatedDate: s.created / 1000,
      };
    },
    PutSecretValue({ SecretId, SecretString }) {
      const s = find(SecretId);
      if (!s) throw NOT_FOUND();
      s.value = SecretString;
      s.versionId = randomUUID();
      return { ARN: s.arn, Name: s.name, VersionId: s.versionId, VersionStages: ['AWSCURRENT'] };
    },
    CreateSecret({ Name, SecretString }) {
      if (secrets.has(Name))
        throw new ServiceError(
          'ResourceExistsException',
          `The operation failed because the secret ${Name} already exists.`,
        );
      const s: Secret = {
        arn: secretArn(Name, Name),
        name: Name,
        value: SecretString,
        versionId: randomUUID(),
        created: Date.now(),
      };
      secrets.set(Name, s);
      return { ARN: s.arn, Name: s.name, VersionId: s.versionId };
    },
    DescribeSecret({ SecretId }) {
      const s = find(SecretId);
      if (!s) throw NOT_FOUND();
      return { ARN: s.arn, Name: s.name, CreatedDate: s.created / 1000 };
    },
    DeleteSecret({ SecretId }) {
      const s = find(SecretId);
      if (!s) throw NOT_FOUND();
      secrets.delete(s.name);
      return { ARN: s.arn, Name: s.name, DeletionDate: Date.now() / 1000 };
    },
  };

  const server = await startJsonProtocolServer({
    targetPrefix: 'secretsmanager',
    contentType: 'application/x-amz-json-1.1',
    internalErrorType: 'InternalServiceError',
    principals,
    ops,
    authorize(op, input) {
      const id = input.SecretId ?? input.Name;
      return {
        action: `secretsmanager:${op}`,
        resource: op === 'CreateSecret' ? secretArn(id, id) : arnOf(id),
      };
    },
  });
  return {
    url: server.url,
    value: (id) => find(id)?.value,
    close: () => server.close(),
  };
}
