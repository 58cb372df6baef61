// `npm run db:migrate`: applies prisma/migrations to DATABASE_URL (a role that may own the schema).
import { MigrationError, migrate } from '../migrate/runner';
import { MIGRATIONS_DIR } from '../paths';

const url = process.env.DATABASE_URL;
if (!url) {
  console.error(
    'DATABASE_URL is not set: point it at the database to migrate (npm start migrates the embedded one by itself).',
  );
  process.exit(1);
}
try {
  const result = await migrate({
    connectionString: url,
    migrationsDir: MIGRATIONS_DIR,
    log: (m) => console.log(m),
  });
  console.log(
    result.applied.length
      ? `Applied ${result.applied.length} migration(s); ${result.alreadyApplied.length} were already applied.`
      : `Database is up to date (${result.alreadyApplied.length} migrations).`,
  );
} catch (error) {
  console.error(
    error instanceof MigrationError
      ? error.message
      : `Migration failed: ${(error as Error).message}`,
  );
  process.exit(1);
}
