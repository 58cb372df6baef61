import {
  ApiTokensRepository,
  MembershipsRepository,
  SessionsRepository,
  withScope,
  type DatabaseClient,
  type Role,
  type SessionRecord,
} from '@marketprep/db';
import type { FastifyInstance, FastifyReply, FastifyRequest, RouteOptions } from 'fastify';
import fp from 'fastify-plugin';
import { AppError } from '../errors';
import type { Redis } from 'ioredis';
import { AuthCache } from './auth-cache';
import { LocalAuthCache, RedisAuthCache, type AuthLookupCache } from './shared-auth-cache';
import { csrfTokenFor, safeEqual, sha256Hex } from '../lib/secrets';

/** The session cookie's name. */
export const SESSION_COOKIE = 'mp_session';
/** Sessions slide: each use extends them to this age. */
export const SESSION_TTL_MS = 30 * 24 * 3_600_000;
/** A session slides at most this often (one write per session and process, not one per request). */
export const SESSION_SLIDE_EVERY_MS = 3_600_000;

/**
 * Who may call a route (declared on every route as `config.access`):
 * - `public`: anyone;
 * - `user`: any signed-in user (session cookie);
 * - `admin`: platform operators (session), never vendor data;
 * - `tenant`: a member of the vendor with at least `role`; `sessionOnly` excludes API tokens
 *   (team, billing and token management need a person).
 */
export type Access =
  | { kind: 'public' }
  | { kind: 'user' }
  | { kind: 'admin' }
  | { kind: 'tenant'; role: Role; sessionOnly?: boolean };

/** The caller, once credentials are checked. */
export type Identity =
  | { kind: 'session'; session: SessionRecord; secret: string }
  | { kind: 'token'; tokenId: string; vendorId: string; scopes: string[] };

/** The vendor a request acts for and with which rights. */
export interface TenantContext {
  vendorId: string;
  role: Role;
  /** The person acting (null for an API token). */
  userId: string | null;
  actorType: 'user' | 'api_token';
  readOnly: boolean;
}

declare module 'fastify' {
  interface FastifyRequest {
    identity: Identity | null;
    tenant: TenantContext | null;
  }
  interface FastifyContextConfig {
    access?: Access;
    /** A write that changes sessions, memberships or tokens: clears the auth cache (AuthCache). */
    invalidatesAuth?: boolean;
  }
}

/** Options of the auth plugin. */
export interface AuthPluginOptions {
  db: DatabaseClient;
  /** Key of the CSRF HMAC. */
  sessionSecret: string;
  now: () => Date;
  /**
   * Cache of sessions, roles and API tokens: RedisAuthCache shares it across replicas (and
   * invalidates it for all of them at once); an in-process AuthCache serves one process (see its
   * staleness bound) and is made when omitted; `false` looks everything up on every request.
   */
  cache?: AuthLookupCache | AuthCache | false;
  /** With no `cache` given: share sessions, roles and tokens across replicas here (RedisAuthCache). */
  redis?: Redis;
  /** `Secure` on the session cookie when a session slides (as when it was set). */
  secureCookies?: boolean;
}

/** The plugin's options once the cache is resolved. */
interface ResolvedAuthOptions extends Omit<AuthPluginOptions, 'cache'> {
  cache: AuthLookupCache | undefined;
}

/**
 * Writes that change who a credential is or what it may do (revoked sessions, active vendor,
 * memberships, tokens, passwords): any such request clears the auth cache before it answers.
 * Routes elsewhere that change these opt in with `config.invalidatesAuth: true`.
 */
const AUTH_CHANGING_PREFIXES = [
  '/v1/auth/',
  '/v1/team/',
  '/v1/api-tokens',
  '/v1/vendors',
  '/v1/admin',
  '/v1/account',
  '/v1/me',
];
/** Writes under those prefixes that only create new credentials (nothing cached goes stale). */
const AUTH_CREATING_ROUTES = new Set([
  '/v1/auth/login',
  '/v1/auth/signup',
  '/v1/auth/signup/confirm',
  '/v1/auth/password-reset/request',
]);

function changesAuth(request: FastifyRequest): boolean {
  if (SAFE_METHODS.has(request.method)) return false;
  // `config` is absent on Fastify's not-found route.
  const config = request.routeOptions.config as { invalidatesAuth?: boolean } | undefined;
  if (config?.invalidatesAuth === true) return true;
  const url = request.routeOptions.url ?? request.url;
  if (AUTH_CREATING_ROUTES.has(url)) return false;
  return AUTH_CHANGING_PREFIXES.some((prefix) => url.startsWith(prefix));
}

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const ROLE_RANK: Record<Role, number> = { STAFF: 1, OWNER: 2 };

/** Every route must say who may call it; a route without `config.access` fails at start-up. */
export function assertAccessDeclared(route: RouteOptions): void {
  const hidden = route.schema?.hide === true;
  if (!route.config?.access && !hidden && !route.url.startsWith('/docs')) {
    throw new Error(`Route ${String(route.method)} ${route.url} declares no config.access`);
  }
}

