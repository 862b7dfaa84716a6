/** The statuses a run ends in: nothing moves such a run on (a re-run is a new run). */
export const TERMINAL_RUN_STATUSES: readonly string[] = ['SUCCEEDED', 'FAILED', 'CANCELLED'];

export const isTerminalRun = (status: string): boolean => TERMINAL_RUN_STATUSES.includes(status);
