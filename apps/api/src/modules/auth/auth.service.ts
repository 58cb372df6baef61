import { randomUUID } from 'node:crypto';
import {
  ACCOUNT_EMAIL_JOB,
  AuditRepository,
  MembershipsRepository,
  PasswordResetsRepository,
  SIGNUP_LINK_TTL_MS,
  SessionsRepository,
  SignupRequestsRepository,
  UsersRepository,
  prepareAccountEmail,
  withScope,
  type AccountEmailPayload,
  type DatabaseClient,
  type SessionRecord,
  type TenantTransaction,
} from '@marketprep/db';
import type { Session, SignupBody } from '@marketprep/contracts';
import { AppError } from '../../errors';
import { DevOutboxMailer, type Mailer } from '../../lib/mailer';
import { enqueueWork } from '../../lib/outbox';
import { hashPassword, verifyPassword } from '../../lib/passwords';
import { csrfTokenFor, generateSecret, sha256Hex } from '../../lib/secrets';
import { SESSION_TTL_MS } from '../../plugins/auth';

/** Dependencies of {@link AuthService}. */
export interface AuthServiceDeps {
  db: DatabaseClient;
  /**
   * Where account emails (sign-up links, resets) go: `'outbox'` (SMTP configured: the PostgreSQL
   * outbox, sent and retried by the worker's account-email job) or a mailer the API sends through
   * at once (the development outbox of the demo and tests, or the server log).
   */
  accountEmail: 'outbox' | Mailer;
  sessionSecret: string;
  publicUrl: string;
  now: () => Date;
}

/** A session just created: the secret goes into the cookie, never into storage. */
export interface NewSession {
  secret: string;
  expiresAt: Date;
  view: Session;
}

/** Slug from a business name, made unique with a short random suffix. */
function slugFor(name: string): string {
  const base = name
    .normalize('NFKD')
    .toLowerCase()
    .replace(/[^a-z0-9]+/g, '-')
    .replace(/^-|-$/g, '')
    .slice(0, 40);
  return `${base || 'vendor'}-${randomUUID().slice(0, 8)}`;
}

/** Accounts: sign-up, sign-in, sessions, passwords and the businesses a user belongs to. */
export class AuthService {
  /**
   * Where account emails can be read when this instance sends none (the demo's loopback-only
   * outbox), for the "check your email" answers; null when they are really sent or only logged.
   */
  readonly devOutbox: string | null;

  constructor(private readonly deps: AuthServiceDeps) {
    this.devOutbox = deps.accountEmail instanceof DevOutboxMailer ? '/v1/dev/outbox' : null;
  }

  private get prisma() {
    return this.deps.db.prisma;
  }

  /**
   * Starts a sign-up: stores the request (password hashed) and mails the address, a confirmation
   * link when it is new, a "you already have an account" notice when it is not. Does the same work
   * and answers the same for both, so sign-up never tells which addresses are registered.
   */
  async signup(body: SignupBody, meta: { requestId: string | null }): Promise<void> {
    const passwordHash = await hashPassword(body.password);
    await this.sendAccountEmail(meta.requestId, async (tx) => {
      const signupRequestId = await new SignupRequestsRepository(tx).createRequest({
        email: body.email,
        name: body.name,
        passwordHash,
        vendorName: body.vendorName ?? null,
        expiresAt: new Date(this.deps.now().getTime() + SIGNUP_LINK_TTL_MS),
      });
      return { kind: 'signup', signupRequestId };
    });
  }

  /**
   * Confirms a sign-up from its emailed link (once, within 24 hours): creates the account (and its
   * business) and signs it in. 400 for a link that is unknown, used or expired, or whose address
   * got an account meanwhile (sign in instead).
   */
  async confirmSignup(
    token: string,
    meta: { ip?: string; userAgent?: string },
  ): Promise<NewSession> {
    const requests = new SignupRequestsRepository(this.prisma);
    const request = await requests.consumeToken(sha256Hex(token), this.deps.now());
    const user = request
      ? await new UsersRepository(this.prisma).createUser({
          email: request.email,
          name: request.name,
          passwordHash: request.passwordHash,
        })
      : null;
    if (request) await requests.deleteRequest(request.id);
    if (!request || !user)
      throw new AppError(
        'BAD_REQUEST',
        'This sign-up link is invalid, used or expired. Sign in, or sign up again for a new link.',
      );
    let vendorId: string | null = null;
    if (request.vendorName)
      vendorId = await this.createVendor(user.id, { name: request.vendorName });
    return this.startSession(user.id, vendorId, meta);
  }

  /**
   * Queues or sends one account email. `write` stores what the mail is about (in the outbox's
   * transaction) and returns the job's payload. With the outbox the request only writes rows, the
   * same rows for a registered address as for an unknown one; the worker mints the link when it
   * sends. Without it (demo, tests) the mail is built and handed to the mailer now.
   */
  private async sendAccountEmail(
    requestId: string | null,
    write: (tx: TenantTransaction) => Promise<AccountEmailPayload>,
  ): Promise<void> {
    const target = this.deps.accountEmail;
    if (target === 'outbox') {
      await this.prisma.$transaction(async (tx) => {
        const payload = await write(tx);
        await enqueueWork(tx, { jobName: ACCOUNT_EMAIL_JOB, payload, requestId });
      });
      return;
    }
    const payload = await this.prisma.$transaction(write);
    const message = await prepareAccountEmail(this.prisma, payload, {
      publicUrl: this.deps.publicUrl,
      now: this.deps.now(),
    });
    if (message) await target.send(message);
  }