async function resolveIdentity(
  request: FastifyRequest,
  options: ResolvedAuthOptions,
): Promise<Identity | null> {
  const authorization = request.headers.authorization;
  if (authorization !== undefined) {
    const match = /^Bearer ([A-Za-z0-9_-]{20,200})$/.exec(authorization);
    if (!match?.[1])
      throw new AppError(
        'UNAUTHENTICATED',
        'The Authorization header must be "Bearer <API token>".',
      );
    const tokenHash = sha256Hex(match[1]);
    const cache = options.cache;
    const cached = cache ? await cache.getToken(tokenHash) : undefined;
    let token = cached?.value ?? null;
    if (!token) {
      token = await withScope(options.db.prisma, { tokenHash }, (tx) =>
        new ApiTokensRepository(tx).findByHash(tokenHash),
      );
      if (token && !token.revokedAt && cached)
        await cache?.putToken(tokenHash, token, cached.version);
    }
    const now = options.now();
    if (!token || token.revokedAt || (token.expiresAt && token.expiresAt <= now)) {
      throw new AppError('UNAUTHENTICATED', 'This API token is unknown, revoked or expired.');
    }
    return { kind: 'token', tokenId: token.id, vendorId: token.vendorId, scopes: token.scopes };
  }
  const secret = request.cookies[SESSION_COOKIE];
  if (!secret) return null;
  if (!/^mp_s_[A-Za-z0-9_-]{20,100}$/.test(secret)) return null;
  const tokenHash = sha256Hex(secret);
  const now = options.now();
  const cache = options.cache;
  const cached = cache ? await cache.getSession(tokenHash) : undefined;
  if (cached?.value && cached.value.expiresAt > now)
    return { kind: 'session', session: cached.value, secret };
  const session = await new SessionsRepository(options.db.prisma).findActiveSession(tokenHash, now);
  if (session && cached) await cache?.putSession(tokenHash, session, cached.version);
  return session ? { kind: 'session', session, secret } : null;
}

async function resolveTenant(
  request: FastifyRequest,
  access: Extract<Access, { kind: 'tenant' }>,
  options: ResolvedAuthOptions,
): Promise<TenantContext> {
  const identity = request.identity;
  // Anonymous requests never reach a vendor's data, demo instance or not (the demo vendor is
  // read by signing in as its owner).
  if (!identity) throw new AppError('UNAUTHENTICATED', 'Sign in, or send an API token.');
  if (identity.kind === 'token') {
    if (access.sessionOnly)
      throw new AppError(
        'FORBIDDEN',
        'API tokens cannot do this; sign in as an owner.',
        undefined,
        { code: 'session-required' },
      );
    const needed = SAFE_METHODS.has(request.method) ? ['read', 'write'] : ['write'];
    if (!identity.scopes.some((s) => needed.includes(s))) {
      throw new AppError(
        'FORBIDDEN',
        `This API token lacks the "${needed.at(-1) ?? 'write'}" scope.`,
        undefined,
        { code: 'token-scope-missing' },
      );
    }
    return {
      vendorId: identity.vendorId,
      role: 'OWNER',
      userId: null,
      actorType: 'api_token',
      readOnly: false,
    };
  }
  const vendorId = identity.session.activeVendorId;
  if (!vendorId)
    throw new AppError('FORBIDDEN', 'Create a business or accept an invitation first.');
  const userId = identity.session.userId;
  const cache = options.cache;
  const cached = cache ? await cache.getRole(vendorId, userId) : undefined;
  let role = cached?.value ?? null;
  if (!role) {
    role = await withScope(options.db.prisma, { vendorId, userId }, (tx) =>
      new MembershipsRepository(tx).findRole(userId),
    );
    if (role && cached) await cache?.putRole(vendorId, userId, role, cached.version);
  }
  if (!role) throw new AppError('FORBIDDEN', 'You are no longer a member of this business.');
  if (ROLE_RANK[role] < ROLE_RANK[access.role]) {
    throw new AppError('FORBIDDEN', 'Only an owner of this business can do this.');
  }
  return { vendorId, role, userId, actorType: 'user', readOnly: false };
}

/**
 * Authentication and authorization for every route: resolves the caller (API token or session
 * cookie), enforces the route's declared access and, for cookie-authenticated writes, the CSRF
 * token. Handlers then read `request.tenant` / `request.identity`.
 */
