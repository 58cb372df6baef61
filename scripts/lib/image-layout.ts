// The production image's file tree without a Docker engine (issue 16): replays the Dockerfile's
// stages after `build` (their COPY and RUN instructions, read from the Dockerfile itself, so the
// two cannot drift) into a directory, taking the `build` stage's /app from the repository after
// `npm run build`. The production smoke then runs the compiled apps from that tree: what the image
// holds is enough to run, and what it must not hold (sources, dev dependencies) is absent.
// Not replayed: the base image, USER and HEALTHCHECK (a `docker build` checks those, in the
// GitHub workflow).
import { spawnSync } from 'node:child_process';
import {
  chmodSync,
  cpSync,
  existsSync,
  mkdirSync,
  readFileSync,
  rmSync,
  statSync,
  writeFileSync,
} from 'node:fs';
import { homedir } from 'node:os';
import path from 'node:path';

export interface Instruction {
  keyword: string;
  args: string;
}

export interface Stage {
  name: string;
  instructions: Instruction[];
}

/** Stages of a Dockerfile with line continuations joined and comments dropped. */
export function parseDockerfile(text: string): Stage[] {
  const logical = text
    .replace(/\\\n/g, ' ')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'));
  const stages: Stage[] = [];
  for (const line of logical) {
    const [, keyword = '', args = ''] = /^(\S+)\s*(.*)$/.exec(line) ?? [];
    const upper = keyword.toUpperCase();
    if (upper === 'FROM') {
      const name = /\bAS\s+(\S+)/i.exec(args)?.[1] ?? String(stages.length);
      stages.push({ name, instructions: [] });
      continue;
    }
    const stage = stages.at(-1);
    if (!stage) throw new Error(`Dockerfile: ${keyword} before FROM`);
    stage.instructions.push({ keyword: upper, args });
  }
  return stages;
}

interface Layout {
  /** Where the last stage's WORKDIR (/app) was assembled. */
  appDir: string;
  /** The last stage's ENV. */
  env: Record<string, string>;
  /** The last stage's CMD as an argument list. */
  cmd: string[];
}

/**
 * Assembles the final stage's WORKDIR under `outDir`. `buildDir` stands for the `build` stage's
 * WORKDIR (the repository after `npm run build`). RUN steps get a private, hard-linked copy of the
 * npm cache (a stage's `npm cache clean` must not empty the machine's) and a no-op `chown` when
 * the image's user does not exist here.
 */
export function assembleImageLayout(options: {
  dockerfile: string;
  buildDir: string;
  outDir: string;
  log?: (line: string) => void;
}): Layout {
  const stages = parseDockerfile(readFileSync(options.dockerfile, 'utf8'));
  const [build, ...rest] = stages;
  if (build?.name !== 'build' || !build.instructions.some((i) => i.args === 'npm run build')) {
    throw new Error('Dockerfile: the first stage must be `build` and run `npm run build`');
  }
  rmSync(options.outDir, { recursive: true, force: true });
  const shims = path.join(options.outDir, '.shims');
  mkdirSync(shims, { recursive: true });
  if (spawnSync('id', ['node']).status !== 0) {
    writeFileSync(path.join(shims, 'chown'), '#!/bin/sh\nexit 0\n');
    chmodSync(path.join(shims, 'chown'), 0o755);
  }
  const npmCache = path.join(options.outDir, '.npm-cache');
  const machineCache = path.join(homedir(), '.npm', '_cacache');
  if (existsSync(machineCache)) {
    spawnSync('cp', ['-al', machineCache, path.join(npmCache, '_cacache')], { stdio: 'ignore' });
  }

  const dirOf = new Map<string, string>([['build', options.buildDir]]);
  let layout: Layout | undefined;
  for (const stage of rest) {
    const dir = path.join(options.outDir, stage.name);
    mkdirSync(dir, { recursive: true });
    dirOf.set(stage.name, dir);
    const env: Record<string, string> = {};
    let cmd: string[] = [];
    for (const { keyword, args } of stage.instructions) {
      if (keyword === 'WORKDIR' && args !== '/app') {
        throw new Error(`Dockerfile: stage ${stage.name} works in ${args}, the replay knows /app`);
      } else if (keyword === 'ENV') {
        for (const [, key = '', value = ''] of args.matchAll(/(\w+)=(\S+)/g)) env[key] = value;
      } else if (keyword === 'COPY') {
        copy(args, dir, dirOf, options.buildDir);
      } else if (keyword === 'RUN') {
        options.log?.(`[${stage.name}] RUN ${args.slice(0, 100)}`);
        const run = spawnSync('sh', ['-c', args], {
          cwd: dir,
          stdio: 'inherit',
          env: {
            ...process.env,
            ...env,
            PATH: `${shims}:${process.env.PATH ?? ''}`,
            npm_config_cache: npmCache,
            npm_config_prefer_offline: 'true',
          },
        });
        if (run.status !== 0) throw new Error(`Dockerfile: RUN failed in ${stage.name}: ${args}`);
      } else if (keyword === 'CMD') {
        cmd = JSON.parse(args) as string[];
      }
    }
    layout = { appDir: dir, env, cmd };
  }
  if (!layout) throw new Error('Dockerfile: no stage after build');
  return layout;
}

/** `COPY [--from=stage] src... dest` with Docker's meaning: a directory source copies its contents. */
function copy(args: string, dir: string, dirOf: Map<string, string>, context: string): void {
  const words = args.split(/\s+/);
  const from = words[0]?.startsWith('--from=') ? words.shift()?.slice('--from='.length) : undefined;
  const dest = words.pop();
  if (!dest || words.length === 0) throw new Error(`Dockerfile: COPY ${args}`);
  const fromDir = from === undefined ? context : dirOf.get(from);
  if (!fromDir) throw new Error(`Dockerfile: COPY --from=${from ?? ''}: no such stage before it`);
  const target = path.resolve(dir, dest.replace(/^\/app\/?/, ''));
  for (const source of words) {
    const src = path.join(fromDir, from === undefined ? source : source.replace(/^\/app\/?/, ''));
    if (!existsSync(src)) throw new Error(`Dockerfile: COPY ${source}: not found (${src})`);
    const into =
      dest.endsWith('/') && !statSync(src).isDirectory()
        ? path.join(target, path.basename(src))
        : target;
    mkdirSync(path.dirname(into), { recursive: true });
    cpSync(src, into, { recursive: true, verbatimSymlinks: true });
  }
}
