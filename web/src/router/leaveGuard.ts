/**
 * A guard against leaving a page with unsaved work: while a message is set, a navigation the user
 * starts (a link, the back button, a typed hash) asks first, and a refused one puts the hash back.
 * Navigations the app makes itself (`navigate`, e.g. after a save) are not asked about.
 */
let message: string | null = null;
let programmatic = false;

export function setLeaveMessage(next: string | null): void {
  message = next;
}

/** Called by `navigate` just before it changes the hash. */
export function markProgrammatic(): void {
  programmatic = true;
}

/**
 * Whether a hash change from `previous` to the current hash may stand; when refused the hash is
 * already restored (without a new hashchange), so listeners should ignore this change.
 */
export function allowHashChange(previous: string | null): boolean {
  const now = window.location.hash;
  if (previous === null || now === previous) return true;
  if (programmatic) {
    programmatic = false;
    return true;
  }
  if (message === null || window.confirm(message)) return true;
  window.history.replaceState(window.history.state, '', previous || '#/');
  return false;
}
