/**
 * A run's own writes as parts of prebuilt statements (ADR 172), each riding with the run event
 * that says what happened: its cost growing with a step's, planning starting it, and its end.
 */
import { and, eq, sql } from 'drizzle-orm';
import { placeholderFor, type StatementPart } from '../../db/prebuilt-statement';
import { runs } from '../../db/schema';

/** The run's cost grows by `costUsd`. */
export function runCostWrite(runId: string, costUsd: number): StatementPart {
  return {
    shape: 'run_cost',
    build: (tx) =>
      tx
        .update(runs)
        .set({ costUsd: sql`${runs.costUsd} + ${sql.placeholder('run_cost')}::numeric` })
        .where(eq(runs.id, placeholderFor(runs.id, 'run_cost_run')))
        .getSQL(),
    values: { run_cost: costUsd.toFixed(6), run_cost_run: runId },
  };
}

/** How a run ends (or waits): its status, cost, and output or error. */
export interface RunSettlement {
  status: string;
  costUsd: number;
  output?: unknown;
  error?: { name: string; message: string };
  finishedAt?: Date;
}

/**
 * The run takes `settlement`'s status and cost, and its output, error and end when given. With
 * `whileRunning` (a settlement from what an earlier read saw, ADR 188) the statement fails with
 * HS409 when the run is no longer RUNNING (a cancel came first).
 */
export function runSettlementWrite(
  runId: string,
  settlement: RunSettlement,
  { whileRunning = false }: { whileRunning?: boolean } = {},
): StatementPart {
  const { output, error, finishedAt } = settlement;
  const has = { output: output !== undefined, error: error !== undefined, end: !!finishedAt };
  const id = eq(runs.id, placeholderFor(runs.id, 'settle_run'));
  return {
    shape: `run_settlement(${has.output ? 'output,' : ''}${has.error ? 'error,' : ''}${has.end ? 'end' : ''}${whileRunning ? ',while_running' : ''})`,
    build: (tx) =>
      tx
        .update(runs)
        .set({
          status: sql`${placeholderFor(runs.status, 'settle_status')}`,
          costUsd: sql`${sql.placeholder('settle_cost')}::numeric`,
          ...(has.output ? { output: sql`${placeholderFor(runs.output, 'settle_output')}` } : {}),
          ...(has.error ? { error: sql`${placeholderFor(runs.error, 'settle_error')}` } : {}),
          ...(has.end
            ? { finishedAt: sql`${placeholderFor(runs.finishedAt, 'settle_finished_at')}` }
            : {}),
        })
        .where(whileRunning ? and(id, sql`run_unchanged(${runs.status} = 'RUNNING')`) : id)
        .getSQL(),
    values: {
      settle_run: runId,
      settle_status: settlement.status,
      settle_cost: settlement.costUsd.toFixed(6),
      ...(has.output ? { settle_output: output } : {}),
      ...(has.error ? { settle_error: error } : {}),
      ...(has.end ? { settle_finished_at: finishedAt } : {}),
    },
  };
}

/** The run is RUNNING (planning starts it, or goes on after an approval). */
export function runStartedWrite(runId: string): StatementPart {
  return {
    shape: 'run_started',
    build: (tx) =>
      tx
        .update(runs)
        .set({ status: 'RUNNING' })
        .where(eq(runs.id, placeholderFor(runs.id, 'started_run')))
        .getSQL(),
    values: { started_run: runId },
  };
}
