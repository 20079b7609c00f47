#!/usr/bin/env node
// Distributed mode on one machine: builds the four apps and starts each as its
// own process against NATS_URL and DATABASE_URL, as docker-compose.yml does.
// Each output line is prefixed with the app's name; SIGINT/SIGTERM stop them all.
// With IAM_NATS_CREDENTIALS_DIR (the folder `npm run nats-config` wrote, its NATS started with its
// nats-server.conf), each app connects with its own seed, <dir>/seeds/<app>.nk.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apps = ['identity', 'directory', 'authorization', 'gateway'];
const env = {
  NATS_URL: 'nats://127.0.0.1:4222',
  DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
  ...process.env,
  NX_DAEMON: 'false',
  NX_NO_CLOUD: 'true',
};

const nx = createRequire(import.meta.url).resolve('nx/bin/nx', { paths: [root] });
execFileSync(process.execPath, [nx, 'run-many', '-t', 'build', '-p', ...apps, '--outputStyle=static'], {
  cwd: root,
  stdio: 'inherit',
  env,
});

console.error(`Starting ${apps.join(', ')} with NATS_URL=${env.NATS_URL}`);
const children = apps.map((app) => {
  const credentials = env.IAM_NATS_CREDENTIALS_DIR ? { IAM_NATS_NKEY_SEED_FILE: join(env.IAM_NATS_CREDENTIALS_DIR, 'seeds', `${app}.nk`) } : {};
  const child = spawn(process.execPath, [join(root, 'dist/apps', app, 'main.js')], { cwd: root, env: { ...env, ...credentials }, stdio: ['ignore', 'pipe', 'pipe'] });
  const prefix = (stream, out) => {
    let rest = '';
    stream.on('data', (chunk) => {
      const lines = (rest + chunk).split('\n');
      rest = lines.pop();
      for (const line of lines) out.write(`${app.padEnd(13)} | ${line}\n`);
    });
  };
  prefix(child.stdout, process.stdout);
  prefix(child.stderr, process.stderr);
  child.on('exit', (code, signal) => {
    console.error(`${app} exited (${signal ?? code})`);
    if (!stopping) stop('SIGTERM');
  });
  return child;
});

let stopping = false;
function stop(signal) {
  stopping = true;
  for (const child of children) if (child.exitCode === null) child.kill(signal);
}
process.on('SIGINT', () => stop('SIGTERM'));
process.on('SIGTERM', () => stop('SIGTERM'));
