// The Lambda runtime of the deploy rehearsal: one process per function instance, forked with ONLY
// the template's environment. It imports the function's built bundle (the handler string's module
// in LAMBDA_TASK_ROOT, as Lambda's Node runtime does) and runs one invocation at a time.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';

// Response streaming as the Node runtime provides it, before the module loads (it reads the
// global at import): a marked handler gets a stream whose metadata and chunks go to the caller.
const STREAMING = Symbol.for('rehearsal.streamingHandler');
globalThis.awslambda = {
  streamifyResponse: (handler) => Object.assign(handler, { [STREAMING]: true }),
  HttpResponseStream: {
    from(stream, metadata) {
      stream.sendMetadata(metadata);
      return stream;
    },
  },
};

function responseStream(id) {
  const stream = new Writable({
    write(chunk, _encoding, done) {
      process.send({ id, chunk: Buffer.from(chunk).toString('base64') }, done);
    },
  });
  stream.sendMetadata = (metadata) => process.send({ id, metadata });
  return stream;
}

const root = process.env.LAMBDA_TASK_ROOT ?? '.';
const handlerString = process.env._HANDLER ?? 'index.handler';
const dot = handlerString.lastIndexOf('.');
const moduleName = handlerString.slice(0, dot);
const exportName = handlerString.slice(dot + 1);

const loaded = (async () => {
  const file = ['.mjs', '.js', '.cjs']
    .map((ext) => path.join(root, moduleName + ext))
    .find((f) => existsSync(f));
  if (!file) {
    const e = new Error(`Cannot find module '${moduleName}'`);
    e.name = 'Runtime.ImportModuleError';
    throw e;
  }
  const mod = await import(pathToFileURL(file).href);
  if (typeof mod[exportName] !== 'function') {
    const e = new Error(`${handlerString} is undefined or not exported`);
    e.name = 'Runtime.HandlerNotFound';
    throw e;
  }
  return mod[exportName];
})();
loaded.catch(() => undefined);

const asError = (e) => ({
  errorType: e?.name ?? 'Error',
  errorMessage: e?.message ?? String(e),
  trace: String(e?.stack ?? '').split('\n'),
});

process.on('message', async ({ id, event, requestId, deadline, arn, stream }) => {
  const context = {
    functionName: process.env.AWS_LAMBDA_FUNCTION_NAME,
    functionVersion: '$LATEST',
    invokedFunctionArn: arn,
    memoryLimitInMB: process.env.AWS_LAMBDA_FUNCTION_MEMORY_SIZE,
    awsRequestId: requestId,
    logGroupName: `/aws/lambda/${process.env.AWS_LAMBDA_FUNCTION_NAME}`,
    logStreamName: 'rehearsal',
    callbackWaitsForEmptyEventLoop: true,
    getRemainingTimeInMillis: () => Math.max(0, deadline - Date.now()),
  };
  try {
    const handler = await loaded;
    if (handler[STREAMING]) {
      if (!stream) throw new Error('a streaming handler must be invoked with response streaming');
      const out = responseStream(id);
      await handler(event, out, context);
      if (!out.writableEnded) out.end();
      // Every buffered chunk reaches the caller before the invocation completes.
      if (!out.writableFinished) await new Promise((resolve) => out.once('finish', resolve));
      process.send({ id, ok: true, result: null });
      return;
    }
    const result = await handler(event, context);
    // Lambda answers with the JSON serialization of the result.
    process.send({
      id,
      ok: true,
      result: result === undefined ? null : JSON.parse(JSON.stringify(result)),
    });
  } catch (e) {
    process.send({ id, ok: false, error: asError(e) });
  }
});
process.send({ ready: true });
