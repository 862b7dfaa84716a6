import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { functions, type FunctionName, type FunctionSpec } from '../manifest';
import { lambdaContext } from './lambda-context';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;
const loaded = new Map<string, Promise<Handler>>();

/** The very handler module Lambda runs, imported from the manifest entry. */
export function invoke(root: string, name: FunctionName, event: unknown): Promise<unknown> {
  const spec = functions[name] as FunctionSpec;
  let handler = loaded.get(name);
  if (!handler) {
    handler = import(pathToFileURL(join(root, spec.entry)).href).then((m) => m.handler as Handler);
    loaded.set(name, handler);
  }
  const timeout = spec.timeoutSeconds ?? (spec.kind === 'http' ? 29 : 120);
  return handler.then((h) => h(event, lambdaContext(name, timeout)));
}
