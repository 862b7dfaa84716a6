/**
 * The partial-output writer (ADR 142) on a fake clock: at most one flush per PARTIAL_FLUSH_MS and
 * never two writes in flight, contiguous offsets, the cap, the rest on answer, the discard on failure.
 */
import { afterEach, beforeEach, expect, jest, test } from '@jest/globals';
import type { StepEvent } from '../../../shared/llm/step-call';
import type { Platform } from '../../../shared/platform/platform';
import type { RunEventInput } from '../../../shared/runs/events';
import { PARTIAL_FLUSH_MS, partialOutputSink } from '../../../shared/runs/engine/partial-output';

const IDS = { tenantId: 't', runId: 'r', stepId: 's', nodeId: 'writer' };
const warnings: string[] = [];
const platform = {
  now: () => Date.now(),
  log: { warn: (m: string) => warnings.push(m), info() {}, debug() {}, error() {} },
} as unknown as Platform;

interface Written {
  at: number;
  event: RunEventInput;
}

/** A store whose writes take `writeMs` of fake time each. */
function store(writeMs = 20, fail = false) {
  const written: Written[] = [];
  let inFlight = 0;
  let maxInFlight = 0;
  const write = async (event: RunEventInput) => {
    inFlight++;
    maxInFlight = Math.max(maxInFlight, inFlight);
    const at = Date.now();
    await new Promise((r) => setTimeout(r, writeMs));
    inFlight--;
    if (fail) throw new Error('database away');
    written.push({ at, event });
  };
  return { written, write, maxInFlight: () => maxInFlight };
}

const textOf = (events: Array<{ data?: Record<string, unknown> }>) =>
  events.map((e) => e.data?.text as string).join('');

beforeEach(() => {
  jest.useFakeTimers({ now: 1_000_000 });
  warnings.length = 0;
});
afterEach(() => {
  jest.useRealTimers();
});

test('flushes at most every 500 ms, one write at a time, and the rest comes back on answer', async () => {
  // Prepare: a model writing a 5-character piece every 50 ms for 3 s.
  const s = store();
  const sink = partialOutputSink(platform, IDS, 1, { write: s.write });
  let full = '';

  // Act
  for (let i = 0; i < 60; i++) {
    const piece = `p${String(i).padStart(3, '0')} `;
    full += piece;
    sink.onText(piece);
    // The answer ends right after the last piece, before its flush is due.
    if (i < 59) await jest.advanceTimersByTimeAsync(50);
  }
  // A write may be in flight: end waits for it (fake time moves on meanwhile).
  const ending = sink.end({ answered: true });
  await jest.advanceTimersByTimeAsync(100);
  const rest: StepEvent[] = await ending;

  // Assess
  const at = s.written.map((w) => w.at);
  for (let i = 1; i < at.length; i++)
    expect(at[i] - at[i - 1]).toBeGreaterThanOrEqual(PARTIAL_FLUSH_MS);
  expect(s.written.length).toBeGreaterThanOrEqual(5);
  expect(s.written.length).toBeLessThanOrEqual(7);
  expect(s.maxInFlight()).toBe(1);
  expect(rest).toHaveLength(1);
  const all = [...s.written.map((w) => w.event), ...rest];
  expect(all.every((e) => e.type === 'step.output_delta')).toBe(true);
  let offset = 0;
  for (const e of all) {
    expect(e.data?.offset).toBe(offset);
    offset += String(e.data?.text ?? '').length;
  }
  expect(textOf(all)).toBe(full);
  expect(s.written[0].event).toMatchObject({ runId: 'r', stepId: 's', nodeId: 'writer' });
});

test('an answer that arrives whole before the first flush writes no delta at all', async () => {
  const s = store();
  const sink = partialOutputSink(platform, IDS, 1, { write: s.write });

  sink.onText('all of it at once');
  const rest = await sink.end({ answered: true });

  expect(s.written).toEqual([]);
  expect(rest).toEqual([]);
});

test('stops at the cap with a truncated mark', async () => {
  const s = store();
  const sink = partialOutputSink(platform, IDS, 2, { write: s.write, cap: 12 });

  for (let i = 0; i < 10; i++) {
    sink.onText('abcde');
    await jest.advanceTimersByTimeAsync(300);
  }
  const rest = await sink.end({ answered: true });

  const all = [...s.written.map((w) => w.event), ...rest];
  expect(textOf(all)).toBe('abcdeabcdeab');
  expect(all[all.length - 1].data).toMatchObject({ attempt: 2, truncated: true });
});

test('a failed attempt discards what it showed; one that showed nothing adds no event', async () => {
  const s = store();
  const shown = partialOutputSink(platform, IDS, 1, { write: s.write });
  const silent = partialOutputSink(platform, IDS, 2, { write: s.write });

  shown.onText('half an ans');
  await jest.advanceTimersByTimeAsync(100);
  shown.onText('wer');
  const discarded = await shown.end({ answered: false, reason: 'ProviderUnavailable' });
  const nothing = await silent.end({ answered: false, reason: 'ProviderUnavailable' });

  expect(textOf(s.written.map((w) => w.event))).toBe('half an ans');
  expect(discarded).toEqual([
    expect.objectContaining({
      type: 'step.output_discarded',
      data: { attempt: 1, chars: 11, reason: 'ProviderUnavailable' },
    }),
  ]);
  expect(nothing).toEqual([]);
});

test('a failed write stops the streaming of this attempt without failing it', async () => {
  const s = store(20, true);
  const sink = partialOutputSink(platform, IDS, 1, { write: s.write });

  sink.onText('first');
  await jest.advanceTimersByTimeAsync(600);
  sink.onText('second');
  await jest.advanceTimersByTimeAsync(600);
  const rest = await sink.end({ answered: true });

  expect(s.written).toEqual([]);
  expect(rest).toEqual([]);
  expect(warnings).toEqual(['partial output not stored; the step goes on']);
});
