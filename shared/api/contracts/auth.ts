import { z } from 'zod';
import { Role, Uuid } from './common';

// Deliberately permissive: local installs sign in as admin@localhost, which strict validators reject.
const Email = z
  .string()
  .trim()
  .max(254)
  .regex(/^[^\s@]+@[^\s@]+$/, 'must be an email address')
  .transform((e) => e.toLowerCase());
const Password = z.string().min(10, 'at least 10 characters').max(200);

export const SignupBody = z.object({
  tenantName: z.string().min(2).max(100),
  email: Email,
  password: Password,
  name: z.string().min(1).max(100).optional(),
});
export const LoginBody = z.object({
  email: Email,
  password: z.string().min(1).max(200),
  /** A user in several tenants picks one; the first membership otherwise. */
  tenant: z.string().min(1).max(64).optional(),
});
export const RefreshBody = z.object({ refreshToken: z.string().min(20).max(300) });
export const LogoutBody = RefreshBody;
export const TokenPair = z.object({
  accessToken: z.string(),
  refreshToken: z.string(),
  expiresIn: z.number().int(),
  tokenType: z.literal('Bearer'),
});
export const Me = z.object({
  user: z.object({ id: Uuid, email: z.string(), name: z.string().nullable() }).nullable(),
  tenant: z.object({ id: Uuid, slug: z.string(), name: z.string() }),
  role: Role,
  via: z.enum(['token', 'apiKey']),
});

export const MemberCreateBody = z.object({
  email: Email,
  role: Role,
  name: z.string().min(1).max(100).optional(),
  /** Initial password for a new user; existing users keep theirs. */
  password: Password.optional(),
});
export const MemberPatchBody = z.object({ role: Role });
export const Member = z.object({
  id: Uuid,
  email: z.string(),
  name: z.string().nullable(),
  role: Role,
  createdAt: z.string(),
});

export const ApiKeyCreateBody = z.object({
  name: z.string().min(1).max(100),
  role: Role.exclude(['owner']).default('dev'),
  expiresAt: z.iso.datetime().optional(),
});
export const ApiKey = z.object({
  id: Uuid,
  /** The member the key belongs to: it acts with at most their current role and dies with them. */
  createdBy: z.object({ id: Uuid, email: z.string().nullable() }).nullable(),
  name: z.string(),
  prefix: z.string(),
  role: Role,
  createdAt: z.string(),
  expiresAt: z.string().nullable(),
  lastUsedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const ApiKeyCreated = ApiKey.extend({ secret: z.string().describe('shown once') });
