/**
 * An agent step's own writes as parts of prebuilt statements (ADR 172): its start, in the
 * preparation's event statement, and its call's outcome, in the completion's.
 */
import { createHash } from 'node:crypto';
import { and, eq, sql } from 'drizzle-orm';
import { placeholderFor, type StatementPart } from '../../db/prebuilt-statement';
import { carriesSqlState } from '../../db/sql-state';
import { runSteps, usageRecords } from '../../db/schema';
import type { PiiCounts } from '../../pii/policy';
import { mergeBoundPointer, type PayloadPointer, pointerJson } from '../step-payloads';

// The step is still PENDING and its run not cancelled; `run_unchanged` (migration 0173) raises
// SQLSTATE HS409 otherwise.
const CLAIMABLE = sql.raw(`run_unchanged(run_steps.status = 'PENDING'
  and exists (select 1 from runs r where r.id = run_steps.run_id and r.status <> 'CANCELLED'))`);

// The run is RUNNING and its other steps are as `call_others` (their ids and statuses, hashed by
// `othersDigest`) says; `run_unchanged` raises otherwise.
const OTHERS_UNCHANGED = sql`run_unchanged(
  exists (select 1 from runs r where r.id = run_steps.run_id and r.status = 'RUNNING')
  and (
    select md5(coalesce(string_agg(s.id::text || ':' || s.status, ',' order by s.id), ''))
    from run_steps s where s.run_id = run_steps.run_id and s.id <> run_steps.id
  ) = ${sql.placeholder('call_others')})`;

/** What `stepCallWrite` compares a run's other steps with: their ids and statuses, hashed. */
export function othersDigest(stepId: string, steps: readonly { id: string; status: string }[]) {
  const others = steps.filter((s) => s.id !== stepId).map((s) => `${s.id}:${s.status}`);
  // Ids are lowercase UUIDs: their text order is PostgreSQL's uuid order.
  return createHash('md5').update(others.sort().join(',')).digest('hex');
}

/**
 * The step is RUNNING with its (masked) prompt, or the pointer to it in S3 (ADR 105). With `claim`
 * (a preparation from what the planner read, ADR 181) the statement fails with `isStaleRead`
 * unless the step is still PENDING and its run not cancelled: what a fresh read would have checked.
 */
export function markRunningWrite(start: {
  stepId: string;
  prompt: string | null;
  pointer?: PayloadPointer;
  startedAt: Date;
  claim?: boolean;
}): StatementPart {
  const { pointer, claim } = start;
  const step = eq(runSteps.id, placeholderFor(runSteps.id, 'running_step'));
  return {
    shape: `step_running(${[pointer && 'pointer', claim && 'claim'].filter(Boolean).join(',')})`,
    build: (tx) =>
      tx
        .update(runSteps)
        .set({
          status: 'RUNNING',
          prompt: sql`${placeholderFor(runSteps.prompt, 'running_prompt')}`,
          ...(pointer ? { payloads: mergeBoundPointer('running_payloads') } : {}),
          startedAt: sql`${placeholderFor(runSteps.startedAt, 'running_started_at')}`,
        })
        // Checked on the row the update finds, so also on a version a concurrent cancel committed.
        .where(claim ? and(step, CLAIMABLE) : step)
        .getSQL(),
    values: {
      running_step: start.stepId,
      running_prompt: start.prompt,
      running_started_at: start.startedAt,
      ...(pointer ? { running_payloads: pointerJson('prompt', pointer) } : {}),
    },
  };
}

/** A check of `markRunningWrite` or `stepCallWrite` failed: the run changed since it was read. */
export function isStaleRead(error: unknown): boolean {
  return carriesSqlState(error, 'HS409', /the run changed since it was read/);
}

export interface StepMeter {
  inputTokens: number;
  outputTokens: number;
  costUsd: number;
  pii: { masked: PiiCounts; toProvider: PiiCounts };
}

export interface StepAnswer {
  output: unknown;
  /** The output's pointer when it was kept in S3 (ADR 105). */
  pointer?: PayloadPointer;
  provider: string;
  model: string;
  finishedAt: Date;
}

/**
 * The call's tokens and cost added to the step; with `answer`, the step SUCCEEDED with it, unless
 * a cancel came first: a run cancelled while the call was in flight keeps the step CANCELLED (its
 * cost counts). Returns the step's status.
 */
export function stepCallWrite(
  stepId: string,
  meter: StepMeter,
  answer?: StepAnswer,
  /** The run's other steps as planning read them (`othersDigest`): the update checks them (ADR 181). */
  others?: string,
): StatementPart {
  const pointer = answer?.pointer;
  const v = (name: string) => sql.placeholder(`call_${name}`);
  const step = eq(runSteps.id, placeholderFor(runSteps.id, 'call_step'));
  const kind = answer ? (pointer ? 'answered,pointer' : 'answered') : 'metered';
  return {
    shape: `step_call(${kind}${others ? ',unchanged' : ''})`,
    build: (tx) =>
      tx
        .update(runSteps)
        .set({
          inputTokens: sql`${runSteps.inputTokens} + ${v('input_tokens')}`,
          outputTokens: sql`${runSteps.outputTokens} + ${v('output_tokens')}`,
          costUsd: sql`${runSteps.costUsd} + ${v('cost')}::numeric`,
          pii: sql`${placeholderFor(runSteps.pii, 'call_pii')}`,
          ...(answer
            ? {
                status: sql`case when ${runSteps.status} = 'CANCELLED' then 'CANCELLED' else 'SUCCEEDED' end`,
                output: sql`${placeholderFor(runSteps.output, 'call_output')}`,
                ...(pointer ? { payloads: mergeBoundPointer('call_payloads') } : {}),
                provider: sql`${placeholderFor(runSteps.provider, 'call_provider')}`,
                model: sql`${placeholderFor(runSteps.model, 'call_model')}`,
                finishedAt: sql`${placeholderFor(runSteps.finishedAt, 'call_finished_at')}`,
              }
            : {}),
        })
        .where(others ? and(step, OTHERS_UNCHANGED) : step)
        .returning({ status: runSteps.status })
        .getSQL(),
    values: {
      call_step: stepId,
      ...(others ? { call_others: others } : {}),
      call_input_tokens: meter.inputTokens,
      call_output_tokens: meter.outputTokens,
      call_cost: meter.costUsd.toFixed(6),
      call_pii: meter.pii,
      ...(answer
        ? {
            call_output: answer.output,
            call_provider: answer.provider,
            call_model: answer.model,
            call_finished_at: answer.finishedAt,
            ...(pointer ? { call_payloads: pointerJson('output', pointer) } : {}),
          }
        : {}),
    },
  };
}

/** The usage record `id` removed (a prepared attempt no task will take, ADR 186). */
export function usageRecordRemoval(id: string): StatementPart {
  return {
    shape: 'usage_record_removal',
    build: (tx) =>
      tx
        .delete(usageRecords)
        .where(eq(usageRecords.id, placeholderFor(usageRecords.id, 'removed_record')))
        .getSQL(),
    values: { removed_record: id },
  };
}
