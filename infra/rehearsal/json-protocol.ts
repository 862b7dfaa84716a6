/**
 * The AWS JSON protocol as the stand-ins serve it (`X-Amz-Target: <prefix>.<Operation>`, a JSON
 * body, errors as `{ __type, message }` with 400): the operation is looked up, the caller's policy
 * checked, then the handler runs. Secrets Manager and Step Functions differ only in these options.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { AccessDenied, accessKeyOfRequest, type Principals } from './iam';

/** A service's own error (its `__type` as the SDK names the exception). */
export class ServiceError extends Error {
  constructor(
    readonly type: string,
    message: string,
  ) {
    super(message);
  }
}

export type JsonInput = Record<string, string>;

export interface JsonProtocolOptions {
  /** `secretsmanager`, `AWSStepFunctions`. */
  readonly targetPrefix: string;
  /** `application/x-amz-json-1.1` or `-1.0`. */
  readonly contentType: string;
  /** The `__type` of an unexpected error (each service names its own). */
  readonly internalErrorType: string;
  readonly principals: Principals;
  readonly ops: Record<string, (input: JsonInput) => unknown>;
  /** The IAM action and resource an operation needs. */
  authorize(op: string, input: JsonInput): { action: string; resource: string };
}

export interface JsonProtocolServer {
  readonly url: string;
  close(): Promise<void>;
}

export async function startJsonProtocolServer(o: JsonProtocolOptions): Promise<JsonProtocolServer> {
  const target = new RegExp(`^${o.targetPrefix}\\.`);
  const server = createServer((req, res) => {
    void (async () => {
      const chunks: Buffer[] = [];
      for await (const c of req) chunks.push(c as Buffer);
      const op = String(req.headers['x-amz-target'] ?? '').replace(target, '');
      let status = 200;
      let payload: unknown;
      try {
        const input = JSON.parse(Buffer.concat(chunks).toString('utf8') || '{}') as JsonInput;
        const handler = o.ops[op];
        if (!handler)
          throw new ServiceError('UnknownOperationException', `${op} is not supported here`);
        o.principals.check(accessKeyOfRequest(req.headers, req.url ?? '/'), o.authorize(op, input));
        payload = handler(input);
      } catch (e) {
        status = 400;
        const type =
          e instanceof AccessDenied
            ? 'AccessDeniedException'
            : e instanceof ServiceError
              ? e.type
              : o.internalErrorType;
        payload = { __type: type, message: e instanceof Error ? e.message : String(e) };
      }
      res.writeHead(status, { 'content-type': o.contentType });
      res.end(JSON.stringify(payload));
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
