import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root (packages/db/src -> ../../..). */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../..');

/** prisma/migrations in this checkout. */
export const MIGRATIONS_DIR = path.join(REPO_ROOT, 'prisma', 'migrations');
