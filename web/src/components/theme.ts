export type ThemeChoice = 'system' | 'light' | 'dark';
export type ColorScheme = 'light' | 'dark';
const KEY = 'hishamos.theme';

export function storedTheme(): ThemeChoice {
  try {
    const v = localStorage.getItem(KEY);
    return v === 'light' || v === 'dark' ? v : 'system';
  } catch {
    return 'system';
  }
}

function systemQuery(): MediaQueryList | null {
  return typeof window.matchMedia === 'function'
    ? window.matchMedia('(prefers-color-scheme: dark)')
    : null;
}

/** The scheme a choice paints in: light/dark as chosen, `system` as the OS prefers. */
export function resolveScheme(choice: ThemeChoice): ColorScheme {
  if (choice !== 'system') return choice;
  return systemQuery()?.matches ? 'dark' : 'light';
}

let current: ThemeChoice = 'system';
let following = false;

/** While the choice is `system`, a change of the OS preference repaints at once. */
function followSystem(): void {
  if (following) return;
  const query = systemQuery();
  if (!query) return;
  following = true;
  query.addEventListener('change', () => {
    if (current === 'system')
      document.documentElement.setAttribute('data-scheme', resolveScheme('system'));
  });
}

/**
 * Sets <html data-scheme> (what the CSS reads: `light` or `dark`, always present) and
 * `data-theme` (the pinned choice, absent when following the system), and stores the choice.
 * main.tsx calls it before the first render.
 */
export function applyTheme(choice: ThemeChoice): void {
  const root = document.documentElement;
  current = choice;
  root.setAttribute('data-scheme', resolveScheme(choice));
  if (choice === 'system') root.removeAttribute('data-theme');
  else root.setAttribute('data-theme', choice);
  followSystem();
  try {
    if (choice === 'system') localStorage.removeItem(KEY);
    else localStorage.setItem(KEY, choice);
  } catch {
    // not persisted
  }
}
