import { join } from 'node:path';
import type { Writable } from 'node:stream';
import { pathToFileURL } from 'node:url';
import { isStreamingHandler } from '../../shared/http/lambda-streaming';
import { functions, type FunctionName, type FunctionSpec } from '../manifest';
import { lambdaContext } from './lambda-context';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const loaded = new Map<string, Promise<unknown>>();

function load(root: string, name: FunctionName): Promise<unknown> {
  const spec = functions[name] as FunctionSpec;
  let handler = loaded.get(name);
  if (!handler) {
    handler = import(pathToFileURL(join(root, spec.entry)).href).then((m) => m.handler);
    loaded.set(name, handler);
  }
  return handler;
}

function timeoutOf(spec: FunctionSpec): number {
  return spec.timeoutSeconds ?? (spec.kind === 'task' ? 120 : 29);
}

/** The very handler module Lambda runs, imported from the manifest entry. */
export async function invoke(root: string, name: FunctionName, event: unknown): Promise<unknown> {
  const spec = functions[name] as FunctionSpec;
  const h = (await load(root, name)) as Handler;
  return h(event, lambdaContext(name, timeoutOf(spec)));
}

/** A streaming handler (`awslambda.streamifyResponse`), given a response stream as Lambda does. */
export async function invokeStream(
  root: string,
  name: FunctionName,
  event: unknown,
  responseStream: Writable,
): Promise<void> {
  const spec = functions[name] as FunctionSpec;
  const h = await load(root, name);
  if (!isStreamingHandler(h)) throw new Error(`${name} is not a streaming handler`);
  await h(event, responseStream, lambdaContext(name, timeoutOf(spec)));
}
