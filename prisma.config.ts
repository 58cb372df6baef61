// Prisma CLI configuration. Migrations here are SQL applied by packages/db's own runner (the schema
// engine `prisma migrate` needs cannot be downloaded on our machines); `prisma generate` only needs
// the schema. Where the engine is available, `prisma migrate status` reads the same bookkeeping.
import { defineConfig } from 'prisma/config';

export default defineConfig({
  schema: 'prisma/schema.prisma',
  migrations: { path: 'prisma/migrations' },
  datasource: {
    url: process.env.DATABASE_URL ?? 'postgresql://postgres@127.0.0.1:5432/marketprep',
  },
});
