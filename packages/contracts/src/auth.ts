import { z } from 'zod';
import { PaginationQuerySchema, pageSchema, textSchema } from './pagination';

/** Email as typed by a person: trimmed and lower-cased before use. */
export const EmailSchema = z
  .string()
  .trim()
  .max(254)
  .pipe(z.email({ error: 'Enter a valid email address' }))
  .transform((value) => value.toLowerCase());

/** A new password: long enough to resist guessing, short enough to hash cheaply. */
export const NewPasswordSchema = z
  .string()
  .min(10, 'Use at least 10 characters')
  .max(200, 'Use at most 200 characters');

/** Role of a member within a vendor. */
export const MemberRoleSchema = z.enum(['OWNER', 'STAFF']);

/** `POST /v1/auth/signup`. */
export const SignupBodySchema = z
  .object({
    email: EmailSchema,
    password: NewPasswordSchema,
    name: textSchema({ min: 1, max: 120 }),
    /** The business to create; omit when joining through an invitation. */
    vendorName: textSchema({ min: 1, max: 120 }).optional(),
  })
  .strict()
  .meta({
    id: 'SignupBody',
    example: {
      email: 'ana@example.com',
      password: 'correct horse battery',
      name: 'Ana',
      vendorName: "Ana's Bakery",
    },
  });

/** `POST /v1/auth/signup` answers 202 with this for every address, registered or not. */
export const SignupAcceptedSchema = z
  .object({
    status: z.literal('check-email'),
    /**
     * Only on a demo or development instance that sends no mail (`npm start`): where the link
     * went instead (the development outbox, readable from this machine only).
     */
    devOutbox: z.string().optional(),
  })
  .meta({ id: 'SignupAccepted', example: { status: 'check-email' } });

/** `POST /v1/auth/signup/confirm`: the token from the emailed sign-up link. */
export const SignupConfirmBodySchema = z
  .object({ token: z.string().min(20).max(200) })
  .strict()
  .meta({ id: 'SignupConfirmBody' });

/** `POST /v1/auth/login`. */
export const LoginBodySchema = z
  .object({ email: EmailSchema, password: z.string().min(1).max(200) })
  .strict()
  .meta({
    id: 'LoginBody',
    example: { email: 'demo@marketprep.local', password: 'marketprep-demo' },
  });

/** `POST /v1/auth/password`. */
export const PasswordChangeBodySchema = z
  .object({ currentPassword: z.string().min(1).max(200), newPassword: NewPasswordSchema })
  .strict()
  .meta({ id: 'PasswordChangeBody' });

/** `POST /v1/auth/password-reset/request` answers 202 with this, whether or not the address is known. */
export const PasswordResetRequestedSchema = z
  .object({
    status: z.literal('sent-if-known'),
    /** As in {@link SignupAcceptedSchema}: the development outbox of a demo instance. */
    devOutbox: z.string().optional(),
  })
  .meta({ id: 'PasswordResetRequested' });

/** `POST /v1/auth/password-reset/request`. */
export const PasswordResetRequestBodySchema = z
  .object({ email: EmailSchema })
  .strict()
  .meta({ id: 'PasswordResetRequestBody' });

/** `POST /v1/auth/password-reset`. */
export const PasswordResetBodySchema = z
  .object({ token: z.string().min(20).max(200), newPassword: NewPasswordSchema })
  .strict()
  .meta({ id: 'PasswordResetBody' });

/** A vendor the signed-in user belongs to. */
export const MembershipSummarySchema = z.object({
  vendorId: z.uuid(),
  vendorName: z.string(),
  role: MemberRoleSchema,
});

/** `GET /v1/auth/session`: who is signed in, and the CSRF token for cookie-authenticated writes. */
export const SessionSchema = z
  .object({
    user: z.object({ id: z.uuid(), email: z.string(), name: z.string() }),
    isPlatformAdmin: z.boolean(),
    activeVendorId: z.uuid().nullable(),
    memberships: z.array(MembershipSummarySchema),
    csrfToken: z
      .string()
      .describe('Send as the x-csrf-token header on every write made with the session cookie'),
  })
  .meta({ id: 'Session' });

