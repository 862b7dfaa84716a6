export function JsonView({ value, label }: { value: unknown; label?: string }) {
  let text: string;
  try {
    text = typeof value === 'string' ? value : JSON.stringify(value, null, 2);
  } catch {
    text = String(value);
  }
  return (
    <section className="code-region" aria-label={label}>
      {/* biome-ignore lint/a11y/noNoninteractiveTabindex: a scrollable block must be reachable by keyboard to scroll it (WCAG 2.1.1) */}
      <pre className="code-block" tabIndex={0}>
        {text}
      </pre>
    </section>
  );
}
