#!/usr/bin/env node
// `npm start`: runs the embedded default from its build, building it first only when the
// sources or the build's configuration changed since the build on disk was made. The build
// records a hash of its inputs beside main.js; a start whose inputs hash the same reuses it.
//
//   node tools/start.mjs [args for dist/apps/standalone/main.js]
//   IAM_REBUILD=1 node tools/start.mjs   # build even when the build is current
import { execFileSync, spawn } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const build = join(root, 'dist/apps/standalone');
const main = join(build, 'main.js');
const recorded = join(build, '.inputs-hash');

/** What the standalone build is made of: the apps it bundles, every library, the build's configuration. */
const INPUT_FOLDERS = ['apps/standalone', 'apps/console', 'libs'];
const INPUT_FILES = ['package.json', 'package-lock.json', 'nx.json', 'tsconfig.base.json'];
const SKIPPED_FOLDERS = new Set(['node_modules', 'dist', 'coverage', '.nx', 'bench', 'spec-support', 'test-support']);
const isSpec = (name) => /\.(spec|test|e2e\.spec)\.[cm]?[jt]sx?$/.test(name) || name.endsWith('.md');

function filesUnder(folder) {
  const found = [];
  if (!existsSync(folder)) return found;
  for (const entry of readdirSync(folder, { withFileTypes: true })) {
    const path = join(folder, entry.name);
    if (entry.isDirectory()) {
      if (!SKIPPED_FOLDERS.has(entry.name)) found.push(...filesUnder(path));
    } else if (entry.isFile() && !isSpec(entry.name)) {
      found.push(path);
    }
  }
  return found;
}

/** A hash of every input's path and content, in a stable order. */
function inputsHash() {
  const files = [...INPUT_FOLDERS.flatMap((folder) => filesUnder(join(root, folder))), ...INPUT_FILES.map((file) => join(root, file)).filter((file) => existsSync(file))];
  const hash = createHash('sha256');
  for (const file of files.map((f) => relative(root, f)).sort()) {
    hash.update(file).update('\0').update(readFileSync(join(root, file))).update('\0');
  }
  return hash.digest('hex');
}

function buildIsCurrent(hash) {
  return existsSync(main) && existsSync(recorded) && readFileSync(recorded, 'utf8').trim() === hash && statSync(main).size > 0;
}

const hash = inputsHash();
if (!process.env.IAM_REBUILD && buildIsCurrent(hash)) {
  process.stderr.write(`Starting from the current build in ${relative(root, build)} (sources unchanged since it was built).\n`);
} else {
  process.stderr.write(`Building the embedded default (${existsSync(main) ? 'sources changed since the last build' : 'no build yet'})...\n`);
  const nx = createRequire(import.meta.url).resolve('nx/bin/nx', { paths: [root] });
  try {
    execFileSync(process.execPath, [nx, 'build', 'standalone', '--outputStyle=static'], {
      cwd: root,
      stdio: ['ignore', 'inherit', 'inherit'],
      env: { NX_DAEMON: 'false', NX_NO_CLOUD: 'true', ...process.env },
    });
  } catch {
    process.stderr.write('iam: the build failed (its errors are above); fix them and run npm start again.\n');
    process.exit(1);
  }
  writeFileSync(recorded, `${hash}\n`);
}

const child = spawn(process.execPath, [main, ...process.argv.slice(2)], { cwd: root, stdio: 'inherit' });
for (const signal of ['SIGINT', 'SIGTERM', 'SIGHUP']) {
  process.on(signal, () => {
    if (child.exitCode === null) child.kill(signal);
  });
}
child.on('exit', (code, signal) => process.exit(code ?? (signal ? 1 : 0)));
