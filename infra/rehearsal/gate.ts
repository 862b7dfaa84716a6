/**
 * An IAM gate in front of a local engine (S3, DynamoDB, the Data API): it reads the caller's access
 * key from the SigV4 credential, works out the IAM action and resource ARN of the call, asks
 * `Principals.check`, and only then forwards the request unchanged (headers included, so the S3
 * engine still verifies the signature). A refusal answers in the service's own error shape.
 */
import { createServer, request, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ACCOUNT, PARTITION, REGION } from './template';
import { AccessDenied, accessKeyOfRequest, type IamRequest, type Principals } from './iam';

export type Service = 's3' | 'dynamodb' | 'rds-data';

export interface Gate {
  readonly url: string;
  close(): Promise<void>;
}

interface Call {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingMessage['headers'];
  readonly body: Buffer;
}

const readAll = async (req: IncomingMessage): Promise<Buffer> => {
  const chunks: Buffer[] = [];
  for await (const c of req) chunks.push(c as Buffer);
  return Buffer.concat(chunks);
};

export async function startGate(
  service: Service,
  upstream: string,
  principals: Principals,
): Promise<Gate> {
  const target = new URL(upstream);
  const server: Server = createServer((req, res) => {
    void (async () => {
      const body = await readAll(req);
      const call: Call = {
        method: req.method ?? 'GET',
        url: req.url ?? '/',
        headers: req.headers,
        body,
      };
      try {
        principals.check(accessKeyOfRequest(req.headers, call.url), ...AUTHORIZE[service](call));
      } catch (e) {
        const message = e instanceof Error ? e.message : String(e);
        if (!(e instanceof AccessDenied)) {
          res.writeHead(400, { 'content-type': 'application/json' });
          res.end(JSON.stringify({ message }));
          return;
        }
        const [status, type, text] = deniedResponse(service, message);
        res.writeHead(status, type);
        res.end(text);
        return;
      }
      const out = request(
        {
          host: target.hostname,
          port: target.port,
          method: call.method,
          path: call.url,
          headers: req.headers,
        },
        (up) => {
          res.writeHead(up.statusCode ?? 502, up.headers);
          up.pipe(res);
        },
      );
      out.on('error', (e) => {
        res.writeHead(502);
        res.end(String(e));
      });
      out.end(body);
    })();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    close: () =>
      new Promise((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

function deniedResponse(
  service: Service,
  message: string,
): [number, Record<string, string>, string] {
  switch (service) {
    case 's3':
      return [
        403,
        { 'content-type': 'application/xml' },
        `<?xml version="1.0" encoding="UTF-8"?><Error><Code>AccessDenied</Code><Message>${message}</Message></Error>`,
      ];
    case 'dynamodb':
      return [
        400,
        { 'content-type': 'application/x-amz-json-1.0' },
        JSON.stringify({ __type: 'com.amazon.coral.service#AccessDeniedException', message }),
      ];
    case 'rds-data':
      return [
        403,
        { 'content-type': 'application/json', 'x-amzn-errortype': 'AccessDeniedException' },
        JSON.stringify({ message }),
      ];
  }
}

const tableArn = (name: string) => `arn:${PARTITION}:dynamodb:${REGION}:${ACCOUNT}:table/${name}`;

const AUTHORIZE: Record<Service, (call: Call) => IamRequest[]> = {
  s3: ({ method, url }) => {
    const u = new URL(url, 'http://x');
    const [, bucket, ...rest] = u.pathname.split('/');
    const key = decodeURIComponent(rest.join('/'));
    const bucketArn = `arn:${PARTITION}:s3:::${bucket}`;
    if (
      !key ||
      u.searchParams.has('list-type') ||
      (method === 'POST' && u.searchParams.has('delete'))
    )
      return [
        { action: method === 'POST' ? 's3:DeleteObject' : 's3:ListBucket', resource: bucketArn },
      ];
    const resource = `${bucketArn}/${key}`;
    if (u.searchParams.has('retention')) return [{ action: 's3:PutObjectRetention', resource }];
    const action =
      method === 'PUT' ? 's3:PutObject' : method === 'DELETE' ? 's3:DeleteObject' : 's3:GetObject';
    return [{ action, resource }];
  },
  dynamodb: ({ headers, body }) => {
    const op = String(headers['x-amz-target'] ?? '').split('.')[1] ?? '';
    const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    // Transactions are authorized per item, with the item's own action (as DynamoDB does).
    if (op === 'TransactWriteItems' || op === 'TransactGetItems') {
      const items = (input.TransactItems ?? []) as Array<Record<string, { TableName: string }>>;
      const actions: Record<string, string> = {
        Put: 'PutItem',
        Update: 'UpdateItem',
        Delete: 'DeleteItem',
        ConditionCheck: 'ConditionCheckItem',
        Get: 'GetItem',
      };
      return items.flatMap((item) =>
        Object.entries(item).map(([kind, v]) => ({
          action: `dynamodb:${actions[kind] ?? kind}`,
          resource: tableArn(v.TableName),
        })),
      );
    }
    const tables = input.RequestItems
      ? Object.keys(input.RequestItems as object)
      : [String(input.TableName ?? '')];
    return tables.map((t) => ({
      action: `dynamodb:${op}`,
      resource: input.IndexName ? `${tableArn(t)}/index/${input.IndexName}` : tableArn(t),
    }));
  },
  'rds-data': ({ url, body }) => {
    const op = {
      '/Execute': 'ExecuteStatement',
      '/BatchExecute': 'BatchExecuteStatement',
      '/BeginTransaction': 'BeginTransaction',
      '/CommitTransaction': 'CommitTransaction',
      '/RollbackTransaction': 'RollbackTransaction',
    }[url.split('?')[0]];
    const input = JSON.parse(body.toString('utf8') || '{}') as Record<string, unknown>;
    // The Data API reads the database secret with the caller's own credentials.
    return [
      { action: `rds-data:${op ?? url}`, resource: String(input.resourceArn) },
      { action: 'secretsmanager:GetSecretValue', resource: String(input.secretArn) },
    ];
  },
};
