/**
 * Drizzle tables of the LLM gateway (migrations/0002_gateway.sql). The two columns 0002 adds to
 * usage_records (model_ref, retry_after_ms) are in the foundation's `usageRecords` (schema.ts).
 */
import { integer, numeric, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });
const money = (name: string) => numeric(name, { precision: 14, scale: 6, mode: 'number' });
const price = (name: string) => numeric(name, { precision: 12, scale: 6, mode: 'number' });

export const providerKeys = pgTable(
  'provider_keys',
  {
    tenantId: uuid('tenant_id').notNull(),
    provider: text('provider').notNull(),
    last4: text('last4').notNull(),
    baseUrl: text('base_url'),
    setBy: text('set_by').notNull(),
    setAt: ts('set_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider] })],
);

const priceColumns = () => ({
  provider: text('provider').notNull(),
  model: text('model').notNull(),
  version: integer('version').notNull(),
  inputPerMtok: price('input_per_mtok').notNull(),
  outputPerMtok: price('output_per_mtok').notNull(),
  cachedInputPerMtok: price('cached_input_per_mtok').notNull(),
  effectiveFrom: ts('effective_from').notNull(),
  note: text('note'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const modelPrices = pgTable('model_prices', priceColumns(), (t) => [
  primaryKey({ columns: [t.provider, t.model, t.version] }),
]);

export const tenantModelPrices = pgTable(
  'tenant_model_prices',
  {
    tenantId: uuid('tenant_id').notNull(),
    ...priceColumns(),
    createdBy: text('created_by').notNull(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.provider, t.model, t.version] })],
);

export const budgets = pgTable('budgets', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  workflowId: uuid('workflow_id'),
  monthlyLimitUsd: money('monthly_limit_usd').notNull(),
  updatedBy: text('updated_by').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const budgetReservations = pgTable('budget_reservations', {
  id: text('id').primaryKey(),
  tenantId: uuid('tenant_id').notNull(),
  workflowId: uuid('workflow_id'),
  amountUsd: money('amount_usd').notNull(),
  createdAt: ts('created_at').notNull().defaultNow(),
  expiresAt: ts('expires_at').notNull(),
});
