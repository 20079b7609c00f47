#!/usr/bin/env node
// Distributed mode on one machine: builds the four apps and starts each as its
// own process against NATS_URL and DATABASE_URL, as docker-compose.yml does.
// Each output line is prefixed with the app's name; SIGINT/SIGTERM stop them all.
// NATS_URL and DATABASE_URL default to a NATS and a PostgreSQL on this machine (said when used);
// the database DATABASE_URL names is created when it does not exist yet.
// With IAM_NATS_CREDENTIALS_DIR (the folder `npm run nats-config` wrote, its NATS started with its
// nats-server.conf), each app connects with its own seed, <dir>/seeds/<app>.nk.
import { execFileSync, spawn } from 'node:child_process';
import { createRequire } from 'node:module';
import { connect } from 'node:net';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const apps = ['identity', 'directory', 'authorization', 'gateway'];
const DEFAULTS = { NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/iam' };
const env = { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' };
for (const [name, value] of Object.entries(DEFAULTS)) {
  if (!env[name]) {
    env[name] = value;
    console.error(`${name} is not set: using ${value}`);
  }
}
const require = createRequire(import.meta.url);

// The URL without its password, to print: the apps' own implementation, loaded as TypeScript.
require(require.resolve('@swc-node/register', { paths: [root] }));
const { urlWithoutPassword: shown } = require(join(root, 'libs/platform/src/lib/url-without-password.ts'));

function fail(line) {
  console.error(`start:services: ${line}`);
  process.exit(1);
}

/** Fails in one line unless something accepts TCP connections at the NATS URL's host and port. */
async function checkNats(value) {
  let url;
  try {
    url = new URL(value);
  } catch {
    fail(`NATS_URL must be a nats:// URL, e.g. ${DEFAULTS.NATS_URL} (got '${value}')`);
  }
  await new Promise((done) => {
    const socket = connect({ host: url.hostname.replace(/^\[|\]$/g, ''), port: Number(url.port || 4222), timeout: 3_000 });
    socket.once('connect', () => {
      socket.destroy();
      done();
    });
    const refuse = () => fail(`NATS is not answering at ${shown(value)}: start it (nats-server -js) or set NATS_URL to where it runs.`);
    socket.once('timeout', refuse);
    socket.once('error', refuse);
  });
}

/** Creates the database DATABASE_URL names when the server has none of that name. */
async function ensureDatabase(value) {
  const { Client } = require(require.resolve('pg', { paths: [root] }));
  const url = new URL(value);
  const name = decodeURIComponent(url.pathname.slice(1)) || url.username || 'postgres';
  const maintenance = new URL(value);
  maintenance.pathname = '/postgres';
  const client = new Client({ connectionString: maintenance.toString() });
  try {
    await client.connect();
  } catch (error) {
    if (error.code === '28P01' || error.code === '28000') fail(`PostgreSQL refused the user in DATABASE_URL (${shown(value)}): check its user name and password.`);
    fail(`PostgreSQL is not answering at ${shown(value)} (${error.code ?? error.message}): start it or set DATABASE_URL to where it runs.`);
  }
  try {
    const found = await client.query('SELECT 1 FROM pg_database WHERE datname = $1', [name]);
    if (found.rowCount === 0) {
      const quoted = `"${name.replace(/"/g, '""')}"`;
      await client.query(`CREATE DATABASE ${quoted}`);
      console.error(`Created the database ${name} named in DATABASE_URL.`);
    }
  } catch (error) {
    if (error.code !== '42P04') fail(`The database ${name} named in DATABASE_URL does not exist and could not be created (${error.message}): create it (createdb ${name}) or name an existing one.`);
  } finally {
    await client.end();
  }
}

await checkNats(env.NATS_URL);
await ensureDatabase(env.DATABASE_URL);

const nx = require.resolve('nx/bin/nx', { paths: [root] });
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
