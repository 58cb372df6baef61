import type { PrismaClient } from './generated/prisma/client';

/** Result of a readiness probe against PostgreSQL. */
export interface DatabaseCheck {
  ok: boolean;
  latencyMs: number;
  error?: string;
}

/** Runs `SELECT 1` as the app role, bounded by `timeoutMs` so a frozen server cannot hang a probe. */
export async function checkDatabase(
  prisma: PrismaClient,
  timeoutMs = 2_000,
): Promise<DatabaseCheck> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  try {
    await Promise.race([
      prisma.$queryRaw`SELECT 1`,
      new Promise((_, reject) => {
        timer = setTimeout(() => reject(new Error(`no answer within ${timeoutMs} ms`)), timeoutMs);
      }),
    ]);
    return { ok: true, latencyMs: Math.round(performance.now() - started) };
  } catch (error) {
    return {
      ok: false,
      latencyMs: Math.round(performance.now() - started),
      error: error instanceof Error ? error.message.split('\n')[0] : 'unknown error',
    };
  } finally {
    clearTimeout(timer);
  }
}
