// Backup-and-restore drill (issue 16, DEPLOYMENT.md "Backups"): dump the database with
// pg_dump, restore the file with pg_restore into a fresh database, then read the copy the way
// the app does and compare it with the source. Exits non-zero when anything differs.
//
//   npx tsx scripts/backup-drill.ts                       # DATABASE_URL (a superuser URL)
//   npx tsx scripts/backup-drill.ts --source <url> --keep # keep the restored database
//
// The dump and the source's row counts come from one exported snapshot, so the comparison is
// exact even while the app keeps writing. The connecting role must bypass row-level security
// (a superuser, or a role with BYPASSRLS): pg_dump refuses tables whose policies would hide rows.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm, stat } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { pathToFileURL } from 'node:url';
import pg from 'pg';
import {
  MarketsRepository,
  PrepListsRepository,
  createDatabaseClient,
  withTenant,
} from '@marketprep/db';

const run = promisify(execFile);

/** What {@link runBackupDrill} found. */
export interface BackupDrillReport {
  /** Name of the restored database (dropped unless `keep`). */
  restoredDatabase: string;
  dumpBytes: number;
  /** Milliseconds per step. */
  timings: { dumpMs: number; restoreMs: number; verifyMs: number };
  /** Tables compared and their rows in the source. */
  tables: { name: string; rows: number }[];
  /** Vendors whose markets were read through the app role (row-level security on). */
  vendorsRead: number;
  /** Prep lists loaded through the app's repository, with their line counts. */
  prepListsLoaded: { id: string; lines: number }[];
  /** Everything that differed; empty when the drill passed. */
  problems: string[];
}

/** Options of {@link runBackupDrill}. */
export interface BackupDrillOptions {
  /** Superuser (or BYPASSRLS) URL of the database to back up. */
  sourceUrl: string;
  /** Keep the restored database (default: dropped at the end). */
  keep?: boolean;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
  /** Most prep lists to load (the latest CURRENT ones; default 50). */
  maxPrepLists?: number;
}

function withDatabase(url: string, name: string): string {
  const parsed = new URL(url);
  parsed.pathname = `/${name}`;
  return parsed.toString();
}

/** libpq connection options for pg_dump/pg_restore: the URL itself (password included). */
const dbArg = (url: string) => `--dbname=${url}`;

async function tableCounts(client: pg.Client): Promise<Map<string, number>> {
  const { rows } = await client.query<{ schema: string; name: string }>(
    `SELECT table_schema AS schema, table_name AS name FROM information_schema.tables
      WHERE table_type = 'BASE TABLE' AND table_schema NOT IN ('pg_catalog', 'information_schema')
      ORDER BY 1, 2`,
  );
  const counts = new Map<string, number>();
  for (const { schema, name } of rows) {
    const ident = `${client.escapeIdentifier(schema)}.${client.escapeIdentifier(name)}`;
    const result = await client.query<{ n: string }>(`SELECT count(*) AS n FROM ${ident}`);
    counts.set(`${schema}.${name}`, Number(result.rows[0]?.n ?? 0));
  }
  return counts;
}

/**
 * Runs the drill: dump, restore into a fresh database on the same server, compare row counts
 * table by table, read every vendor's markets and the latest prep lists through the app role.
 */
