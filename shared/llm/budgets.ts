/**
 * Monthly budgets (ADR 012): one per tenant and optionally one per workflow, held in Postgres.
 * Before a provider call the step reserves an estimate (prompt tokens + maxTokens at the model's
 * price) under a row lock on the budgets that apply; the attempt's usage record and the deletion of
 * its reservation are written in one transaction (settle), so spent + in-flight never double counts.
 * Spent is summed from usage_records of the current UTC month: always exact, no counter to drift.
 */
import { and, eq, gt, gte, isNull, ne, or, sql, sum } from 'drizzle-orm';
import type { Tx } from '../db/client';
import { placeholderFor, runPrebuilt, type StatementPart } from '../db/prebuilt-statement';
import { budgetReservations, budgets } from '../db/schema-gateway';
import { usageRecords } from '../db/schema';
import { BudgetExceeded } from '../errors';
import { roundUsd } from './prices';

/** A reservation stops counting after this long (longer than the step Lambda's timeout). */
export const RESERVATION_TTL_MS = 15 * 60_000;

export function monthStart(at: Date): Date {
  return new Date(Date.UTC(at.getUTCFullYear(), at.getUTCMonth(), 1));
}

export interface BudgetStatus {
  workflowId: string | null;
  monthlyLimitUsd: number;
  spentUsd: number;
  reservedUsd: number;
  month: string;
}

async function spentAndReserved(
  tx: Tx,
  tenantId: string,
  workflowId: string | null,
  at: Date,
  excludeReservation?: string,
) {
  const start = monthStart(at);
  const [spent] = await tx
    .select({ v: sum(usageRecords.costUsd) })
    .from(usageRecords)
    .where(
      and(
        eq(usageRecords.tenantId, tenantId),
        gte(usageRecords.createdAt, start),
        workflowId ? eq(usageRecords.workflowId, workflowId) : undefined,
      ),
    );
  const [reserved] = await tx
    .select({ v: sum(budgetReservations.amountUsd) })
    .from(budgetReservations)
    .where(
      and(
        eq(budgetReservations.tenantId, tenantId),
        gt(budgetReservations.expiresAt, at),
        workflowId ? eq(budgetReservations.workflowId, workflowId) : undefined,
        excludeReservation ? ne(budgetReservations.id, excludeReservation) : undefined,
      ),
    );
  return {
    spentUsd: roundUsd(Number(spent?.v ?? 0)),
    reservedUsd: roundUsd(Number(reserved?.v ?? 0)),
  };
}

export interface ReserveInput {
  tenantId: string;
  workflowId: string;
  /** Idempotency key of the attempt: a redelivered task re-reserves nothing. */
  reservationId: string;
  estimateUsd: number;
  at: Date;
}

/**
 * Reserve `estimateUsd` against every budget that applies, or throw BudgetExceeded (nothing written).
 * A budget already used up blocks even a zero estimate (an unpriced model), so a limit of 0 freezes
 * spending. Returns false when no budget applies (nothing reserved).
 */
export async function reserveBudget(tx: Tx, input: ReserveInput): Promise<boolean> {
  const applicable = await tx
    .select()
    .from(budgets)
    .where(
      and(
        eq(budgets.tenantId, input.tenantId),
        or(isNull(budgets.workflowId), eq(budgets.workflowId, input.workflowId)),
      ),
    )
    .for('update');
  if (!applicable.length) return false;
  for (const b of applicable) {
    const { spentUsd, reservedUsd } = await spentAndReserved(
      tx,
      input.tenantId,
      b.workflowId,
      input.at,
      input.reservationId,
    );
    const limit = Number(b.monthlyLimitUsd);
    const after = roundUsd(spentUsd + reservedUsd + input.estimateUsd);
    if (after > limit || spentUsd + reservedUsd >= limit) {
      const scope = b.workflowId ? `workflow ${b.workflowId}` : 'tenant';
      throw new BudgetExceeded(
        `monthly ${scope} budget of $${limit.toFixed(2)} would be exceeded: spent $${spentUsd.toFixed(6)}, in flight $${reservedUsd.toFixed(6)}, this call up to $${input.estimateUsd.toFixed(6)}`,
        {
          details: [
            {
              path: b.workflowId ? `budgets.workflows.${b.workflowId}` : 'budgets.tenant',
              message: `limit ${limit}, spent ${spentUsd}, reserved ${reservedUsd}, estimate ${input.estimateUsd}`,
            },
          ],
        },
      );
    }
  }
  await tx
    .insert(budgetReservations)
    .values({
      id: input.reservationId,
      tenantId: input.tenantId,
      workflowId: input.workflowId,
      amountUsd: roundUsd(input.estimateUsd),
      expiresAt: new Date(input.at.getTime() + RESERVATION_TTL_MS),
    })
    .onConflictDoNothing();
  return true;
}

