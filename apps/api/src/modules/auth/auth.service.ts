import { randomUUID } from 'node:crypto';
import {
  AuditRepository,
  MembershipsRepository,
  PasswordResetsRepository,
  SessionsRepository,
  UsersRepository,
  withScope,
  type DatabaseClient,
  type SessionRecord,
} from '@marketprep/db';
import type { Session, SignupBody } from '@marketprep/contracts';
import { AppError } from '../../errors';
import type { Mailer } from '../../lib/mailer';
import { hashPassword, verifyPassword } from '../../lib/passwords';
import { csrfTokenFor, generateSecret, sha256Hex } from '../../lib/secrets';
import { SESSION_TTL_MS } from '../../plugins/auth';

const RESET_TTL_MS = 60 * 60 * 1000;

/** Dependencies of {@link AuthService}. */
export interface AuthServiceDeps {
  db: DatabaseClient;
  mailer: Mailer;
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
  constructor(private readonly deps: AuthServiceDeps) {}

  private get prisma() {
    return this.deps.db.prisma;
  }

  /** Creates an account (and, with `vendorName`, a business it owns) and signs it in. */
  async signup(body: SignupBody, meta: { ip?: string; userAgent?: string }): Promise<NewSession> {
    const passwordHash = await hashPassword(body.password);
    const user = await new UsersRepository(this.prisma).createUser({
      email: body.email,
      name: body.name,
      passwordHash,
    });
    if (!user)
      throw new AppError(
        'CONFLICT',
        'An account with this email already exists. Sign in instead.',
        undefined,
        { code: 'email-taken' },
      );
    let vendorId: string | null = null;
    if (body.vendorName) vendorId = await this.createVendor(user.id, { name: body.vendorName });
    return this.startSession(user.id, vendorId, meta);
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
   * Mails a one-hour reset link when the account exists; answers the same either way. The new
   * link is the user's only live one (earlier ones are revoked), and the mail is queued, so a
   * mail-server failure cannot turn a registered address into a different answer.
   */
  async requestPasswordReset(email: string): Promise<void> {
    const user = await new UsersRepository(this.prisma).findByEmail(email);
    if (!user) return;
    const secret = generateSecret('mp_r_');
    await new PasswordResetsRepository(this.prisma).createReset({
      userId: user.id,
      tokenHash: sha256Hex(secret),
      expiresAt: new Date(this.deps.now().getTime() + RESET_TTL_MS),
    });
    await this.deps.mailer.send({
      to: user.email,
      subject: 'Reset your MarketPrep password',
      text: `Hello ${user.name},\n\nSomeone (hopefully you) asked to reset your MarketPrep password. This link works once, for one hour:\n\n${this.deps.publicUrl}/reset-password?token=${secret}\n\nIf it was not you, ignore this email; your password stays as it is.\n`,
    });
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
