import { spawn } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { REPO_ROOT } from './paths';

// A process that started and stopped an embedded cluster must exit with its own code: the
// package's exit hooks once turned a passing `npm test` (on the embedded fallback) into exit 1
// and a failing one into exit 0.
async function runWithCluster(
  dir: string,
  exitCode: number,
): Promise<{ code: number | null; stderr: string }> {
  const script = path.join(dir, `exit-${exitCode}.mts`);
  await writeFile(
    script,
    `const { startEmbeddedPostgres } = await import(${JSON.stringify(path.join(REPO_ROOT, 'packages/db/src/embedded.ts'))});
const cluster = await startEmbeddedPostgres({ dataDir: ${JSON.stringify(path.join(dir, 'data'))}, database: 'exit_code' });
await cluster.stop();
process.exitCode = ${exitCode};
`,
  );
  return new Promise((resolve) => {
    const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), [script], {
      cwd: REPO_ROOT,
      stdio: ['ignore', 'ignore', 'pipe'],
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('exit', (code) => resolve({ code, stderr }));
  });
}

describe('embedded PostgreSQL', () => {
  it('leaves the exit code to the process that used it, on a port the OS handed out', async () => {
    const dir = await mkdtemp(path.join(tmpdir(), 'marketprep-embedded-exit-'));
    try {
      const passing = await runWithCluster(dir, 0);
      expect(passing.stderr).not.toContain('done is not a function');
      expect(passing.code).toBe(0);
      const failing = await runWithCluster(dir, 3);
      expect(failing.code).toBe(3);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