  /** Checks the password and opens a session in the user's first business. */
  async login(
    email: string,
    password: string,
    meta: { ip?: string; userAgent?: string },
  ): Promise<NewSession> {
    const user = await new UsersRepository(this.prisma).findByEmail(email);
    const ok = await verifyPassword(user?.passwordHash ?? null, password);
    if (!user || !ok) throw new AppError('UNAUTHENTICATED', 'Email or password is not right.');
    const memberships = await this.memberships(user.id);
    // Each business the person belongs to sees the sign-in in its audit trail (Activity).
    for (const m of memberships) {
      await withScope(this.prisma, { vendorId: m.vendorId }, (tx) =>
        new AuditRepository(tx).record({
          vendorId: m.vendorId,
          actorUserId: user.id,
          actorType: 'user',
          action: 'auth.signed_in',
          targetType: 'user',
          targetId: user.id,
          ip: meta.ip,
        }),
      );
    }
    return this.startSession(user.id, memberships[0]?.vendorId ?? null, meta);
  }

  private async startSession(
    userId: string,
    vendorId: string | null,
    meta: { ip?: string; userAgent?: string },
  ) {
    const secret = generateSecret('mp_s_');
    const expiresAt = new Date(this.deps.now().getTime() + SESSION_TTL_MS);
    await new SessionsRepository(this.prisma).createSession({
      userId,
      tokenHash: sha256Hex(secret),
      activeVendorId: vendorId,
      expiresAt,
      ip: meta.ip,
      userAgent: meta.userAgent?.slice(0, 300),
    });
    const session = await new SessionsRepository(this.prisma).findActiveSession(
      sha256Hex(secret),
      this.deps.now(),
    );
    if (!session) throw new Error('session vanished right after creation');
    return { secret, expiresAt, view: await this.describe(session, secret) };
  }

  private memberships(userId: string) {
    return withScope(this.prisma, { userId }, (tx) =>
      new MembershipsRepository(tx).listForUser(userId),
    );
  }

  /** The public view of a session, with its CSRF token. */
  async describe(session: SessionRecord, secret: string): Promise<Session> {
    const memberships = await this.memberships(session.userId);
    const active = memberships.some((m) => m.vendorId === session.activeVendorId)
      ? session.activeVendorId
      : null;
    return {
      user: { id: session.userId, email: session.user.email, name: session.user.name },
      isPlatformAdmin: session.user.isPlatformAdmin,
      activeVendorId: active,
      memberships,
      csrfToken: csrfTokenFor(secret, this.deps.sessionSecret),
    };
  }

  /** Ends a session. */
  async logout(sessionId: string): Promise<void> {
    await new SessionsRepository(this.prisma).revokeSession(sessionId, this.deps.now());
  }

  /** Makes another of the user's businesses the active one; 404 when they are not a member. */
  async setActiveVendor(
    session: SessionRecord,
    secret: string,
    vendorId: string,
  ): Promise<Session> {
    const memberships = await this.memberships(session.userId);
    if (!memberships.some((m) => m.vendorId === vendorId))
      throw new AppError('NOT_FOUND', 'No such business.');
    await new SessionsRepository(this.prisma).setActiveVendor(session.id, vendorId);
    return this.describe({ ...session, activeVendorId: vendorId }, secret);
  }

  /** Creates a business owned by `userId`; returns its id. */
  async createVendor(
    userId: string,
    data: { name: string; timezone?: string; currency?: string },
  ): Promise<string> {
    const vendorId = randomUUID();
    await withScope(this.prisma, { vendorId }, async (tx) => {
      await new MembershipsRepository(tx).createVendorWithOwner({
        vendorId,
        slug: slugFor(data.name),
        userId,
        ...data,
      });
      await new AuditRepository(tx).record({
        vendorId,
        actorUserId: userId,
        actorType: 'user',
        action: 'vendor.created',
      });
    });
    return vendorId;
  }

  /** Changes the password after checking the current one; other sessions are signed out. */
  async changePassword(session: SessionRecord, current: string, next: string): Promise<void> {
    const users = new UsersRepository(this.prisma);
    const user = await users.findById(session.userId);
    if (!user || !(await verifyPassword(user.passwordHash, current))) {
      throw new AppError('BAD_REQUEST', 'The current password is not right.', [
        { path: 'currentPassword', message: 'Not right' },
      ]);
    }
    await users.updatePassword(user.id, await hashPassword(next));
    // Reset links asked for before the change must not undo it.
    await new PasswordResetsRepository(this.prisma).revokeUserResets(user.id, this.deps.now());
    await new SessionsRepository(this.prisma).revokeUserSessions(
      user.id,
      this.deps.now(),
      session.id,
    );
  }

  /**
   * Mails a one-hour reset link when the account exists (the new link is the user's only live
   * one). Answers the same either way: with the outbox the request writes the same row for a known
   * and an unknown address and the worker looks the address up, so neither the answer, its time
   * nor a mail-server failure tells a registered address from an unknown one.
   */
  async requestPasswordReset(email: string, meta: { requestId: string | null }): Promise<void> {
    await this.sendAccountEmail(meta.requestId, () =>
      Promise.resolve({ kind: 'password-reset', email }),
    );
  }

  /** Sets a new password from a reset link (once) and signs every session out. */
  async resetPassword(token: string, newPassword: string): Promise<void> {
    const userId = await new PasswordResetsRepository(this.prisma).consumeReset(
      sha256Hex(token),
      this.deps.now(),
    );
    if (!userId)
      throw new AppError(
        'BAD_REQUEST',
        'This reset link is invalid, used or expired. Ask for a new one.',
      );
    await new UsersRepository(this.prisma).updatePassword(userId, await hashPassword(newPassword));
    await new SessionsRepository(this.prisma).revokeUserSessions(userId, this.deps.now());
  }
}
