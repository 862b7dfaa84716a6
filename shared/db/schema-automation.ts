/** Drizzle schema of the automation tables (DDL: migrations/0003_automation.sql). */
import { boolean, jsonb, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

export const triggers = pgTable('triggers', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  name: text('name').notNull(),
  source: text('source').notNull(),
  workflowId: uuid('workflow_id').notNull(),
  rules: jsonb('rules').notNull(),
  inputMapping: jsonb('input_mapping').notNull().default({}),
  enabled: boolean('enabled').notNull().default(true),
  secretHint: text('secret_hint').notNull(),
  credentialsKind: text('credentials_kind'),
  credentialsHint: text('credentials_hint'),
  apiBaseUrl: text('api_base_url'),
  createdBy: uuid('created_by'),
  createdAt: ts('created_at').notNull().defaultNow(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

export const webhookDeliveries = pgTable('webhook_deliveries', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  triggerId: uuid('trigger_id').notNull(),
  deliveryId: text('delivery_id'),
  event: text('event'),
  outcome: text('outcome').notNull(),
  reason: text('reason'),
  runId: uuid('run_id'),
  /** What a started delivery is about: `owner/repo#12` or a Jira issue key (0171, ADR 161). */
  subject: text('subject'),
  receivedAt: ts('received_at').notNull().defaultNow(),
});
