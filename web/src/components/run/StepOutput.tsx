import { JsonView } from '../JsonView';
import { Markdown } from '../Markdown';

/** Text output renders as markdown; structured output as JSON. */
export function StepOutput({ output }: { output: unknown }) {
  if (output === undefined || output === null || output === '')
    return <p className="muted">No output yet.</p>;
  if (typeof output === 'string') return <Markdown text={output} />;
  const text = (output as { text?: unknown }).text;
  if (typeof text === 'string' && Object.keys(output as object).length === 1)
    return <Markdown text={text} />;
  return <JsonView value={output} label="Step output" />;
}
