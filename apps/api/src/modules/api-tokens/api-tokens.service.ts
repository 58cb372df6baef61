import {
  ApiTokensRepository,
  AuditRepository,
  withTenant,
  type ApiTokenRecord,
  type DatabaseClient,
} from '@marketprep/db';
import type { ApiTokenScope } from '@marketprep/contracts';
import { AppError } from '../../errors';
import { generateSecret, sha256Hex } from '../../lib/secrets';
import type { TenantContext } from '../../plugins/auth';
import type { PlanLimitCheck } from '../billing/plan-limits';

/** API tokens for integrators: shown once, stored hashed, scoped, revocable. */
export class ApiTokensService {
  constructor(
    private readonly deps: {
      db: DatabaseClient;
      now: () => Date;
      /** Billing's plan limits (none: unlimited). */
      limits?: PlanLimitCheck;
    },
  ) {}

  /** Creates a token; the secret is returned only here. */
  async createToken(
    tenant: TenantContext,
    input: { name: string; scopes: ApiTokenScope[]; expiresInDays?: number },
    requestId: string,
  ): Promise<{ record: ApiTokenRecord; token: string }> {
    await this.deps.limits?.assertCanAdd(tenant.vendorId, 'apiTokens');
    const token = generateSecret('mp_t_');
    const expiresAt = input.expiresInDays
      ? new Date(this.deps.now().getTime() + input.expiresInDays * 86_400_000)
      : null;
    const record = await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      const created = await new ApiTokensRepository(tx).createToken({
        vendorId: tenant.vendorId,
        createdByUserId: tenant.userId,
        name: input.name,
        prefix: token.slice(0, 10),
        tokenHash: sha256Hex(token),
        scopes: [...new Set(input.scopes)],
        expiresAt,
      });
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: 'user',
        action: 'api_token.created',
        targetType: 'api_token',
        targetId: created.id,
        requestId,
      });
      return created;
    });
    return { record, token };
  }

  /** The business's tokens. */
  listTokens(tenant: TenantContext): Promise<ApiTokenRecord[]> {
    return withTenant(this.deps.db.prisma, tenant.vendorId, (tx) =>
      new ApiTokensRepository(tx).listTokens(),
    );
  }

  /** Revokes a token at once (its next use answers 401). */
  async revokeToken(tenant: TenantContext, id: string, requestId: string): Promise<void> {
    await withTenant(this.deps.db.prisma, tenant.vendorId, async (tx) => {
      if (!(await new ApiTokensRepository(tx).revokeToken(id, this.deps.now()))) {
        throw new AppError('NOT_FOUND', 'No such API token.');
      }
      await new AuditRepository(tx).record({
        vendorId: tenant.vendorId,
        actorUserId: tenant.userId,
        actorType: 'user',
        action: 'api_token.revoked',
        targetType: 'api_token',
        targetId: id,
        requestId,
      });
    });
  }
}