export const authPlugin = fp<AuthPluginOptions>(
  (app: FastifyInstance, pluginOptions: AuthPluginOptions, done: (err?: Error) => void) => {
    const given = pluginOptions.cache;
    const metrics = app.hasDecorator('metrics') ? app.metrics : undefined;
    const cache: AuthLookupCache | undefined =
      given === false
        ? undefined
        : given instanceof AuthCache
          ? new LocalAuthCache(given)
          : (given ??
            (pluginOptions.redis
              ? new RedisAuthCache({
                  redis: pluginOptions.redis,
                  counters: {
                    hit: (name) => metrics?.cacheHits.inc({ cache: name }),
                    miss: (name) => metrics?.cacheMisses.inc({ cache: name }),
                    fallback: (name) => metrics?.cacheFallbacks.inc({ cache: name }),
                  },
                })
              : new LocalAuthCache(new AuthCache())));
    const options: ResolvedAuthOptions = { ...pluginOptions, cache };
    if (cache) {
      // Before the answer leaves: the caller's next request, on any replica, must see the change.
      app.addHook('onSend', async (request, _reply, payload) => {
        if (changesAuth(request)) await cache.invalidateAll();
        return payload;
      });
    }
    // Answers to a signed-in caller (and the answers that sign one in) hold private data and
    // CSRF tokens: no browser, proxy or CDN may keep them.
    app.addHook('onSend', (request, reply, payload, next) => {
      if (request.identity || reply.hasHeader('set-cookie'))
        void reply.header('cache-control', 'no-store');
      next(null, payload);
    });
    app.decorateRequest('identity', null);
    app.decorateRequest('tenant', null);
    app.addHook('onRoute', assertAccessDeclared);
    // Sessions this process slid lately (by id), so a cached record's old expiry does not make
    // every request write again; each replica slides a session at most once an hour.
    const slid = new Map<string, number>();
    app.addHook('preHandler', async (request, reply) => {
      const access = request.routeOptions.config.access;
      if (!access) return;
      request.identity = await resolveIdentity(request, options);
      const identity = request.identity;
      if (identity?.kind === 'session') await slide(identity, reply, options, slid);

      if (identity?.kind === 'session' && !SAFE_METHODS.has(request.method)) {
        const given = request.headers['x-csrf-token'];
        const expected = csrfTokenFor(identity.secret, options.sessionSecret);
        if (typeof given !== 'string' || !safeEqual(given, expected)) {
          throw new AppError(
            'FORBIDDEN',
            'Missing or invalid CSRF token: send the x-csrf-token header from GET /v1/auth/session.',
            undefined,
            { code: 'csrf-invalid' },
          );
        }
      }

      switch (access.kind) {
        case 'public':
          return;
        case 'user':
          if (identity?.kind !== 'session') throw new AppError('UNAUTHENTICATED', 'Sign in first.');
          return;
        case 'admin':
          if (identity?.kind !== 'session') throw new AppError('UNAUTHENTICATED', 'Sign in first.');
          if (!identity.session.user.isPlatformAdmin)
            throw new AppError('FORBIDDEN', 'Operators only.');
          return;
        case 'tenant':
          request.tenant = await resolveTenant(request, access, options);
          return;
      }
    });
    done();
  },
  { name: 'auth', dependencies: ['@fastify/cookie'] },
);

/**
 * Extends a session in use to {@link SESSION_TTL_MS} from now, in the database and in its cookie,
 * once its last extension is more than {@link SESSION_SLIDE_EVERY_MS} old: someone who opens the
 * app every market day stays signed in; a month away signs them out.
 */
async function slide(
  identity: Extract<Identity, { kind: 'session' }>,
  reply: FastifyReply,
  options: ResolvedAuthOptions,
  slid: Map<string, number>,
): Promise<void> {
  const now = options.now().getTime();
  const { session } = identity;
  if (session.expiresAt.getTime() > now + SESSION_TTL_MS - SESSION_SLIDE_EVERY_MS) return;
  const last = slid.get(session.id);
  if (last !== undefined && now - last < SESSION_SLIDE_EVERY_MS) return;
  const expiresAt = new Date(now + SESSION_TTL_MS);
  await new SessionsRepository(options.db.prisma).touchSession(
    session.id,
    new Date(now),
    expiresAt,
  );
  slid.set(session.id, now);
  // Bounded: entries older than the slide interval are of no use.
  if (slid.size > 10_000) {
    for (const [id, at] of slid) if (now - at >= SESSION_SLIDE_EVERY_MS) slid.delete(id);
  }
  identity.session = { ...session, expiresAt };
  void reply.setCookie(
    SESSION_COOKIE,
    identity.secret,
    sessionCookieOptions(options.secureCookies ?? false, expiresAt),
  );
}

/** The session cookie's attributes, wherever it is set (sign-in, a slide). */
export function sessionCookieOptions(secure: boolean, expires: Date) {
  return { httpOnly: true, secure, sameSite: 'lax' as const, path: '/', expires };
}

/** The request's tenant (routes declared `tenant`), or a 401 when none was resolved. */
export function requireTenant(request: FastifyRequest): TenantContext {
  if (!request.tenant) throw new AppError('UNAUTHENTICATED', 'Sign in, or send an API token.');
  return request.tenant;
}

/** The signed-in session (routes declared `user`, `admin`, or tenant routes reached by a person). */
export function requireSession(request: FastifyRequest): Extract<Identity, { kind: 'session' }> {
  if (request.identity?.kind !== 'session') throw new AppError('UNAUTHENTICATED', 'Sign in first.');
  return request.identity;
}
