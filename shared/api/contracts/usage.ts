import * as z from 'zod';
import { IdOrSlug } from './common';

export const USAGE_GROUPS = ['workflow', 'run', 'step', 'provider', 'model', 'day'] as const;

/** A date or timestamp in years Postgres and `Date#toISOString` both write plainly. */
const Instant = z.iso
  .datetime({ offset: true })
  .or(z.iso.date())
  .refine((v) => {
    const year = Number(v.slice(0, 4));
    return year >= 1970 && year <= 9998;
  }, 'a year between 1970 and 9998');

export const UsageQuery = z.object({
  from: Instant.optional(),
  to: Instant.optional(),
  /** Comma-separated: workflow, run, step, provider, model, day. */
  groupBy: z
    .string()
    .max(100)
    .optional()
    .transform((v, ctx) => {
      const parts = (v ?? '')
        .split(',')
        .map((s) => s.trim())
        .filter(Boolean);
      for (const p of parts)
        if (!(USAGE_GROUPS as readonly string[]).includes(p))
          ctx.addIssue({
            code: 'custom',
            message: `unknown group ${p}; use ${USAGE_GROUPS.join(', ')}`,
          });
      return [...new Set(parts)] as Array<(typeof USAGE_GROUPS)[number]>;
    }),
  /** The workflow's id or slug. */
  workflowId: IdOrSlug.optional(),
});

export const UsageRow = z.object({
  workflowId: z.string().optional(),
  workflowSlug: z.string().optional(),
  runId: z.string().optional(),
  stepId: z.string().optional(),
  nodeId: z.string().optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
  day: z.string().optional(),
  costUsd: z.number(),
  inputTokens: z.number(),
  outputTokens: z.number(),
  cachedInputTokens: z.number(),
  /** Calls that reached a provider (successful or failed). */
  attempts: z.number(),
  failedAttempts: z.number(),
  /** Attempts skipped by an open circuit breaker or blocked by a budget: never billed. */
  skippedAttempts: z.number(),
  unpricedAttempts: z.number(),
});
export const UsageReport = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.array(z.string()),
  items: z.array(UsageRow),
  total: UsageRow,
});

const Limit = z.number().min(0).max(10_000_000);
export const BudgetsBody = z
  .object({
    /** Monthly budget of the whole tenant; null removes it. */
    monthlyLimitUsd: Limit.nullable().optional(),
    /** Per-workflow monthly budgets (id or slug); null removes one. */
    workflows: z
      .array(z.object({ workflow: IdOrSlug, monthlyLimitUsd: Limit.nullable() }))
      .max(200)
      .optional(),
  })
  .strict();

const BudgetLine = z.object({
  monthlyLimitUsd: z.number().nullable(),
  spentUsd: z.number(),
  reservedUsd: z.number(),
  remainingUsd: z.number().nullable(),
});
export const Budgets = z.object({
  month: z.string(),
  tenant: BudgetLine,
  workflows: z.array(
    BudgetLine.extend({ workflowId: z.string(), workflowSlug: z.string().optional() }),
  ),
});
