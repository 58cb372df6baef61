import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { assembleImageLayout, parseDockerfile } from './image-layout';

const dirs: string[] = [];
const scratch = () => {
  const dir = mkdtempSync(path.join(tmpdir(), 'image-layout-'));
  dirs.push(dir);
  return dir;
};
afterEach(() => {
  for (const dir of dirs.splice(0)) rmSync(dir, { recursive: true, force: true });
});

const put = (file: string, text: string) => {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(file, text);
};

describe('the Dockerfile replay', () => {
  it("reads the repository's Dockerfile as build, prod-deps and a runtime that runs the API", () => {
    const stages = parseDockerfile(
      readFileSync(path.join(import.meta.dirname, '../../Dockerfile'), 'utf8'),
    );
    expect(stages.map((s) => s.name)).toEqual(['build', 'prod-deps', 'runtime']);
    const runtime = stages[2]?.instructions ?? [];
    expect(runtime.find((i) => i.keyword === 'CMD')?.args).toContain('apps/api/dist/server.js');
    expect(runtime.some((i) => i.keyword === 'USER' && i.args === 'node')).toBe(true);
    // A continued RUN line is one instruction.
    const install = stages[1]?.instructions.find((i) => i.keyword === 'RUN')?.args ?? '';
    expect(install).toContain('npm install --omit=dev');
    expect(install).toContain('npm cache clean --force');
  });

  it('copies with Docker’s meaning across stages and runs RUN in the stage’s /app', () => {
    const repo = scratch();
    put(path.join(repo, 'apps/api/dist/server.js'), 'server');
    put(path.join(repo, 'apps/api/src/app.ts'), 'source');
    put(path.join(repo, 'package.json'), '{}');
    put(
      path.join(repo, 'Dockerfile'),
      [
        'FROM node AS build',
        'WORKDIR /app',
        'RUN npm run build',
        'FROM node AS deps',
        'WORKDIR /app',
        'COPY --from=build /app/package.json ./',
        'RUN mkdir -p node_modules/lib \\',
        ' && echo made > node_modules/lib/index.js',
        'FROM node AS runtime',
        'WORKDIR /app',
        'ENV NODE_ENV=production',
        'COPY --from=deps /app/node_modules node_modules',
        'COPY --from=build /app/apps/api/dist apps/api/dist',
        'COPY --from=build /app/package.json apps/api/',
        'CMD ["node", "apps/api/dist/server.js"]',
      ].join('\n'),
    );
    const out = path.join(scratch(), 'image');
    const layout = assembleImageLayout({
      dockerfile: path.join(repo, 'Dockerfile'),
      buildDir: repo,
      outDir: out,
    });
    expect(layout.cmd).toEqual(['node', 'apps/api/dist/server.js']);
    expect(layout.env).toEqual({ NODE_ENV: 'production' });
    const app = layout.appDir;
    expect(readFileSync(path.join(app, 'node_modules/lib/index.js'), 'utf8').trim()).toBe('made');
    expect(readFileSync(path.join(app, 'apps/api/dist/server.js'), 'utf8')).toBe('server');
    expect(existsSync(path.join(app, 'apps/api/package.json'))).toBe(true);
    // Only what a COPY names reaches the image.
    expect(existsSync(path.join(app, 'apps/api/src'))).toBe(false);
    expect(existsSync(path.join(app, 'package.json'))).toBe(false);
  });

  it('fails on a COPY of something the build does not have', () => {
    const repo = scratch();
    put(
      path.join(repo, 'Dockerfile'),
      'FROM node AS build\nRUN npm run build\nFROM node AS runtime\nWORKDIR /app\nCOPY --from=build /app/apps/web/.next/standalone ./\n',
    );
    expect(() =>
      assembleImageLayout({
        dockerfile: path.join(repo, 'Dockerfile'),
        buildDir: repo,
        outDir: path.join(scratch(), 'image'),
      }),
    ).toThrow(/COPY \/app\/apps\/web\/.next\/standalone: not found/);
  });
});
