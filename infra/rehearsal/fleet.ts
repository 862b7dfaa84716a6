/**
 * Runs the template's functions as Lambda does: each instance a child Node process (fork of
 * lambda-runtime.mjs) with ONLY the template's environment plus what Lambda itself sets (region,
 * credentials naming the function, handler, task root) and the stand-ins' endpoints. One invocation
 * per instance at a time; a busy function gets another instance; a timeout kills the instance.
 */
import { type ChildProcess, fork } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Principals } from './iam';
import { type LambdaFunction, REGION } from './template';

const RUNTIME = path.join(path.dirname(fileURLToPath(import.meta.url)), 'lambda-runtime.mjs');

/** A function error as Lambda reports it (`X-Amz-Function-Error`: Unhandled). */
export class FunctionError extends Error {
  constructor(
    readonly functionName: string,
    readonly errorType: string,
    readonly errorMessage: string,
    readonly trace: string[] = [],
  ) {
    super(`${functionName}: ${errorType}: ${errorMessage}`);
    this.name = errorType;
  }
}

/** Where a streaming invocation's metadata (status, headers) and body chunks go. */
export interface StreamSink {
  metadata(m: { statusCode: number; headers: Record<string, string> }): void;
  chunk(b: Buffer): void;
}

interface Instance {
  readonly child: ChildProcess;
  readonly sinks: Map<string, StreamSink>;
  busy: boolean;
  readonly ready: Promise<void>;
  readonly pending: Map<string, (msg: Reply) => void>;
}

type StreamMessage =
  | { id: string; chunk: string }
  | { id: string; metadata: { statusCode: number; headers: Record<string, string> } };

type Reply =
  | { id: string; ok: true; result: unknown }
  | { id: string; ok: false; error: { errorType: string; errorMessage: string; trace: string[] } };

export interface FleetOptions {
  /** `AWS_ENDPOINT_URL_<SERVICE>` variables pointing the SDKs at the stand-ins. */
  readonly endpoints: Record<string, string>;
  readonly principals: Principals;
  /** Where each instance's stdout/stderr go (the function's log). @default inherited */
  readonly log?: (fn: string, line: string) => void;
}

export interface InvocationRecord {
  readonly function: string;
  readonly ms: number;
  readonly ok: boolean;
  readonly errorType?: string;
}

export class Fleet {
  private readonly byName = new Map<string, LambdaFunction>();
  private readonly instances = new Map<string, Instance[]>();
  readonly invocations: InvocationRecord[] = [];

  constructor(
    functions: readonly LambdaFunction[],
    private readonly options: FleetOptions,
  ) {
    for (const fn of functions) {
      this.byName.set(fn.name, fn);
      options.principals.add(fn.name, fn.statements);
    }
  }

  /** Deploys another definition of a function (new code or configuration): old instances retire. */
  async replace(fn: LambdaFunction): Promise<void> {
    this.byName.set(fn.name, fn);
    this.options.principals.add(fn.name, fn.statements);
    const old = this.instances.get(fn.name) ?? [];
    this.instances.set(fn.name, []);
    for (const i of old) i.child.kill('SIGTERM');
  }

  get(name: string): LambdaFunction {
    const fn = this.byName.get(name);
    if (!fn) throw new Error(`the template has no function ${name}`);
    return fn;
  }

  byArn(arn: string): LambdaFunction | undefined {
    const bare = arn.replace(/:(\d+|\$LATEST)$/, '');
    return [...this.byName.values()].find((f) => f.arn === bare);
  }

  /** What a process sees in `process.env`: the template's variables and Lambda's own. */
  environmentOf(fn: LambdaFunction): Record<string, string> {
    return {
      ...fn.environment,
      ...this.options.endpoints,
      AWS_REGION: REGION,
      AWS_DEFAULT_REGION: REGION,
      AWS_ACCESS_KEY_ID: Principals.accessKeyOf(fn.name),
      AWS_SECRET_ACCESS_KEY: Principals.SECRET_KEY,
      AWS_SESSION_TOKEN: `rehearsal-session-${fn.name}`,
      AWS_LAMBDA_FUNCTION_NAME: fn.physicalName,
      AWS_LAMBDA_FUNCTION_VERSION: '$LATEST',
      AWS_LAMBDA_FUNCTION_MEMORY_SIZE: String(fn.memoryMb),
      AWS_EXECUTION_ENV: 'AWS_Lambda_nodejs22.x',
      LAMBDA_TASK_ROOT: fn.codeDir,
      _HANDLER: fn.handler,
      TZ: ':UTC',
      NODE_PATH: '',
      PATH: '/usr/local/bin:/usr/bin:/bin',
    };
  }

