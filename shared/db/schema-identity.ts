/**
 * Identity tables (issue 15): invitations, TOTP factors and recovery codes (0060_identity), and
 * per-tenant OpenID Connect single sign-on with linked identities (0061_identity_sso).
 */
import { bigint, jsonb, pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';

const ts = (name: string) => timestamp(name, { withTimezone: true, mode: 'date' });

/** Added by 0060_identity. Single-use, expiring; the token is stored as its SHA-256. */
export const invitations = pgTable('invitations', {
  id: uuid('id').primaryKey().defaultRandom(),
  tenantId: uuid('tenant_id').notNull(),
  email: text('email').notNull(),
  role: text('role').notNull(),
  tokenHash: text('token_hash').notNull(),
  invitedBy: text('invited_by').notNull(),
  expiresAt: ts('expires_at').notNull(),
  acceptedAt: ts('accepted_at'),
  acceptedBy: uuid('accepted_by'),
  revokedAt: ts('revoked_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Added by 0060_identity: a user's TOTP factor (pending until `enabledAt`). */
export const userMfa = pgTable('user_mfa', {
  userId: uuid('user_id').primaryKey(),
  secretSealed: text('secret_sealed').notNull(),
  enabledAt: ts('enabled_at'),
  /** The last accepted TOTP time step: a code is never accepted twice. */
  lastStep: bigint('last_step', { mode: 'number' }),
  createdAt: ts('created_at').notNull().defaultNow(),
});

export const mfaRecoveryCodes = pgTable('mfa_recovery_codes', {
  id: uuid('id').primaryKey().defaultRandom(),
  userId: uuid('user_id').notNull(),
  codeHash: text('code_hash').notNull(),
  usedAt: ts('used_at'),
  createdAt: ts('created_at').notNull().defaultNow(),
});

/** Added by 0061_identity_sso: the tenant's OpenID provider (the client secret is in the secret store). */
export const tenantSso = pgTable('tenant_sso', {
  tenantId: uuid('tenant_id').primaryKey(),
  issuer: text('issuer').notNull(),
  clientId: text('client_id').notNull(),
  secretLast4: text('secret_last4').notNull(),
  defaultRole: text('default_role').notNull(),
  roleClaim: text('role_claim'),
  roleMap: jsonb('role_map'),
  updatedBy: text('updated_by').notNull(),
  updatedAt: ts('updated_at').notNull().defaultNow(),
});

/** Added by 0061_identity_sso: which user an (issuer, subject) signs in as, per tenant. */
export const userIdentities = pgTable(
  'user_identities',
  {
    tenantId: uuid('tenant_id').notNull(),
    issuer: text('issuer').notNull(),
    subject: text('subject').notNull(),
    userId: uuid('user_id').notNull(),
    createdAt: ts('created_at').notNull().defaultNow(),
  },
  (t) => [primaryKey({ columns: [t.tenantId, t.issuer, t.subject] })],
);
