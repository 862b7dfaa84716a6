/**
 * A batch's inputs from a file or pasted text: a `.json` array of objects, or JSON Lines (one
 * object per line). Read in the browser so the dialog can show the count before anything is sent.
 */
export type ParsedInputs =
  | { ok: true; inputs: Record<string, unknown>[] }
  | { ok: false; error: string };

function isObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** `.json` (or text starting with `[`) is an array; anything else is JSON Lines. */
export function parseBatchInputs(text: string, filename?: string): ParsedInputs {
  const trimmed = text.trim();
  if (!trimmed) return { ok: false, error: 'No inputs: the file or text is empty.' };
  const asArray = filename ? /\.json$/i.test(filename) : trimmed.startsWith('[');
  return asArray ? parseArray(trimmed) : parseLines(text);
}

function parseArray(text: string): ParsedInputs {
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return { ok: false, error: `Not valid JSON: ${err instanceof Error ? err.message : err}` };
  }
  if (!Array.isArray(value)) return { ok: false, error: 'A .json file must hold an array.' };
  const bad = value.findIndex((v) => !isObject(v));
  if (bad >= 0) return { ok: false, error: `inputs[${bad}] is not a JSON object.` };
  if (value.length === 0) return { ok: false, error: 'No inputs: the array is empty.' };
  return { ok: true, inputs: value };
}

function parseLines(text: string): ParsedInputs {
  const lines = text.replace(/\r\n/g, '\n').replace(/\n+$/, '').split('\n');
  const inputs: Record<string, unknown>[] = [];
  for (const [i, line] of lines.entries()) {
    // The API refuses blank lines too (ADR 160); naming the line here saves a round trip.
    if (!line.trim()) return { ok: false, error: `Line ${i + 1} is blank.` };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch {
      return { ok: false, error: `Line ${i + 1} is not valid JSON.` };
    }
    if (!isObject(value)) return { ok: false, error: `Line ${i + 1} is not a JSON object.` };
    inputs.push(value);
  }
  return { ok: true, inputs };
}
