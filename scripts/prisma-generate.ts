// `prisma generate` without network: generate never uses the schema engine, but the CLI insists on
// locating one and would try to download it. Pointing PRISMA_SCHEMA_ENGINE_BINARY at any existing
// file satisfies that check (DESIGN.md, "Prisma here"). Runs on postinstall and via `npm run db:generate`.
import { spawnSync } from 'node:child_process';
import { createRequire } from 'node:module';

const require = createRequire(import.meta.url);
const cli = require.resolve('prisma/build/index.js');
const result = spawnSync(process.execPath, [cli, 'generate'], {
  stdio: ['ignore', 'inherit', 'inherit'],
  env: {
    ...process.env,
    PRISMA_SCHEMA_ENGINE_BINARY: process.env.PRISMA_SCHEMA_ENGINE_BINARY ?? process.execPath,
    PRISMA_HIDE_UPDATE_MESSAGE: '1',
    CHECKPOINT_DISABLE: '1',
  },
});
process.exit(result.status ?? 1);
