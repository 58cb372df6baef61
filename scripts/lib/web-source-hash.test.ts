import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { hashWebSources, isGeneratedWebFile } from './web-source-hash';

describe('isGeneratedWebFile', () => {
  it.each([
    'apps/web/next-env.d.ts',
    'apps/web/tsconfig.tsbuildinfo',
    'apps/web/.next/BUILD_ID',
    'apps/web/.next/cache/webpack/x.pack',
    'apps/web/node_modules/.bin/next',
    'apps/web/e2e/check-in.spec.ts',
  ])('leaves out %s', (file) => {
    expect(isGeneratedWebFile(file)).toBe(true);
  });

  it.each([
    'apps/web/next.config.ts',
    'apps/web/src/app/page.tsx',
    'apps/web/src/types/env.d.ts',
    'packages/contracts/src/index.ts',
  ])('counts %s', (file) => {
    expect(isGeneratedWebFile(file)).toBe(false);
  });
});

describe('hashWebSources', () => {
  let rootDir: string;
  const hash = () => hashWebSources({ rootDir, roots: ['apps/web'], files: ['package-lock.json'] });
  const write = (file: string, content: string) => {
    mkdirSync(path.dirname(path.join(rootDir, file)), { recursive: true });
    writeFileSync(path.join(rootDir, file), content);
  };

  beforeEach(() => {
    rootDir = mkdtempSync(path.join(tmpdir(), 'web-source-hash-'));
    write('package-lock.json', '{}');
    write('apps/web/src/app/page.tsx', 'export default 1;');
    write('apps/web/next-env.d.ts', '/// <reference types="next" />');
  });
  afterEach(() => rmSync(rootDir, { recursive: true, force: true }));

  it('does not change when next build rewrites its generated files', () => {
    const before = hash();
    write(
      'apps/web/next-env.d.ts',
      '/// <reference types="next" />\nimport "./.next/types/routes.d.ts";',
    );
    write('apps/web/tsconfig.tsbuildinfo', '{"version":"5"}');
    write('apps/web/.next/BUILD_ID', 'abc');
    expect(hash()).toBe(before);
  });

  it('changes when a source file, a new file or the lockfile changes', () => {
    const before = hash();
    write('apps/web/src/app/page.tsx', 'export default 2;');
    const afterEdit = hash();
    expect(afterEdit).not.toBe(before);
    write('apps/web/src/app/icon.svg', '<svg/>');
    const afterAdd = hash();
    expect(afterAdd).not.toBe(afterEdit);
    write('package-lock.json', '{"lockfileVersion":3}');
    expect(hash()).not.toBe(afterAdd);
  });
});
