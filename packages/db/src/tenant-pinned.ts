import { PrismaPg } from '@prisma/adapter-pg';
import pg from 'pg';
import { PrismaClient } from './generated/prisma/client';

/**
 * The fast tenant path under `withScope` (issue 21): one pooled `pg` connection per scope, BEGIN
 * and the RLS settings in one round trip, then the scope's Prisma queries sent straight to that
 * connection by a Prisma client *pinned* to it for the scope's lifetime.
 *
 * Why not Prisma's interactive transaction: measured on this machine (50 concurrent scopes, pool
 * 10, one `findMany` each), `prisma.$transaction(async tx => ...)` did 540 scopes/s at 1.0 ms of
 * API CPU each, a batch `$transaction([...])` 559/s at 0.87 ms, while the same query on a pinned
 * connection costs what a plain Prisma query does (docs/performance.md, "One tenant data path").
 *
 * Why one client per concurrent scope, not one shared client: Prisma merges `findUnique` calls made
 * in the same tick into one statement (its data loader batches by transaction id, and these
 * queries carry none). On a shared client, two requests' lookups could run as one statement under
 * one tenant's setting. A pinned client serves exactly one scope at a time, so a merge can only
 * join queries of the same scope. Clients are created on demand, at most one per pooled
 * connection in use, and reused.
 */
export class PinnedClients {
  private readonly idle: PinnedClient[] = [];
  private created = 0;

  /** Pinned clients made so far (each one Prisma client; at most the pool's size in use at once). */
  get size(): number {
    return this.created;
  }

  /** A pinned client bound to `connection` until {@link PinnedClient.unbind}. */
  take(connection: pg.PoolClient): PinnedClient {
    // First in, first out: the client a scope just gave back is the last to be reused, so a
    // reference kept past its scope (a bug) meets "already closed" rather than a new scope.
    const client = this.idle.shift() ?? this.create();
    client.bind(connection);
    return client;
  }

  /** Gives an unbound client back for the next scope. */
  give(client: PinnedClient): void {
    client.unbind();
    this.idle.push(client);
  }

  /** Disconnects every idle client (their adapters own no connection). */
  async close(): Promise<void> {
    await Promise.all(this.idle.splice(0).map((c) => c.prisma.$disconnect()));
  }

  private create(): PinnedClient {
    this.created += 1;
    return new PinnedClient();
  }
}

/** Raised when a scope's client is used outside its scope (after it ended, or from elsewhere). */
export class ScopeClosedError extends Error {
  /** Same code as Prisma's "Transaction already closed", so callers treat both alike. */
  readonly code = 'P2028';
  constructor() {
    super('Transaction already closed: the tenant scope this client belonged to has ended.');
    this.name = 'ScopeClosedError';
  }
}

/** Each pinned client's Prisma client, for {@link pinnedClientOf}. */
const pinnedByPrisma = new WeakMap<object, PinnedClient>();

/** The pinned client behind a scope's `tx`, or undefined for any other Prisma client. */
export function pinnedClientOf(prisma: object): PinnedClient | undefined {
  return pinnedByPrisma.get(prisma);
}

/**
 * A Prisma client whose adapter's "pool" is one borrowed connection. Transactions Prisma opens on
 * its own inside the scope (nested writes, `createMany` with relations) become savepoints, since
 * the scope's transaction is already open.
 */
export class PinnedClient {
  readonly prisma: PrismaClient;
  private connection: pg.PoolClient | null = null;
  private savepoints = 0;
  private tail: Promise<unknown> = Promise.resolve();

  constructor() {
    // A real pg.Pool subclass (PrismaPg recognises a pool with `instanceof`) that never connects:
    // every query goes to the bound connection.
    // eslint-disable-next-line @typescript-eslint/no-this-alias
    const owner = this;
    class BoundPool extends pg.Pool {
      override query(...args: unknown[]): never {
        return owner.send(args) as never;
      }
      override connect(): never {
        return Promise.resolve(owner.nested()) as never;
      }
    }
    this.prisma = new PrismaClient({ adapter: new PrismaPg(new BoundPool({ max: 1 })) });
    pinnedByPrisma.set(this.prisma, this);
  }

  /**
   * Typed SQL on the bound connection (tenantSql): queued behind the scope's Prisma queries like
   * them, and refused once the scope has ended.
   */
  async query<R>(text: string, values: readonly unknown[], name?: string): Promise<R[]> {
    const config = { text, values: [...values], ...(name ? { name } : {}) };
    const result = (await this.send([config])) as pg.QueryResult;
    return result.rows as R[];
  }

  bind(connection: pg.PoolClient): void {
    this.connection = connection;
    this.savepoints = 0;
    this.tail = Promise.resolve();
  }

  unbind(): void {
    this.connection = null;
  }

  private live(): pg.PoolClient {
    // Prisma runs its queries outside the caller's async context, so the check is "bound or
    // not"; a scope's client is handed to no other code than that scope's `fn`.
    if (!this.connection) throw new ScopeClosedError();
    return this.connection;
  }

  private send(args: unknown[]): Promise<unknown> {
    let connection: pg.PoolClient;
    try {
      connection = this.live();
    } catch (error) {
      return Promise.reject(error instanceof Error ? error : new Error(String(error)));
    }
    // One statement at a time on the connection (a scope may run queries in Promise.all; pg 9
    // will no longer queue them itself).
    const run = () => (connection.query as (...a: unknown[]) => Promise<unknown>)(...args);
    const result = this.tail.then(run, run);
    this.tail = result.catch(() => undefined);
    return result;
  }

  /**
   * What PrismaPg's `startTransaction` gets from `pool.connect()`: the same connection, with its
   * BEGIN / COMMIT / ROLLBACK turned into a savepoint of the scope's transaction.
   */
  private nested(): unknown {
    const connection = this.live();
    this.savepoints += 1;
    const name = `prisma_nested_${this.savepoints}`;
    const translate = (text: string): string => {
      const statement = text.trim().toUpperCase();
      if (statement === 'BEGIN') return `SAVEPOINT ${name}`;
      if (statement === 'COMMIT') return `RELEASE SAVEPOINT ${name}`;
      if (statement === 'ROLLBACK') return `ROLLBACK TO SAVEPOINT ${name}`;
      return text;
    };
    return {
      query: (config: unknown, ...rest: unknown[]) => {
        if (typeof config === 'object' && config !== null && 'text' in config) {
          const text = (config as { text: string }).text;
          return this.send([{ ...config, text: translate(text) }, ...rest]);
        }
        return this.send([config, ...rest]);
      },
      on: (event: 'error', listener: (error: Error) => void) => connection.on(event, listener),
      removeListener: (event: 'error', listener: (error: Error) => void) =>
        connection.removeListener(event, listener),
      // The scope releases the connection, not Prisma.
      release: () => undefined,
    };
  }
}
