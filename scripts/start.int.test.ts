import { spawn } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '@marketprep/db';
import { freePorts as freeTcpPorts } from '@marketprep/db/ports';
import { createTestDatabase } from '@marketprep/db/testing';
import pg from 'pg';
import { describe, expect, it } from 'vitest';

// The launcher's refusals: one line that names the variable to change, a non-zero exit, and no
// stack trace. (The happy path, which builds and serves the whole app, is exercised by CI's
// browser tests and timed in the closing notes, not here.)

function runStart(
  env: Record<string, string>,
): Promise<{ code: number | null; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    const child = spawn(path.join(REPO_ROOT, 'node_modules', '.bin', 'tsx'), ['scripts/start.ts'], {
      cwd: REPO_ROOT,
      env: { PATH: process.env.PATH ?? '', HOME: process.env.HOME ?? '/tmp', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    child.on('exit', (code) => resolve({ code, stdout, stderr }));
  });
}

async function occupyPort(): Promise<{ port: number; close(): Promise<void> }> {
  const server = net.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as net.AddressInfo;
  return { port, close: () => new Promise((resolve) => server.close(() => resolve())) };
}

/** Ports the OS has just handed out and that nothing listens on now, as strings for the env. */
async function freePorts(count: number): Promise<string[]> {
  return (await freeTcpPorts(count)).map(String);
}

describe('npm start refuses clearly', () => {
  it('exits non-zero with one line naming DATABASE_URL and the host when it cannot connect', async () => {
    const [apiPort, webPort] = await freePorts(2);
    const result = await runStart({
      DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/nowhere',
      API_PORT: apiPort!,
      WEB_PORT: webPort!,
    });
    expect(result.code).not.toBe(0);
    const lines = result.stderr.trim().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain('DATABASE_URL');
    expect(lines[0]).toContain('127.0.0.1:9');
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });

  it('names the port and the variable when a port is taken', async () => {
    const taken = await occupyPort();
    try {
      const result = await runStart({
        WEB_PORT: String(taken.port),
        API_PORT: (await freePorts(1))[0]!,
        DATABASE_URL: 'postgresql://postgres@127.0.0.1:9/x',
      });
      expect(result.code).not.toBe(0);
      expect(result.stderr.trim().split('\n')).toEqual([
        expect.stringContaining(`Port ${taken.port} (WEB_PORT) is already in use`),
      ]);
    } finally {
      await taken.close();
    }
  });

  it('rejects a port that is not a number', async () => {
    const result = await runStart({ API_PORT: 'eighty' });
    expect(result.code).not.toBe(0);
    expect(result.stderr).toContain('API_PORT must be a port number');
  });

  it('names the migration whose file changed after it was applied', async () => {
    const db = await createTestDatabase();
    try {
      const admin = new pg.Client({ connectionString: db.adminUrl });
      await admin.connect();
      const { rows } = await admin.query<{ migration_name: string }>(
        `UPDATE "_prisma_migrations" SET checksum = repeat('0', 64)
         WHERE migration_name = (SELECT min(migration_name) FROM "_prisma_migrations") RETURNING migration_name`,
      );
      await admin.end();
      const [apiPort, webPort] = await freePorts(2);
      const result = await runStart({
        DATABASE_URL: db.adminUrl,
        API_PORT: apiPort!,
        WEB_PORT: webPort!,
      });
      expect(result.code).not.toBe(0);
      const lines = result.stderr.trim().split('\n');
      expect(lines).toHaveLength(1);
      expect(lines[0]).toContain(rows[0]!.migration_name);
      expect(lines[0]).toContain('changed after it was applied');
    } finally {
      await db.drop();
    }
  });
});