  private spawn(fn: LambdaFunction): Instance {
    const child = fork(RUNTIME, [], {
      cwd: fn.codeDir,
      env: this.environmentOf(fn),
      execArgv: [],
      stdio: ['ignore', 'pipe', 'pipe', 'ipc'],
    });
    const pending = new Map<string, (msg: Reply) => void>();
    const sinks = new Map<string, StreamSink>();
    const log = this.options.log;
    for (const stream of [child.stdout, child.stderr])
      stream?.on('data', (d: Buffer) => {
        if (!log) {
          process.stderr.write(d);
          return;
        }
        for (const line of d.toString('utf8').split('\n')) if (line) log(fn.name, line);
      });
    const ready = new Promise<void>((resolve, reject) => {
      child.once('error', reject);
      child.on('message', (msg: Reply | { ready: true } | StreamMessage) => {
        if ('ready' in msg) return resolve();
        if ('chunk' in msg) return sinks.get(msg.id)?.chunk(Buffer.from(msg.chunk, 'base64'));
        if ('metadata' in msg) return sinks.get(msg.id)?.metadata(msg.metadata);
        pending.get(msg.id)?.(msg);
        pending.delete(msg.id);
      });
    });
    const instance: Instance = { child, busy: false, ready, pending, sinks };
    child.on('exit', (code, signal) => {
      const list = this.instances.get(fn.name) ?? [];
      this.instances.set(
        fn.name,
        list.filter((i) => i !== instance),
      );
      for (const [id, reply] of pending)
        reply({
          id,
          ok: false,
          error: {
            errorType: 'Runtime.ExitError',
            errorMessage: `RequestId: ${id} Error: Runtime exited with ${signal ?? `error: exit status ${code}`}`,
            trace: [],
          },
        });
    });
    this.instances.set(fn.name, [...(this.instances.get(fn.name) ?? []), instance]);
    return instance;
  }

  /** Invokes a function synchronously (RequestResponse); a function error rejects with FunctionError. */
  async invoke(name: string, event: unknown, sink?: StreamSink): Promise<unknown> {
    const fn = this.get(name);
    const instance = (this.instances.get(name) ?? []).find((i) => !i.busy) ?? this.spawn(fn);
    instance.busy = true;
    const started = Date.now();
    const id = randomUUID();
    try {
      await instance.ready;
      const deadline = Date.now() + fn.timeoutSeconds * 1000;
      const reply = await new Promise<Reply>((resolve) => {
        instance.pending.set(id, resolve);
        const timer = setTimeout(() => {
          instance.pending.delete(id);
          instance.child.kill('SIGKILL');
          resolve({
            id,
            ok: false,
            error: {
              errorType: 'Sandbox.Timedout',
              errorMessage: `RequestId: ${id} Error: Task timed out after ${fn.timeoutSeconds}.00 seconds`,
              trace: [],
            },
          });
        }, fn.timeoutSeconds * 1000);
        timer.unref();
        instance.pending.set(id, (msg) => {
          clearTimeout(timer);
          resolve(msg);
        });
        if (sink) instance.sinks.set(id, sink);
        instance.child.send({ id, event, requestId: id, deadline, arn: fn.arn, stream: !!sink });
      });
      this.invocations.push({
        function: name,
        ms: Date.now() - started,
        ok: reply.ok,
        errorType: reply.ok ? undefined : reply.error.errorType,
      });
      if (!reply.ok)
        throw new FunctionError(
          name,
          reply.error.errorType,
          reply.error.errorMessage,
          reply.error.trace,
        );
      return reply.result;
    } finally {
      instance.sinks.delete(id);
      instance.busy = false;
    }
  }

  async close(): Promise<void> {
    const all = [...this.instances.values()].flat();
    await Promise.all(
      all.map(
        (i) =>
          new Promise<void>((resolve) => {
            if (i.child.exitCode !== null || i.child.signalCode !== null) return resolve();
            i.child.once('exit', () => resolve());
            i.child.kill('SIGTERM');
          }),
      ),
    );
    this.instances.clear();
  }
}
