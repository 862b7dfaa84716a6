/** `new URL` throws on input such as an out-of-range port; validation must answer, not throw. */
export function tryParseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}
