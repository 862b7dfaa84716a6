/**
 * 5-field cron (minute hour day-of-month month day-of-week) in an IANA time zone, and the firing
 * times it yields (ADR 121). Our own, small and exact about daylight saving time:
 * - a wall time that does not exist (spring forward) fires once, at the instant the clock jumps
 *   over it (02:30 in a 02:00→03:00 gap fires at 03:00 + 30 min on the old offset, i.e. 03:30);
 * - a wall time that happens twice (fall back) fires once, at its first occurrence, unless the hour
 *   field is `*` (an "every hour" schedule keeps firing every hour through both).
 * Day-of-month and day-of-week both restricted means either matches (classic cron).
 */

export interface CronSpec {
  minutes: number[];
  hours: number[];
  days: Set<number>;
  months: Set<number>;
  weekdays: Set<number>;
  /** Both day fields restricted: a day matches when either does. */
  dayOr: boolean;
  dayAny: boolean;
  weekdayAny: boolean;
  everyHour: boolean;
}

export class CronError extends Error {}

const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const DAYS = ['SUN', 'MON', 'TUE', 'WED', 'THU', 'FRI', 'SAT'];

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12, names: MONTHS, base: 1 },
  { name: 'day of week', min: 0, max: 7, names: DAYS, base: 0 },
] as const;

function parseValue(text: string, field: (typeof FIELDS)[number]): number {
  const named = 'names' in field ? field.names.indexOf(text.toUpperCase()) : -1;
  if (named >= 0 && 'base' in field) return named + field.base;
  if (!/^\d{1,2}$/.test(text)) throw new CronError(`${field.name}: "${text}" is not a number`);
  const n = Number(text);
  if (n < field.min || n > field.max)
    throw new CronError(`${field.name}: ${n} is outside ${field.min}-${field.max}`);
  return n;
}

function parseField(text: string, field: (typeof FIELDS)[number]): Set<number> {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const [range, stepText, extra] = part.split('/');
    if (extra !== undefined || range === '')
      throw new CronError(`${field.name}: "${part}" is not a value, range or step`);
    const step = stepText === undefined ? 1 : Number(stepText);
    if (!/^\d{1,2}$/.test(stepText ?? '1') || step < 1)
      throw new CronError(`${field.name}: step "${stepText}" must be a positive number`);
    let from: number;
    let to: number;
    if (range === '*') [from, to] = [field.min, field.max === 7 ? 6 : field.max];
    else if (range.includes('-')) {
      const [a, b] = range.split('-');
      [from, to] = [parseValue(a, field), parseValue(b, field)];
      if (from > to) throw new CronError(`${field.name}: range ${range} runs backwards`);
    } else {
      from = parseValue(range, field);
      to = stepText === undefined ? from : field.max;
    }
    for (let v = from; v <= to; v += step) out.add(field.max === 7 && v === 7 ? 0 : v);
  }
  return out;
}

/** Parses a 5-field expression; CronError names the field and the reason. */
export function parseCron(expression: string): CronSpec {
  const parts = expression.trim().split(/\s+/);
  if (parts.length !== 5)
    throw new CronError(
      `expected 5 fields (minute hour day-of-month month day-of-week), got ${parts.length}`,
    );
  const [minutes, hours, days, months, weekdays] = parts.map((p, i) => parseField(p, FIELDS[i]));
  const dayAny = parts[2].startsWith('*');
  const weekdayAny = parts[4].startsWith('*');
  return {
    minutes: [...minutes].sort((a, b) => a - b),
    hours: [...hours].sort((a, b) => a - b),
    days,
    months,
    weekdays,
    dayOr: !dayAny && !weekdayAny,
    dayAny,
    weekdayAny,
    everyHour: parts[1] === '*',
  };
}

/** Whether `zone` is an IANA time zone name this runtime knows (offsets like +02:00 are refused). */
export function isTimeZone(zone: string): boolean {
  if (!/^[A-Za-z][A-Za-z0-9_+-]*(\/[A-Za-z0-9_+-]+)*$/.test(zone)) return false;
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

const formatters = new Map<string, Intl.DateTimeFormat>();
/** The zone's offset from UTC at instant `ms`, in ms (local = utc + offset). */
function offsetAt(zone: string, ms: number): number {
  let f = formatters.get(zone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone: zone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      second: 'numeric',
    });
    formatters.set(zone, f);
  }
  const p = Object.fromEntries(f.formatToParts(ms).map((x) => [x.type, x.value]));
  const local = Date.UTC(+p.year, +p.month - 1, +p.day, +p.hour, +p.minute, +p.second);
  return local - (ms - (ms % 1000));
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** A schedule that finds no day in this many years never fires (e.g. 30 February). */
const HORIZON_DAYS = 366 * 8;

function dayMatches(spec: CronSpec, wallDay: number): boolean {
  const d = new Date(wallDay);
  if (!spec.months.has(d.getUTCMonth() + 1)) return false;
  const dom = spec.days.has(d.getUTCDate());
  const dow = spec.weekdays.has(d.getUTCDay());
  if (spec.dayOr) return dom || dow;
  return (spec.dayAny || dom) && (spec.weekdayAny || dow);
}

/** The UTC instants at which the wall time `wall` (ms, as if UTC) happens in `zone`, oldest first. */
function instantsOf(zone: string, wall: number): number[] {
  const before = offsetAt(zone, wall - DAY);
  const after = offsetAt(zone, wall + DAY);
  const found = [...new Set([wall - before, wall - after])]
    .filter((u) => offsetAt(zone, u) === wall - u)
    .sort((a, b) => a - b);
  // In a spring-forward gap nothing shows this wall time: fire when the old offset would have.
  return found.length ? found : [wall - before];
}

/** The first `count` firing instants strictly after `after`. */
export function nextFirings(spec: CronSpec, zone: string, after: Date, count = 1): Date[] {
  const out: number[] = [];
  const start = after.getTime();
  // Start a day early: the wall day of `after` may be behind its UTC day.
  const firstWallDay = Math.floor((start + offsetAt(zone, start)) / DAY) * DAY - DAY;
  for (let i = 0; i <= HORIZON_DAYS && out.length < count; i++) {
    const wallDay = firstWallDay + i * DAY;
    if (!dayMatches(spec, wallDay)) continue;
    const day = new Set<number>();
    // Most days have one offset throughout; only a transition day needs the per-time lookup.
    const steady = offsetAt(zone, wallDay - DAY);
    const simple = steady === offsetAt(zone, wallDay + 2 * DAY);
    for (const h of spec.hours)
      for (const m of spec.minutes) {
        const wall = wallDay + h * 3_600_000 + m * MINUTE;
        const instants = simple ? [wall - steady] : instantsOf(zone, wall);
        // A repeated wall time fires at its first occurrence only, unless every hour fires.
        for (const at of spec.everyHour ? instants : instants.slice(0, 1))
          if (at > start) day.add(at);
      }
    for (const at of [...day].sort((a, b) => a - b))
      if (out.length < count && (!out.length || at > out[out.length - 1])) out.push(at);
  }
  return out.map((ms) => new Date(ms));
}
