// `npm run db:seed`: seeds the demo vendor into DATABASE_URL when it has no users yet. Refuses to
// run with NODE_ENV=production: demo data must never land in a real vendor's database.
import { createDatabaseClient } from '../client';
import { DEMO_LOGIN, seedDemoVendor } from '../seed/seed-demo';

const url = process.env.DATABASE_URL;
if (process.env.NODE_ENV === 'production') {
  console.error('Refusing to seed demo data with NODE_ENV=production.');
  process.exit(1);
}
if (!url) {
  console.error(
    'DATABASE_URL is not set: point it at a development database (npm start seeds the embedded one by itself).',
  );
  process.exit(1);
}
const db = createDatabaseClient({
  connectionString: url,
  maxConnections: 2,
  statementTimeoutMs: 180_000,
});
try {
  const today = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/Chicago' }).format(
    new Date(),
  );
  const result = await seedDemoVendor({ prisma: db.prisma, today, now: new Date() });
  if (result.seeded) {
    console.log(`Seeded the demo vendor ${result.vendorId}:`, result.counts);
    console.log(`Demo login: ${DEMO_LOGIN.email} / ${DEMO_LOGIN.password}`);
  } else {
    console.log(
      result.reason === 'already-seeded'
        ? 'The demo vendor is already there; nothing to do.'
        : 'The database already has users: not seeding demo data into it.',
    );
  }
} finally {
  await db.close();
}
