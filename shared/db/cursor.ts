/**
 * Keyset cursors for lists ordered by (time, id), newest first. A cursor the list did not hand
 * out is a 400 naming `query.cursor`, never ignored and never a database error.
 */
import { ValidationError } from '../errors';

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

export function encodeCursor(at: Date, id: string): string {
  return Buffer.from(`${at.toISOString()}|${id}`).toString('base64url');
}

export function decodeCursor(cursor: string): { at: Date; id: string } {
  const [at, id, extra] = Buffer.from(cursor, 'base64url').toString().split('|');
  const d = new Date(at ?? '');
  if (extra !== undefined || !validTime(d) || !UUID.test(id ?? '')) throw invalidCursor();
  return { at: d, id };
}

/** An ISO timestamp cursor (lists ordered by creation time only). */
export function decodeTimeCursor(cursor: string): Date {
  const d = new Date(cursor);
  if (!validTime(d)) throw invalidCursor();
  return d;
}

/** Postgres timestamps span 4713 BC to 294276 AD; JavaScript dates reach further. */
function validTime(d: Date): boolean {
  const t = d.getTime();
  return !Number.isNaN(t) && d.getUTCFullYear() >= 1 && d.getUTCFullYear() <= 9999;
}

export function invalidCursor(): ValidationError {
  return new ValidationError('invalid cursor', [
    { path: 'query.cursor', message: 'not a cursor this list returned' },
  ]);
}
