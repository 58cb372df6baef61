import net from 'node:net';
import pg from 'pg';

/** A start-up problem with a one-line explanation for the person at the terminal. */
export class StartupError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'StartupError';
  }
}

/** Resolves when `port` can be bound on `host`; otherwise names the port and the variable. */
export async function assertPortFree(port: number, host: string, variable: string): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    const server = net.createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      reject(
        new StartupError(
          error.code === 'EADDRINUSE'
            ? `Port ${port} (${variable}) is already in use on ${host}: stop what uses it, or set ${variable} to a free port.`
            : `Cannot listen on ${host}:${port} (${variable}): ${error.code ?? error.message}.`,
        ),
      );
    });
    server.listen({ port, host, exclusive: true }, () => server.close(() => resolve()));
  });
}

/** Connects once with a short timeout; on failure names DATABASE_URL and the host it tried. */
export async function assertDatabaseReachable(
  url: string,
  variable = 'DATABASE_URL',
): Promise<void> {
  let target = '(unparseable URL)';
  try {
    const parsed = new URL(url);
    target = `${parsed.hostname}:${parsed.port || '5432'}${parsed.pathname}`;
  } catch {
    throw new StartupError(
      `${variable} is not a valid URL (expected postgresql://user:password@host:5432/database).`,
    );
  }
  const client = new pg.Client({ connectionString: url, connectionTimeoutMillis: 5_000 });
  try {
    await client.connect();
    await client.query('SELECT 1');
  } catch (error) {
    const e = error as NodeJS.ErrnoException;
    const reason = e.code && /^E[A-Z]+$/.test(e.code) ? e.code : e.message.split('\n')[0];
    throw new StartupError(`${variable}: cannot reach PostgreSQL at ${target} (${reason}).`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
