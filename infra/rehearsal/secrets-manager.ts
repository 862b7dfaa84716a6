/**
 * A Secrets Manager stand-in speaking the JSON 1.1 protocol the SDK uses (`X-Amz-Target:
 * secretsmanager.<Operation>`): CreateSecret, GetSecretValue, PutSecretValue, DescribeSecret,
 * DeleteSecret. Every call is checked against the caller's policy first. Seeded with the template's
 * secrets, generated the way `GenerateSecretString` describes.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessDenied, accessKeyOfRequest, type Principals } from './iam';
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

class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
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

  const ops: Record<string, (input: Record<string, string>) => unknown> = {
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

  const server: Server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const op = String(req.headers['x-amz-target'] ?? '').replace(/^secretsmanager\./, '');
      let status = 200;
      let payload: unknown;
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as Record<
          string,
          string
        >;
        const handler = ops[op];
        if (!handler)
          throw new ServiceError('UnknownOperationException', `${op} is not supported here`);
        const id = input.SecretId ?? input.Name;
        principals.check(accessKeyOfRequest(req.headers, req.url ?? '/'), {
          action: `secretsmanager:${op}`,
          resource: op === 'CreateSecret' ? secretArn(id, id) : arnOf(id),
        });
        payload = handler(input);
      } catch (e) {
        status = 400;
        const type =
          e instanceof AccessDenied
            ? 'AccessDeniedException'
            : e instanceof ServiceError
              ? e.type
              : 'InternalServiceError';
        payload = { __type: type, message: e instanceof Error ? e.message : String(e) };
      }
      res.writeHead(status, { 'content-type': 'application/x-amz-json-1.1' });
      res.end(JSON.stringify(payload));
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    value: (id) => find(id)?.value,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}