export async function runBackupDrill(options: BackupDrillOptions): Promise<BackupDrillReport> {
  const log = options.log ?? (() => undefined);
  const problems: string[] = [];
  const dir = await mkdtemp(path.join(tmpdir(), 'marketprep-backup-'));
  const file = path.join(dir, 'marketprep.dump');
  const restoredDatabase = `mp_restore_${randomBytes(4).toString('hex')}`;
  const restoredUrl = withDatabase(options.sourceUrl, restoredDatabase);
  const admin = new pg.Client({ connectionString: withDatabase(options.sourceUrl, 'postgres') });
  await admin.connect();
  let created = false;
  try {
    // 1. Dump from an exported snapshot, and count the source's rows in that same snapshot.
    const started = performance.now();
    const source = new pg.Client({ connectionString: options.sourceUrl });
    await source.connect();
    let sourceCounts: Map<string, number>;
    try {
      await source.query('BEGIN ISOLATION LEVEL REPEATABLE READ READ ONLY');
      const snapshot = (await source.query<{ id: string }>('SELECT pg_export_snapshot() AS id'))
        .rows[0]!.id;
      const dump = run('pg_dump', [
        '--format=custom',
        `--snapshot=${snapshot}`,
        `--file=${file}`,
        dbArg(options.sourceUrl),
      ]);
      sourceCounts = await tableCounts(source);
      await dump;
      await source.query('COMMIT');
    } finally {
      await source.end();
    }
    const dumpMs = performance.now() - started;
    const dumpBytes = (await stat(file)).size;
    log(`pg_dump: ${(dumpBytes / 1024).toFixed(0)} KiB in ${Math.round(dumpMs)} ms`);

    // 2. Restore into a fresh database (roles are cluster-wide: they exist on this server).
    const restoreStarted = performance.now();
    await admin.query(`CREATE DATABASE ${restoredDatabase}`);
    created = true;
    await run('pg_restore', ['--exit-on-error', '--single-transaction', dbArg(restoredUrl), file]);
    const restoreMs = performance.now() - restoreStarted;
    log(`pg_restore into ${restoredDatabase}: ${Math.round(restoreMs)} ms`);

    // 3. The copy holds what the source held, and the app can read it.
    const verifyStarted = performance.now();
    const restored = new pg.Client({ connectionString: restoredUrl });
    await restored.connect();
    const app = createDatabaseClient({ connectionString: restoredUrl, maxConnections: 2 });
    const tables: { name: string; rows: number }[] = [];
    const prepListsLoaded: { id: string; lines: number }[] = [];
    let vendorsRead = 0;
    try {
      const restoredCounts = await tableCounts(restored);
      for (const [name, rows] of sourceCounts) {
        tables.push({ name, rows });
        const copy = restoredCounts.get(name);
        if (copy !== rows)
          problems.push(`${name}: ${rows} rows in the source, ${copy ?? 'no table'} restored`);
      }
      for (const name of restoredCounts.keys()) {
        if (!sourceCounts.has(name)) problems.push(`${name}: restored but not in the source`);
      }

      // Every vendor's markets through the app role: RLS scopes the read to the vendor.
      const today = new Date().toISOString().slice(0, 10);
      const vendors = await restored.query<{ id: string; markets: string }>(
        `SELECT v.id, (SELECT count(*) FROM markets m WHERE m.vendor_id = v.id) AS markets
           FROM vendors v ORDER BY v.id`,
      );
      for (const vendor of vendors.rows) {
        const markets = await withTenant(app.prisma, vendor.id, (tx) =>
          new MarketsRepository(tx).listMarkets({ from: today, includeArchived: true }),
        );
        if (markets.length !== Number(vendor.markets)) {
          problems.push(
            `vendor ${vendor.id}: ${markets.length} markets read as the app, ${vendor.markets} stored`,
          );
        }
        vendorsRead += 1;
      }

      // The latest CURRENT prep lists load through the app's repository, every line included.
      const lists = await restored.query<{ id: string; vendor_id: string; lines: string }>(
        `SELECT r.id, r.vendor_id,
                (SELECT count(*) FROM recommendation_lines l WHERE l.recommendation_id = r.id) AS lines
           FROM recommendations r WHERE r.status = 'CURRENT'
          ORDER BY r.generated_at DESC LIMIT $1`,
        [options.maxPrepLists ?? 50],
      );
      for (const list of lists.rows) {
        const stored = await withTenant(app.prisma, list.vendor_id, (tx) =>
          new PrepListsRepository(tx).loadPrepList(list.id),
        );
        if (!stored) problems.push(`prep list ${list.id}: not readable as the app`);
        else if (stored.lines.length !== Number(list.lines)) {
          problems.push(
            `prep list ${list.id}: ${stored.lines.length} lines read, ${list.lines} stored`,
          );
        } else prepListsLoaded.push({ id: list.id, lines: stored.lines.length });
      }
    } finally {
      await app.close();
      await restored.end();
    }
    const verifyMs = performance.now() - verifyStarted;
    const totalRows = tables.reduce((sum, t) => sum + t.rows, 0);
    log(
      `verified in ${Math.round(verifyMs)} ms: ${tables.length} tables (${totalRows} rows), ` +
        `${vendorsRead} vendors' markets and ${prepListsLoaded.length} prep lists read as the app`,
    );
    return {
      restoredDatabase,
      dumpBytes,
      timings: { dumpMs, restoreMs, verifyMs },
      tables,
      vendorsRead,
      prepListsLoaded,
      problems,
    };
  } finally {
    if (created && !options.keep) {
      await admin.query(`DROP DATABASE IF EXISTS ${restoredDatabase} WITH (FORCE)`);
    }
    await admin.end();
    await rm(dir, { recursive: true, force: true });
  }
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const sourceArg = args.indexOf('--source');
  const sourceUrl = sourceArg >= 0 ? args[sourceArg + 1] : process.env.DATABASE_URL;
  if (!sourceUrl) {
    console.error(
      'backup drill: set DATABASE_URL or pass --source <postgresql://...> (a superuser URL)',
    );
    process.exit(2);
  }
  const report = await runBackupDrill({
    sourceUrl,
    keep: args.includes('--keep'),
    log: (line) => console.log(`[backup-drill] ${line}`),
  });
  if (report.problems.length > 0) {
    for (const problem of report.problems) console.error(`[backup-drill] DIFFERS: ${problem}`);
    process.exit(1);
  }
  console.log(
    `[backup-drill] OK${args.includes('--keep') ? ` (restored copy kept: ${report.restoredDatabase})` : ''}`,
  );
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  main().catch((error: unknown) => {
    console.error(
      `[backup-drill] failed: ${error instanceof Error ? error.message : String(error)}`,
    );
    process.exit(1);
  });
}
