import {
  ActiveVendorBodySchema,
  LoginBodySchema,
  PasswordChangeBodySchema,
  PasswordResetBodySchema,
  PasswordResetRequestBodySchema,
  PasswordResetRequestedSchema,
  ProblemSchema,
  SessionSchema,
  SignupAcceptedSchema,
  SignupBodySchema,
  SignupConfirmBodySchema,
  VendorCreateBodySchema,
} from '@marketprep/contracts';
import type { FastifyReply } from 'fastify';
import type { FastifyPluginCallbackZod } from 'fastify-type-provider-zod';
import { z } from 'zod';
import { AppError } from '../../errors';
import type { LoginThrottle } from '../../lib/login-throttle';
import { SESSION_COOKIE, requireSession, sessionCookieOptions } from '../../plugins/auth';
import type { AuthService, NewSession } from './auth.service';

/** Dependencies of the auth routes. */
export interface AuthRoutesOptions {
  auth: AuthService;
  throttle: LoginThrottle;
  secureCookies: boolean;
}

const problems = {
  400: ProblemSchema,
  401: ProblemSchema,
  403: ProblemSchema,
  409: ProblemSchema,
  429: ProblemSchema,
};

/** Accounts: `/v1/auth/*` and `/v1/vendors`. */
export const authRoutes: FastifyPluginCallbackZod<AuthRoutesOptions> = (
  app,
  { auth, throttle, secureCookies },
  done,
) => {
  const setSessionCookie = (reply: FastifyReply, session: NewSession) =>
    reply.setCookie(
      SESSION_COOKIE,
      session.secret,
      sessionCookieOptions(secureCookies, session.expiresAt),
    );

  app.post(
    '/v1/auth/signup',
    {
      config: { access: { kind: 'public' } },
      schema: {
        summary: 'Start a sign-up (emails a confirmation link)',
        description:
          'Always answers 202 `check-email`, whether or not the address has an account, so the answer never tells which addresses are registered. A new address gets a link (24 hours, once) to `POST /v1/auth/signup/confirm`; an address with an account gets a notice to sign in or reset the password, and nothing changes.',
        tags: ['auth'],
        body: SignupBodySchema,
        response: { 202: SignupAcceptedSchema, ...problems },
      },
    },
    async (request, reply) => {
      await auth.signup(request.body, { requestId: request.id });
      return reply.status(202).send({
        status: 'check-email' as const,
        ...(auth.devOutbox ? { devOutbox: auth.devOutbox } : {}),
      });
    },
  );

  app.post(
    '/v1/auth/signup/confirm',
    {
      config: { access: { kind: 'public' } },
      schema: {
        summary: 'Confirm a sign-up from its emailed link',
        description:
          'Creates the account and, when the sign-up named one, the business it owns; signs in (sets the session cookie). The link works once, for 24 hours (400 otherwise).',
        tags: ['auth'],
        body: SignupConfirmBodySchema,
        response: { 201: SessionSchema, ...problems },
      },
    },
    async (request, reply) => {
      const session = await auth.confirmSignup(request.body.token, {
        ip: request.ip,
        userAgent: request.headers['user-agent'],
      });
      setSessionCookie(reply, session);
      return reply.status(201).send(session.view);
    },
  );

  app.post(
    '/v1/auth/login',
    {
      config: { access: { kind: 'public' } },
      schema: {
        summary: 'Sign in',
        description:
          'Sets the httpOnly session cookie. Failed attempts are limited per account and per IP (429 with Retry-After).',
        tags: ['auth'],
        body: LoginBodySchema,
        response: { 200: SessionSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { email, password } = request.body;
      const wait = throttle.retryAfter(email, request.ip);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw new AppError(
          'RATE_LIMITED',
          `Too many failed sign-ins. Try again in ${Math.ceil(wait / 60)} minute(s).`,
        );
      }
      try {
        const session = await auth.login(email, password, {
          ip: request.ip,
          userAgent: request.headers['user-agent'],
        });
        throttle.recordSuccess(email);
        setSessionCookie(reply, session);
        return session.view;
      } catch (error) {
        if (error instanceof AppError && error.code === 'UNAUTHENTICATED')
          throttle.recordFailure(email, request.ip);
        throw error;
      }
    },
  );

  app.post(
    '/v1/auth/logout',
    {
      config: { access: { kind: 'user' } },
      schema: { summary: 'Sign out', tags: ['auth'], response: { 204: z.null(), ...problems } },
    },
    async (request, reply) => {
      await auth.logout(requireSession(request).session.id);
      void reply.clearCookie(SESSION_COOKIE, { path: '/' });
      return reply.status(204).send(null);
    },
  );

  app.get(
    '/v1/auth/session',
    {
      // Made of the session and the user's businesses: the answer cache's 'user' key covers both.
      config: { access: { kind: 'user' }, responseCache: 'user' },
      schema: {
        summary: 'The signed-in user, their businesses and the CSRF token',
        tags: ['auth'],
        response: { 200: SessionSchema, ...problems },
      },
    },
    async (request) => {
      const { session, secret } = requireSession(request);
      return auth.describe(session, secret);
    },
  );

  app.post(
    '/v1/auth/active-vendor',
    {
      config: { access: { kind: 'user' } },
      schema: {
        summary: 'Switch the business the session works in',
        tags: ['auth'],
        body: ActiveVendorBodySchema,
        response: { 200: SessionSchema, 404: ProblemSchema, ...problems },
      },
    },
    async (request) => {
      const { session, secret } = requireSession(request);
      return auth.setActiveVendor(session, secret, request.body.vendorId);
    },
  );

  app.post(
    '/v1/vendors',
    {
      config: { access: { kind: 'user' } },
      schema: {
        summary: 'Create a business',
        description: 'The caller becomes its owner and it becomes the active business.',
        tags: ['auth'],
        body: VendorCreateBodySchema,
        response: { 201: SessionSchema, ...problems },
      },
    },
    async (request, reply) => {
      const { session, secret } = requireSession(request);
      const vendorId = await auth.createVendor(session.userId, request.body);
      return reply.status(201).send(await auth.setActiveVendor(session, secret, vendorId));
    },
  );

  app.post(
    '/v1/auth/password',
    {
      config: { access: { kind: 'user' } },
      schema: {
        summary: 'Change the password',
        description:
          'Needs the current password (wrong ones count against the failed sign-ins, 429 with Retry-After); signs out every other session and revokes every reset link.',
        tags: ['auth'],
        body: PasswordChangeBodySchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      const { session } = requireSession(request);
      // Wrong current passwords count against the account's failed sign-ins: a stolen session
      // cannot guess the password here faster than at the sign-in form.
      const email = session.user.email;
      const wait = throttle.retryAfter(email, request.ip);
      if (wait > 0) {
        void reply.header('retry-after', String(wait));
        throw new AppError(
          'RATE_LIMITED',
          `Too many wrong passwords. Try again in ${Math.ceil(wait / 60)} minute(s).`,
        );
      }
      try {
        await auth.changePassword(session, request.body.currentPassword, request.body.newPassword);
      } catch (error) {
        if (error instanceof AppError && error.code === 'BAD_REQUEST')
          throttle.recordFailure(email, request.ip);
        throw error;
      }
      throttle.recordSuccess(email);
      return reply.status(204).send(null);
    },
  );

  app.post(
    '/v1/auth/password-reset/request',
    {
      config: { access: { kind: 'public' } },
      schema: {
        summary: 'Email a password-reset link',
        description:
          'Always answers 202, whether or not the email has an account; the mail is queued (the worker retries it while the mail server is away).',
        tags: ['auth'],
        body: PasswordResetRequestBodySchema,
        response: { 202: PasswordResetRequestedSchema, ...problems },
      },
    },
    async (request, reply) => {
      await auth.requestPasswordReset(request.body.email, { requestId: request.id });
      return reply.status(202).send({
        status: 'sent-if-known' as const,
        ...(auth.devOutbox ? { devOutbox: auth.devOutbox } : {}),
      });
    },
  );

  app.post(
    '/v1/auth/password-reset',
    {
      config: { access: { kind: 'public' } },
      schema: {
        summary: 'Set a new password from a reset link',
        description:
          'The link works once and revokes every other link of the account; every session of the account is signed out.',
        tags: ['auth'],
        body: PasswordResetBodySchema,
        response: { 204: z.null(), ...problems },
      },
    },
    async (request, reply) => {
      await auth.resetPassword(request.body.token, request.body.newPassword);
      return reply.status(204).send(null);
    },
  );
  done();
};
