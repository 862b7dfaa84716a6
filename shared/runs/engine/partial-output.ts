/**
 * A streamed attempt's partial output on the run's timeline (ADR 142): `step.output_delta` events,
 * each the text generated since the previous one, written at most every PARTIAL_FLUSH_MS (one
 * statement per flush, never two in flight), up to PARTIAL_OUTPUT_CAP characters per attempt.
 * The run's SSE stream carries them like any other event; `step.succeeded` still carries the
 * final output. The text left when the attempt answers goes into the attempt's record (same
 * transaction as `step.succeeded`), so the deltas concatenate to the answer; an answer that came
 * whole before the first flush writes none. A failed attempt's partial output is discarded visibly.
 */
import type { PartialOutputSink, StepEvent } from '../../llm/step-call';
import type { Platform } from '../../platform/platform';
import { appendEvent, type RunEventInput } from '../events';

/** The least time between two flushes of one attempt's partial output. */
export const PARTIAL_FLUSH_MS = 500;
/** Characters of one attempt's partial output that reach the timeline; the rest waits for the final output. */
export const PARTIAL_OUTPUT_CAP = 32_000;

export interface PartialIds {
  tenantId: string;
  runId: string;
  stepId: string;
  nodeId: string;
}

export interface PartialOutputOptions {
  flushMs?: number;
  cap?: number;
  /** Stores one event (default: appendEvent in its own tenant transaction). */
  write?: (event: RunEventInput) => Promise<void>;
}

export function partialOutputSink(
  p: Platform,
  ids: PartialIds,
  attempt: number,
  options: PartialOutputOptions = {},
): PartialOutputSink {
  return new PartialOutputWriter(p, ids, attempt, {
    flushMs: options.flushMs ?? PARTIAL_FLUSH_MS,
    cap: options.cap ?? PARTIAL_OUTPUT_CAP,
    write:
      options.write ??
      ((event) => p.db.withTenant({ tenantId: ids.tenantId }, (tx) => appendEvent(tx, event))),
  });
}

class PartialOutputWriter implements PartialOutputSink {
  /** Text received and not yet handed to a flush. */
  private buffer = '';
  /** Characters already on the timeline (the next delta's offset). */
  private published = 0;
  private lastFlushAt = Number.NEGATIVE_INFINITY;
  private timer: ReturnType<typeof setTimeout> | undefined;
  private writing: Promise<void> | undefined;
  /** A write failed or the cap was reached: the rest of the attempt is not streamed. */
  private stopped = false;
  private ended = false;

  constructor(
    private readonly p: Platform,
    private readonly ids: PartialIds,
    private readonly attempt: number,
    private readonly o: Required<PartialOutputOptions>,
  ) {}

  onText(delta: string): void {
    if (this.ended || this.stopped || !delta) return;
    this.buffer += delta;
    this.schedule();
  }

  async end(
    result: { answered: true } | { answered: false; reason: string },
  ): Promise<StepEvent[]> {
    this.ended = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
    await this.writing;
    if (!result.answered) {
      this.buffer = '';
      if (this.published === 0) return [];
      return [
        {
          type: 'step.output_discarded',
          message: `${this.ids.nodeId} attempt ${this.attempt} failed (${result.reason}): its partial output (${this.published} characters) is discarded`,
          data: { attempt: this.attempt, chars: this.published, reason: result.reason },
        },
      ];
    }
    // An answer that came whole before the first flush needs no delta: `step.succeeded` has it.
    if (this.published === 0) return [];
    const rest = this.take();
    return rest ? [rest] : [];
  }

  /** One flush per PARTIAL_FLUSH_MS at most, and none while a write is in flight. */
  private schedule(): void {
    if (this.timer || this.writing || this.ended || this.stopped) return;
    const wait = Math.max(0, this.lastFlushAt + this.o.flushMs - this.p.now());
    this.timer = setTimeout(() => {
      this.timer = undefined;
      this.flush();
    }, wait);
  }

  private flush(): void {
    if (this.ended) return;
    const event = this.take();
    if (!event) return;
    this.lastFlushAt = this.p.now();
    this.writing = this.o
      .write({
        tenantId: this.ids.tenantId,
        runId: this.ids.runId,
        stepId: this.ids.stepId,
        nodeId: this.ids.nodeId,
        ...event,
      })
      .catch((e: unknown) => {
        // The partial output is a convenience: losing it must not fail the step.
        this.stopped = true;
        this.p.log.warn('partial output not stored; the step goes on', {
          error: e instanceof Error ? e.message : String(e),
        });
      })
      .finally(() => {
        this.writing = undefined;
        if (this.buffer) this.schedule();
      });
  }

  /** The buffered text as one delta event (bounded by the cap), or none. */
  private take(): StepEvent | undefined {
    if (!this.buffer || this.stopped) return undefined;
    const room = this.o.cap - this.published;
    if (room <= 0) {
      this.stopped = true;
      return undefined;
    }
    const text = this.buffer.slice(0, room);
    const truncated = this.buffer.length > room;
    this.buffer = '';
    if (!text) return undefined;
    const offset = this.published;
    this.published += text.length;
    if (truncated) this.stopped = true;
    return {
      type: 'step.output_delta',
      message: `${this.ids.nodeId} is writing (${this.published} characters so far)`,
      data: { attempt: this.attempt, offset, text, ...(truncated ? { truncated: true } : {}) },
    };
  }
}