/**
 * A gate for spend that belongs to no workflow (embedding documents): refuses when the tenant's
 * monthly budget is already used up. It reserves nothing: an embedding batch costs fractions of a
 * cent, and its usage record (with the actual cost) counts against the budget right after.
 */
export async function assertTenantBudgetLeft(tx: Tx, tenantId: string, at: Date): Promise<void> {
  await assertBudgetLeft(tx, tenantId, null, at);
}

/**
 * Refuses when the tenant's budget, or the workflow's when one is given, is already used up: a
 * run that could only fail step by step is refused before it is created.
 */
export async function assertBudgetLeft(
  tx: Tx,
  tenantId: string,
  workflowId: string | null,
  at: Date,
): Promise<void> {
  const applicable = await tx
    .select()
    .from(budgets)
    .where(
      and(
        eq(budgets.tenantId, tenantId),
        workflowId
          ? or(isNull(budgets.workflowId), eq(budgets.workflowId, workflowId))
          : isNull(budgets.workflowId),
      ),
    );
  for (const b of applicable) {
    const { spentUsd, reservedUsd } = await spentAndReserved(tx, tenantId, b.workflowId, at);
    const limit = Number(b.monthlyLimitUsd);
    if (spentUsd + reservedUsd < limit) continue;
    const scope = b.workflowId ? `workflow ${b.workflowId}` : 'tenant';
    throw new BudgetExceeded(
      `monthly ${scope} budget of $${limit.toFixed(2)} is used up: spent $${spentUsd.toFixed(6)}, in flight $${reservedUsd.toFixed(6)}`,
      {
        details: [
          {
            path: b.workflowId ? `budgets.workflows.${b.workflowId}` : 'budgets.tenant',
            message: `limit ${limit}, spent ${spentUsd}, reserved ${reservedUsd}`,
          },
        ],
      },
    );
  }
}

/** Settle: the attempt's usage record (written in the same transaction) now carries the actual cost. */
export async function settleReservation(tx: Tx, reservationId: string): Promise<void> {
  await runPrebuilt(tx, 'settle_reservation', settleReservationWrite(reservationId, ''));
}

/**
 * The settlement as a part of a prebuilt statement, to ride in another's round trip (a
 * data-modifying CTE); `prefix` keeps several settlements in one statement apart.
 */
export function settleReservationWrite(reservationId: string, prefix: string): StatementPart {
  const name = `${prefix}reservation`;
  return {
    shape: `reservation_settlement(${prefix})`,
    build: (tx) =>
      tx
        .delete(budgetReservations)
        .where(eq(budgetReservations.id, placeholderFor(budgetReservations.id, name)))
        .getSQL(),
    values: { [name]: reservationId },
  };
}

export async function listBudgets(tx: Tx, tenantId: string, at: Date): Promise<BudgetStatus[]> {
  const rows = await tx
    .select()
    .from(budgets)
    .where(eq(budgets.tenantId, tenantId))
    .orderBy(sql`${budgets.workflowId} nulls first`);
  const month = monthStart(at).toISOString().slice(0, 7);
  const out: BudgetStatus[] = [];
  for (const b of rows) {
    const { spentUsd, reservedUsd } = await spentAndReserved(tx, tenantId, b.workflowId, at);
    out.push({
      workflowId: b.workflowId,
      monthlyLimitUsd: Number(b.monthlyLimitUsd),
      spentUsd,
      reservedUsd,
      month,
    });
  }
  return out;
}

export interface BudgetsInput {
  /** null removes the tenant budget; undefined leaves it as is. */
  monthlyLimitUsd?: number | null;
  /** Per-workflow budgets to set (limit) or remove (null). */
  workflows?: Array<{ workflowId: string; monthlyLimitUsd: number | null }>;
}

export async function putBudgets(
  tx: Tx,
  tenantId: string,
  actor: string,
  input: BudgetsInput,
  at: Date,
): Promise<void> {
  const set = async (workflowId: string | null, limit: number | null) => {
    const scope = and(
      eq(budgets.tenantId, tenantId),
      workflowId ? eq(budgets.workflowId, workflowId) : isNull(budgets.workflowId),
    );
    if (limit === null) {
      await tx.delete(budgets).where(scope);
      return;
    }
    const updated = await tx
      .update(budgets)
      .set({ monthlyLimitUsd: limit, updatedBy: actor, updatedAt: at })
      .where(scope)
      .returning({ id: budgets.id });
    if (!updated.length)
      await tx
        .insert(budgets)
        .values({ tenantId, workflowId, monthlyLimitUsd: limit, updatedBy: actor, updatedAt: at });
  };
  if (input.monthlyLimitUsd !== undefined) await set(null, input.monthlyLimitUsd);
  for (const w of input.workflows ?? []) await set(w.workflowId, w.monthlyLimitUsd);
}
