import { createHash } from 'node:crypto';
import { existsSync, readFileSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

// Directories that hold build output, installed packages or browser tests: none of them is an input
// of `next build`, and `.next` changes on every build.
const IGNORED_DIRECTORIES = new Set(['node_modules', '.next', 'e2e', 'test-results']);

/**
 * Whether a file under a hashed source root is written by a build rather than by a person, so it
 * must not count as a source: `next build` (re)writes `next-env.d.ts`, and `tsc -b` writes
 * `*.tsbuildinfo`. Counting them made every second `npm start` rebuild an unchanged web app.
 */
export function isGeneratedWebFile(relativePath: string): boolean {
  const parts = relativePath.split(/[\\/]/);
  const name = parts.at(-1) ?? '';
  if (parts.some((part) => IGNORED_DIRECTORIES.has(part))) return true;
  return name === 'next-env.d.ts' || name.endsWith('.tsbuildinfo');
}

/**
 * A SHA-256 over the path and content of every source file under `roots` (generated files left
 * out, see `isGeneratedWebFile`) and over each of `files`, in a stable order: equal hashes mean the
 * web build's inputs did not change.
 */
export function hashWebSources(options: {
  rootDir: string;
  roots: string[];
  files: string[];
}): string {
  const hash = createHash('sha256');
  const walk = (dir: string) => {
    if (!existsSync(dir)) return;
    for (const entry of readdirSync(dir).sort()) {
      const full = path.join(dir, entry);
      const relative = path.relative(options.rootDir, full);
      if (isGeneratedWebFile(relative)) continue;
      if (statSync(full).isDirectory()) walk(full);
      else hash.update(relative).update(readFileSync(full));
    }
  };
  for (const root of options.roots) walk(path.join(options.rootDir, root));
  for (const file of options.files) hash.update(readFileSync(path.join(options.rootDir, file)));
  return hash.digest('hex');
}
