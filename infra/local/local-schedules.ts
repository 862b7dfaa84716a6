/**
 * User schedules locally (ADR 121): the schedule rows are the timers. The runtime polls
 * `fireSchedule` (the same handler EventBridge Scheduler invokes in AWS) on the platform clock, and
 * once at start, so a firing missed while the process was down runs once, not once per slot.
 */
import type { ScheduleTimers } from '../../shared/platform/ports';
import type { Logger } from '../../shared/observability/logger';
import { invoke } from './handlers';

/** Nothing to arm: the poll reads each row's next firing. */
export const localScheduleTimers: ScheduleTimers = { arm: async () => undefined };

export class LocalScheduler {
  private timer: NodeJS.Timeout | undefined;
  constructor(
    private readonly root: string,
    private readonly log: Logger,
  ) {}

  /** Fires every schedule due by the platform clock's now; resolves with what each firing did. */
  async tick(): Promise<unknown> {
    return invoke(this.root, 'fireSchedule', { source: 'local.scheduler' });
  }

  /** A first tick now (missed firings), then one every `pollMs`. */
  async start(pollMs: number): Promise<void> {
    await this.tick().catch((error) => this.log.warn('schedule tick failed', { error }));
    this.timer = setInterval(
      () => void this.tick().catch((error) => this.log.warn('schedule tick failed', { error })),
      pollMs,
    ).unref();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
  }
}