/** `POST /v1/vendors`: create another business (the caller becomes its owner). */
export const VendorCreateBodySchema = z
  .object({
    name: textSchema({ min: 1, max: 120 }),
    timezone: textSchema({ min: 1, max: 64 }).optional(),
    currency: z
      .string()
      .regex(/^[A-Z]{3}$/)
      .optional(),
  })
  .strict()
  .meta({ id: 'VendorCreateBody' });

/** `POST /v1/auth/active-vendor`. */
export const ActiveVendorBodySchema = z
  .object({ vendorId: z.uuid() })
  .strict()
  .meta({ id: 'ActiveVendorBody' });

/** Scopes an API token can carry. */
export const ApiTokenScopeSchema = z.enum(['read', 'write']);

/** `POST /v1/api-tokens`. */
export const ApiTokenCreateBodySchema = z
  .object({
    name: textSchema({ min: 1, max: 80 }),
    scopes: z.array(ApiTokenScopeSchema).min(1).max(2),
    expiresInDays: z.number().int().min(1).max(730).optional(),
  })
  .strict()
  .meta({ id: 'ApiTokenCreateBody', example: { name: 'Spreadsheet sync', scopes: ['read'] } });

/** An API token as listed (never the secret). */
export const ApiTokenSchema = z
  .object({
    id: z.uuid(),
    name: z.string(),
    prefix: z.string(),
    scopes: z.array(ApiTokenScopeSchema),
    createdAt: z.iso.datetime(),
    lastUsedAt: z.iso.datetime().nullable(),
    expiresAt: z.iso.datetime().nullable(),
    revokedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'ApiToken' });

/** `POST /v1/api-tokens` answer: the only time the secret is shown. */
export const ApiTokenCreatedSchema = ApiTokenSchema.extend({
  token: z.string().describe('Shown once. Send as `Authorization: Bearer <token>`.'),
}).meta({ id: 'ApiTokenCreated' });

/** `GET /v1/api-tokens`. */
export const ApiTokenListSchema = pageSchema(ApiTokenSchema).meta({ id: 'ApiTokenList' });

/** `POST /v1/team/invitations`. */
export const InvitationCreateBodySchema = z
  .object({ email: EmailSchema, role: MemberRoleSchema.default('STAFF') })
  .strict()
  .meta({ id: 'InvitationCreateBody' });

/** An invitation as listed. */
export const InvitationSchema = z
  .object({
    id: z.uuid(),
    email: z.string(),
    role: MemberRoleSchema,
    expiresAt: z.iso.datetime(),
    acceptedAt: z.iso.datetime().nullable(),
  })
  .meta({ id: 'Invitation' });

/** `POST /v1/team/invitations/accept`: accept while signed in (the email must match). */
export const InvitationAcceptBodySchema = z
  .object({ token: z.string().min(20).max(200) })
  .strict()
  .meta({ id: 'InvitationAcceptBody' });

/** A member of the vendor's team. */
export const MemberSchema = z
  .object({
    userId: z.uuid(),
    name: z.string(),
    email: z.string(),
    role: MemberRoleSchema,
    joinedAt: z.iso.datetime(),
  })
  .meta({ id: 'Member' });

/** `GET /v1/team/members`: the business's members, by name. */
export const MemberListSchema = pageSchema(MemberSchema).meta({ id: 'MemberList' });

/** `GET /v1/team/invitations`: open invitations, newest first. */
export const InvitationListSchema = pageSchema(InvitationSchema).meta({ id: 'InvitationList' });

/** `?limit=&cursor=` of the short lists (members, invitations, API tokens, data exports). */
export const ShortListQuerySchema = PaginationQuerySchema.strict();

/** Signup body. */
export type SignupBody = z.infer<typeof SignupBodySchema>;
/** Login body. */
export type LoginBody = z.infer<typeof LoginBodySchema>;
/** The signed-in session. */
export type Session = z.infer<typeof SessionSchema>;
/** Member role. */
export type MemberRole = z.infer<typeof MemberRoleSchema>;
/** API token scope. */
export type ApiTokenScope = z.infer<typeof ApiTokenScopeSchema>;
