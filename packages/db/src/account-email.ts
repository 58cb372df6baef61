import { createHash, randomBytes } from 'node:crypto';
import { z } from 'zod';
import type { PrismaClient } from './generated/prisma/client';
import { PasswordResetsRepository } from './repositories/password-resets.repository';
import { SignupRequestsRepository } from './repositories/signup-requests.repository';
import { UsersRepository } from './repositories/users.repository';

/** Outbox job name of the account emails (the worker registers it). */
export const ACCOUNT_EMAIL_JOB = 'account-email';

/** How long a password-reset link works. */
export const PASSWORD_RESET_TTL_MS = 60 * 60 * 1000;

/** How long a sign-up confirmation link works. */
export const SIGNUP_LINK_TTL_MS = 24 * 60 * 60 * 1000;

/**
 * Payload of the account-email job. It names what to mail, never a link: the link's secret is
 * minted when the mail is sent (see {@link prepareAccountEmail}), so no secret sits in the outbox.
 */
export const AccountEmailPayloadSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('password-reset'), email: z.string().min(3).max(254) }).strict(),
  z.object({ kind: z.literal('signup'), signupRequestId: z.uuid() }).strict(),
]);

/** What the API asks the account-email job to mail. */
export type AccountEmailPayload = z.infer<typeof AccountEmailPayloadSchema>;

/** One account email, ready for a transport. */
export interface AccountEmailMessage {
  to: string;
  subject: string;
  text: string;
}

const sha256Hex = (value: string) => createHash('sha256').update(value).digest('hex');
const newSecret = (prefix: string) => `${prefix}${randomBytes(32).toString('base64url')}`;

/**
 * Builds the account email a payload asks for, minting its link now (only the link's SHA-256 is
 * stored), or null when there is nothing to send:
 * - `password-reset`: a one-hour reset link when the address has an account (every earlier link of
 *   the account is revoked), nothing for an unknown address;
 * - `signup`: for a new address, the confirmation link (24 hours; a link sent earlier for the same
 *   request stops working); for an address that already has an account, a notice to sign in or
 *   reset, and the request's password hash is wiped so it can never be confirmed.
 *
 * Sending again (a retry after a mail-server failure) mints a new link and kills the previous one,
 * so only the link in the mail that arrived works. The API calls this for its development outbox,
 * the worker's account-email job for SMTP.
 */
export async function prepareAccountEmail(
  prisma: PrismaClient,
  payload: AccountEmailPayload,
  options: { publicUrl: string; now: Date },
): Promise<AccountEmailMessage | null> {
  const users = new UsersRepository(prisma);
  if (payload.kind === 'password-reset') {
    const user = await users.findByEmail(payload.email.toLowerCase());
    if (!user) return null;
    const secret = newSecret('mp_r_');
    await new PasswordResetsRepository(prisma).createReset({
      userId: user.id,
      tokenHash: sha256Hex(secret),
      expiresAt: new Date(options.now.getTime() + PASSWORD_RESET_TTL_MS),
    });
    return {
      to: user.email,
      subject: 'Reset your MarketPrep password',
      text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset your MarketPrep password. This link works once, for one hour:\n\n${options.publicUrl}/reset-password?token=${secret}\n\nIf it was not you, ignore this email; your password stays as it is.\n`,
    };
  }
  const requests = new SignupRequestsRepository(prisma);
  const request = await requests.findPending(payload.signupRequestId);
  if (!request) return null;
  const existing = await users.findByEmail(request.email);
  if (existing) {
    await requests.scrubRequest(request.id);
    return {
      to: existing.email,
      subject: 'Someone tried to sign up to MarketPrep with your address',
      text: `Hello ${existing.name},\n\nSomeone (maybe you) tried to create a MarketPrep account with this email address, which already has one. Nothing was changed.\n\nSign in: ${options.publicUrl}/login\nForgot your password? Reset it: ${options.publicUrl}/forgot-password\n\nIf it was not you, ignore this email.\n`,
    };
  }
  const secret = newSecret('mp_c_');
  const live = await requests.setToken(
    request.id,
    sha256Hex(secret),
    new Date(options.now.getTime() + SIGNUP_LINK_TTL_MS),
  );
  if (!live) return null;
  return {
    to: request.email,
    subject: 'Confirm your MarketPrep account',
    text: `Hello ${request.name},\n\nConfirm your email address to finish creating your MarketPrep account. This link works once, for 24 hours, and signs you in:\n\n${options.publicUrl}/signup/confirm?token=${secret}\n\nIf you did not sign up, ignore this email; no account is created.\n`,
  };
}
