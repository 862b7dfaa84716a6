import * as z from 'zod';
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
export const TenantChoice = z.object({
  id: Uuid,
  slug: z.string(),
  name: z.string(),
  role: Role,
});
export const SignedIn = TokenPair.extend({
  tenant: TenantChoice,
  /** Every tenant the user belongs to: switch with POST /v1/auth/switch. */
  tenants: z.array(TenantChoice),
});
export const MfaChallenge = z.object({
  mfaRequired: z.literal(true),
  /** True when the tenant requires MFA and the user has none: enrol with the token first. */
  enrolment: z.boolean(),
  mfaToken: z.string().describe('send it to POST /v1/auth/mfa with a code (5 minutes)'),
  expiresIn: z.number().int(),
  tenant: TenantChoice,
});
/** A sign-in answers with tokens, or with a challenge for the second factor. */
export const SignInResult = z.union([SignedIn, MfaChallenge]);
export const SwitchTenantBody = z.object({ tenant: z.string().min(1).max(64) });
const TotpCode = z.string().regex(/^\d{6}$/, 'six digits');
const RecoveryCode = z.string().min(8).max(40);
export const MfaVerifyBody = z.object({
  mfaToken: z.string().min(20).max(2000),
  code: TotpCode.optional(),
  recoveryCode: RecoveryCode.optional(),
});
export const MfaEnrolDuringSignInBody = z.object({ mfaToken: z.string().min(20).max(2000) });
export const MfaSignInResult = z.union([
  SignedIn.extend({ recoveryCodes: z.array(z.string()).optional() }),
  MfaChallenge,
]);
export const MfaEnrolment = z.object({
  secret: z.string().describe('base32, for manual entry'),
  otpauthUri: z.string(),
  qrCode: z.string().describe('the otpauth URI as an SVG data URL'),
});
export const MfaConfirmBody = z.object({ code: TotpCode });
export const MfaRecoveryCodes = z.object({
  recoveryCodes: z.array(z.string()).describe('ten single-use codes, shown once'),
});
export const MfaDisableBody = z.object({
  code: TotpCode.optional(),
  recoveryCode: RecoveryCode.optional(),
});
export const MfaStatus = z.object({
  enabled: z.boolean(),
  enabledAt: z.string().nullable(),
  recoveryCodesLeft: z.number().int(),
});
export const SecuritySettings = z.object({
  /** Every member signs in with a second factor; members without one enrol at next sign-in. */
  mfaRequired: z.boolean(),
});
export const SecuritySettingsPatch = SecuritySettings.partial();
export const Me = z.object({
  user: z.object({ id: Uuid, email: z.string(), name: z.string().nullable() }).nullable(),
  tenant: z.object({ id: Uuid, slug: z.string(), name: z.string() }),
  role: Role,
  via: z.enum(['token', 'apiKey']),
});

/** Adding a member invites them: the answer is the same whether or not the email has an account. */
export const MemberCreateBody = z.object({
  email: Email,
  role: Role,
  /** How long the invitation stays valid; 7 days unless stated. */
  expiresInHours: z.number().int().min(1).max(720).optional(),
  password: z
    .undefined({ error: 'not accepted: invitees choose their own password when they accept' })
    .optional()
    .describe('refused: invitees choose their own password when they accept'),
});
export const InvitationStatus = z.enum(['pending', 'accepted', 'revoked', 'expired']);
export const Invitation = z.object({
  id: Uuid,
  email: z.string(),
  role: Role,
  status: InvitationStatus,
  invitedBy: z.string(),
  createdAt: z.string(),
  expiresAt: z.string(),
  acceptedAt: z.string().nullable(),
  revokedAt: z.string().nullable(),
});
export const InvitationCreated = Invitation.extend({
  token: z.string().describe('single-use; shown once: deliver it to the invitee'),
  acceptUrl: z.string().nullable().describe('the console link, when PUBLIC_URL is configured'),
});
export const InvitationQuery = z.object({ status: InvitationStatus.optional() });
const InvitationToken = z.string().min(20).max(100);
export const InvitationLookupBody = z.object({ token: InvitationToken });
export const InvitationPreview = z.object({
  tenant: z.object({ slug: z.string(), name: z.string() }),
  email: z.string(),
  role: Role,
  expiresAt: z.string(),
});
export const InvitationAcceptBody = z.object({
  token: InvitationToken,
  /** For a new account (not signed in): the password it will have. */
  password: Password.optional(),
  name: z.string().min(1).max(100).optional(),
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

const PiiAction = z.enum(['allow', 'mask_logs', 'mask_provider']);
export const PiiPolicy = z.object({
  classes: z
    .object({
      email: PiiAction,
      phone: PiiAction,
      card: PiiAction,
      iban: PiiAction,
      secret: PiiAction,
    })
    .partial()
    .describe('per class: allow, mask in stored traces, or also mask before the provider'),
  patterns: z
    .array(
      z.object({
        name: z
          .string()
          .regex(/^[a-z][a-z0-9_]{0,31}$/, 'lowercase letters, digits and underscores'),
        pattern: z.string().min(1).max(200).describe('a JavaScript regular expression (u flag)'),
        action: PiiAction,
      }),
    )
    .max(20)
    .default([]),
});
export const PiiPolicyView = z.object({
  classes: z.object({
    email: PiiAction,
    phone: PiiAction,
    card: PiiAction,
    iban: PiiAction,
    secret: PiiAction,
  }),
  patterns: z.array(z.object({ name: z.string(), pattern: z.string(), action: PiiAction })),
});

const GrantableRole = Role.exclude(['owner']);
export const SsoSettingsBody = z.object({
  issuer: z
    .url()
    .max(500)
    .describe('the OpenID provider issuer (its discovery document is checked)'),
  clientId: z.string().min(1).max(200),
  clientSecret: z
    .string()
    .min(8)
    .max(500)
    .optional()
    .describe('stored in the secret store, never returned; omit to keep the stored one'),
  defaultRole: GrantableRole.default('viewer'),
  roleClaim: z.string().min(1).max(100).nullable().optional(),
  roleMap: z.record(z.string().max(200), GrantableRole).nullable().optional(),
  /** Only SSO signs members in; owners keep a password (break-glass). */
  ssoOnly: z.boolean().optional(),
});
export const SsoSettings = z.object({
  issuer: z.string(),
  clientId: z.string(),
  clientSecretLast4: z.string(),
  defaultRole: Role,
  roleClaim: z.string().nullable(),
  roleMap: z.record(z.string(), Role).nullable(),
  ssoOnly: z.boolean(),
  updatedAt: z.string(),
});
export const SsoStartBody = z.object({
  tenant: z.string().min(1).max(64).describe('tenant slug or id'),
  redirectUri: z
    .url()
    .max(500)
    .describe('where the provider sends the browser back (registered there)'),
});
export const SsoStart = z.object({
  authorizationUrl: z.string(),
  state: z.string().describe('compare with the state on the callback before finishing'),
});
export const SsoCallbackBody = z.object({
  callbackUrl: z.url().max(8000).describe('the full URL the provider redirected to (code, state)'),
});
