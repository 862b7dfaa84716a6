/** Next-fire computation for 5-field cron in IANA time zones, across daylight saving changes (ADR 121). */
import { CronError, isTimeZone, nextFirings, parseCron } from '../../../shared/schedules/cron';

const next = (cron: string, zone: string, after: string, count = 1) =>
  nextFirings(parseCron(cron), zone, new Date(after), count).map((d) => d.toISOString());

describe('parsing', () => {
  it.each([
    ['61 * * * *', 'minute: 61 is outside 0-59'],
    ['* 24 * * *', 'hour: 24 is outside 0-23'],
    ['* * 0 * *', 'day of month: 0 is outside 1-31'],
    ['* * * 13 *', 'month: 13 is outside 1-12'],
    ['* * * * 8', 'day of week: 8 is outside 0-7'],
    ['5-1 * * * *', 'minute: range 5-1 runs backwards'],
    ['*/0 * * * *', 'minute: step "0" must be a positive number'],
    ['x * * * *', 'minute: "x" is not a number'],
    ['0 9 * *', 'expected 5 fields'],
    ['0 0 9 * * *', 'expected 5 fields'],
    ['@daily', 'expected 5 fields'],
  ])('refuses %s with the field and the reason', (cron, message) => {
    expect(() => parseCron(cron)).toThrow(CronError);
    expect(() => parseCron(cron)).toThrow(message);
  });

  it('reads lists, ranges, steps and names; 7 is Sunday', () => {
    const spec = parseCron('0,30 9-17/4 * JAN-MAR mon-fri');
    expect(spec.minutes).toEqual([0, 30]);
    expect(spec.hours).toEqual([9, 13, 17]);
    expect([...spec.months]).toEqual([1, 2, 3]);
    expect([...spec.weekdays]).toEqual([1, 2, 3, 4, 5]);
    expect([...parseCron('0 0 * * 7').weekdays]).toEqual([0]);
    expect(parseCron('5/20 * * * *').minutes).toEqual([5, 25, 45]);
  });
});

describe('time zones', () => {
  it('accepts IANA names and refuses others', () => {
    expect(
      ['UTC', 'Europe/Berlin', 'America/Argentina/Buenos_Aires', 'Etc/GMT+5'].map(isTimeZone),
    ).toEqual([true, true, true, true]);
    expect(['Mars/Olympus', '+02:00', '', 'Europe/Berlin; DROP'].map(isTimeZone)).toEqual([
      false,
      false,
      false,
      false,
    ]);
  });
});

describe('next firings', () => {
  it('are strictly after the given instant, in the zone', () => {
    expect(next('0 9 * * *', 'Europe/Berlin', '2026-12-01T08:00:00Z', 2)).toEqual([
      '2026-12-02T08:00:00.000Z',
      '2026-12-03T08:00:00.000Z',
    ]);
    expect(next('15 10 * * *', 'Asia/Kolkata', '2026-01-01T00:00:00Z')).toEqual([
      '2026-01-01T04:45:00.000Z',
    ]);
  });

  it('follow daylight saving time: 09:00 New York is 13:00Z in summer, 14:00Z in winter', () => {
    expect(next('0 9 * * 1-5', 'America/New_York', '2026-10-30T00:00:00Z', 3)).toEqual([
      '2026-10-30T13:00:00.000Z',
      '2026-11-02T14:00:00.000Z',
      '2026-11-03T14:00:00.000Z',
    ]);
  });

  it('fire a wall time skipped by spring forward once, when the clock jumps over it', () => {
    // Berlin 29 March 2026: 02:00 CET becomes 03:00 CEST; 02:30 does not exist.
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-03-27T12:00:00Z', 3)).toEqual([
      '2026-03-28T01:30:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-30T00:30:00.000Z',
    ]);
    // Every 30 minutes through the gap: no duplicate at 03:00/03:30 CEST.
    expect(next('*/30 * * * *', 'Europe/Berlin', '2026-03-29T00:00:00Z', 4)).toEqual([
      '2026-03-29T00:30:00.000Z',
      '2026-03-29T01:00:00.000Z',
      '2026-03-29T01:30:00.000Z',
      '2026-03-29T02:00:00.000Z',
    ]);
  });

  it('fire a wall time repeated by fall back once, but keep hourly schedules hourly', () => {
    // Berlin 25 October 2026: 03:00 CEST becomes 02:00 CET; 02:30 happens twice.
    expect(next('30 2 * * *', 'Europe/Berlin', '2026-10-23T12:00:00Z', 3)).toEqual([
      '2026-10-24T00:30:00.000Z',
      '2026-10-25T00:30:00.000Z',
      '2026-10-26T01:30:00.000Z',
    ]);
    expect(next('*/30 * * * *', 'Europe/Berlin', '2026-10-25T00:00:00Z', 4)).toEqual([
      '2026-10-25T00:30:00.000Z',
      '2026-10-25T01:00:00.000Z',
      '2026-10-25T01:30:00.000Z',
      '2026-10-25T02:00:00.000Z',
    ]);
  });

  it('match either day field when both are restricted (classic cron)', () => {
    // 1 February 2026 is a Sunday; Mondays and the 1st both fire.
    expect(next('0 0 1 * 1', 'UTC', '2026-01-26T12:00:00Z', 3)).toEqual([
      '2026-02-01T00:00:00.000Z',
      '2026-02-02T00:00:00.000Z',
      '2026-02-09T00:00:00.000Z',
    ]);
  });

  it('find rare days and report none for days that never come', () => {
    expect(next('0 0 29 2 *', 'UTC', '2026-01-01T00:00:00Z')).toEqual(['2028-02-29T00:00:00.000Z']);
    expect(next('0 0 30 2 *', 'UTC', '2026-01-01T00:00:00Z')).toEqual([]);
  });
});
