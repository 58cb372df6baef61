// `npm run build:server`: the API, the worker and the migration runner as JavaScript bundles that
// `node` runs (no tsx in production). The workspace packages ship TypeScript sources, so they are
// bundled in; everything installed under the root node_modules stays an import (native addons,
// Prisma's engine files, pino's transports keep working, and the image installs them with
// `npm ci --omit=dev`). A dependency nested under one package's node_modules (another version
// than the root one) is bundled, since the bundle would otherwise load the root version.
import { readFileSync, readdirSync } from 'node:fs';
import { copyFile, mkdir, rm } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build, type Plugin } from 'esbuild';

const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const ROOT_MODULES = path.join(ROOT, 'node_modules') + path.sep;

/** Bare imports that resolve into the root node_modules stay imports; the rest is bundled. */
const externalizeInstalled: Plugin = {
  name: 'externalize-installed',
  setup(build) {
    build.onResolve({ filter: /^[^./]/ }, async (args) => {
      if (args.pluginData === 'inner' || args.path.startsWith('node:')) return undefined;
      const resolved = await build.resolve(args.path, {
        kind: args.kind,
        resolveDir: args.resolveDir,
        importer: args.importer,
        pluginData: 'inner',
      });
      if (resolved.errors.length > 0) return { errors: resolved.errors };
      const inRootModules =
        resolved.path.startsWith(ROOT_MODULES) &&
        !resolved.path.slice(ROOT_MODULES.length).includes(`${path.sep}node_modules${path.sep}`);
      return inRootModules ? { path: args.path, external: true } : resolved;
    });
  },
};

/**
 * Tasks that run on a worker thread (`runOffThread`, @marketprep/planning) are loaded by URL beside the importing
 * module: `new URL('./x.task.ts', import.meta.url)`. Each task is its own entry point written next
 * to the bundle, and the URL is rewritten to the `.js` it becomes.
 */
const compiledTaskUrls: Plugin = {
  name: 'compiled-task-urls',
  setup(build) {
    build.onLoad({ filter: /\.ts$/ }, async (args) => {
      if (args.path.includes(`${path.sep}node_modules${path.sep}`)) return undefined;
      const { readFile } = await import('node:fs/promises');
      const source = await readFile(args.path, 'utf8');
      if (!source.includes(".task.ts'")) return undefined;
      return {
        contents: source.replace(/(new URL\('\.\/[\w.-]+\.task)\.ts'/g, "$1.js'"),
        loader: 'ts',
      };
    });
  },
};

function taskEntries(dir: string): { in: string; out: string }[] {
  return readdirSync(path.join(ROOT, dir), { recursive: true, encoding: 'utf8' })
    .filter((file) => file.endsWith('.task.ts'))
    .map((file) => ({ in: path.join(dir, file), out: path.basename(file, '.ts') }));
}

const TARGETS = [
  {
    name: 'api',
    outdir: 'apps/api/dist',
    entryPoints: [{ in: 'apps/api/src/server.ts', out: 'server' }, ...taskEntries('apps/api/src')],
    // The worker thread's boot file is loaded by URL beside the bundle (@marketprep/planning's
    // off-thread.ts).
    copy: ['packages/planning/src/off-thread-boot.mjs'],
  },
  {
    name: 'worker',
    outdir: 'apps/worker/dist',
    entryPoints: [
      { in: 'apps/worker/src/main.ts', out: 'main' },
      ...taskEntries('apps/worker/src'),
    ],
    copy: ['packages/planning/src/off-thread-boot.mjs'],
  },
  {
    // Three levels below the repository root, like its source, so it finds prisma/migrations.
    name: 'migrate',
    outdir: 'packages/db/dist',
    entryPoints: [{ in: 'packages/db/src/cli/migrate.ts', out: 'migrate' }],
    copy: [],
  },
];

const started = Date.now();
for (const target of TARGETS) {
  const outdir = path.join(ROOT, target.outdir);
  await rm(outdir, { recursive: true, force: true });
  await mkdir(outdir, { recursive: true });
  const result = await build({
    absWorkingDir: ROOT,
    entryPoints: target.entryPoints,
    outdir,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'esm',
    sourcemap: true,
    metafile: true,
    logLevel: 'warning',
    // CommonJS code bundled into an ES module still calls require() for node built-ins.
    banner: {
      js: "import { createRequire as __createRequire } from 'node:module'; const require = __createRequire(import.meta.url);",
    },
    plugins: [externalizeInstalled, compiledTaskUrls],
  });
  // An import esbuild resolves to nothing would be undefined at run time: a broken bundle.
  const undefinedImports = result.warnings.filter((w) => w.id === 'import-is-undefined');
  if (undefinedImports.length > 0) {
    throw new Error(`${target.name}: ${undefinedImports.map((w) => w.text).join('; ')}`);
  }
  // A task URL left pointing at TypeScript would need tsx, which the image does not have.
  const stale = Object.keys(result.metafile.outputs).filter(
    (file) =>
      file.endsWith('.js') && readFileSync(path.join(ROOT, file), 'utf8').includes(".task.ts'"),
  );
  if (stale.length > 0) throw new Error(`${stale.join(', ')} still load a .task.ts module`);
  for (const file of target.copy) {
    await copyFile(path.join(ROOT, file), path.join(outdir, path.basename(file)));
  }
  const bytes = Object.entries(result.metafile.outputs)
    .filter(([file]) => file.endsWith('.js'))
    .reduce((sum, [, output]) => sum + output.bytes, 0);
  console.log(
    `built ${target.name}: ${target.outdir} (${(bytes / 1024).toFixed(0)} KB of JavaScript)`,
  );
}
console.log(`server build done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
