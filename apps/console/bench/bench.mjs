// The web console at scale, in Debian's Chromium: with 3,000 users in 100 groups (seeded by
// tools/seed.mjs, as `npm run seed` does), how long the users list, a user page and the who-can
// view take to show, signed in as an administrator (AdministratorAccess, so every permission
// check goes through the policy engine). Starts the embedded default (dist/apps/standalone) on a
// free port with its own data folder, and writes the figures into the `## Web console` section of
// docs/benchmarks.md (that section only). Timings are measured, never asserted.
//
//   NX_DAEMON=false NX_NO_CLOUD=true npx --no-install nx bench console
//   BENCH_USERS=300 BENCH_GROUPS=10 ... for a quick try (nothing is written then)
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import os from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { createRequire } from 'node:module';
import { seed, userName } from '../../../tools/seed.mjs';

const require = createRequire(import.meta.url);
const { chromium } = require('playwright-core');
const { IAMClient, AddUserToGroupCommand, AttachGroupPolicyCommand, CreateGroupCommand, CreateLoginProfileCommand, CreateUserCommand } = require('@aws-sdk/client-iam');

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..', '..');
const COMMAND = 'NX_DAEMON=false NX_NO_CLOUD=true npx --no-install nx bench console';
const USERS = Number(process.env.BENCH_USERS ?? 3000);
const GROUPS = Number(process.env.BENCH_GROUPS ?? 100);
const RUNS = Number(process.env.BENCH_RUNS ?? 7);
const FULL = USERS === 3000 && GROUPS === 100;
// One call at a time by default: the embedded PostgreSQL must not see interleaved writes from many clients.
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 1);
const CHROMIUM = process.env.IAM_CHROMIUM ?? '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run', '--disable-background-networking', '--disable-component-update', '--disable-sync'];

function freePort() {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once('error', fail);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => done(port));
    });
  });
}

async function waitForHealth(base, ms) {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    try {
      if ((await fetch(`${base}/health`)).status === 200) return;
    } catch {
      // not yet
    }
    await new Promise((r) => setTimeout(r, 250));
  }
  throw new Error(`${base} never became healthy`);
}

const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[(s.length - 1) / 2] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const fmt = (ms) => `${Math.round(ms)} ms`;

async function main() {
  if (!existsSync(join(root, 'dist/apps/standalone/main.js'))) throw new Error('build first: npx nx build standalone');
  const dataDir = mkdtempSync(join(os.tmpdir(), 'iam-console-bench-'));
  const port = await freePort();
  const base = `http://127.0.0.1:${port}`;
  const rootPassword = `Root-${Date.now()}-Pw1!`;
  const app = spawn(process.execPath, [join(root, 'dist/apps/standalone/main.js')], {
    env: { ...process.env, PORT: String(port), HOST: '127.0.0.1', IAM_DATA_DIR: dataDir, IAM_ROOT_PASSWORD: rootPassword, LOG_LEVEL: 'warn', DATABASE_URL: '', NATS_URL: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '' },
    stdio: ['ignore', 'ignore', 'inherit'],
  });
  let browser;
  try {
    await waitForHealth(base, 180_000);
    const credentials = JSON.parse(readFileSync(join(dataDir, 'root-credentials.json'), 'utf8'));
    const seeded = await seed({ endpoint: base, credentials, users: USERS, groups: GROUPS, concurrency: SEED_CONCURRENCY, log: (l) => process.stderr.write(`seed: ${l}\n`) });
    process.stderr.write(`seeded in ${(seeded.ms / 1000).toFixed(0)} s\n`);

    const iam = new IAMClient({ endpoint: base, region: 'us-east-1', credentials });
    const adminPassword = 'Bench-Admin-Passw0rd!';
    await iam.send(new CreateGroupCommand({ GroupName: 'admins' }));
    await iam.send(new AttachGroupPolicyCommand({ GroupName: 'admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' }));
    await iam.send(new CreateUserCommand({ UserName: 'bench-admin' }));
    await iam.send(new CreateLoginProfileCommand({ UserName: 'bench-admin', Password: adminPassword, PasswordResetRequired: false }));
    await iam.send(new AddUserToGroupCommand({ GroupName: 'admins', UserName: 'bench-admin' }));
    iam.destroy();

    const profile = mkdtempSync(join(os.tmpdir(), 'iam-chromium-'));
    browser = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, args: ARGS, headless: true, viewport: { width: 1280, height: 860 } });
    const page = browser.pages()[0] ?? (await browser.newPage());
    await page.goto(`${base}/console/`);
    await page.getByLabel('User name').fill('bench-admin');
    await page.getByLabel('Password', { exact: true }).fill(adminPassword);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();

    const timed = async (run) => {
      const started = performance.now();
      await run();
      return performance.now() - started;
    };
    const target = userName(Math.floor(USERS / 2));
    const results = { listFirst: [], listAll: [], user: [], userClick: [], whoCan: [] };
    for (let r = 0; r < RUNS + 1; r++) {
      // Users list, loaded afresh: the first rows, then all 3,000 (search and paging in the browser).
      const started = performance.now();
      await page.goto(`${base}/console/users`);
      await page.getByRole('link', { name: userName(0), exact: true }).waitFor();
      const listFirst = performance.now() - started;
      await page.locator('[data-testid="user-count"]', { hasText: `${USERS + 1} of ${USERS + 1} users` }).waitFor();
      const all = performance.now() - started;
      // A user page, loaded afresh, and reached by a click from the list.
      const user = await timed(async () => {
        await page.goto(`${base}/console/users/${target}`);
        await page.getByRole('tab', { name: 'Permissions', exact: true }).waitFor();
        await page.getByRole('heading', { name: 'Attached managed policies' }).waitFor();
      });
      await page.goto(`${base}/console/users?name=${userName(1)}`);
      await page.getByRole('link', { name: userName(1), exact: true }).waitFor();
      const userClick = await timed(async () => {
        await page.getByRole('link', { name: userName(1), exact: true }).click();
        await page.getByRole('heading', { name: 'Attached managed policies' }).waitFor();
      });
      // Who can list groups, loaded afresh.
      const whoCan = await timed(async () => {
        await page.goto(`${base}/console/who-can?action=iam:ListGroups&resource=*`);
        await page.getByTestId('who-can-table').locator('tbody tr').first().waitFor();
      });
      if (r === 0) continue; // warm-up
      results.listFirst.push(listFirst);
      results.listAll.push(all);
      results.user.push(user);
      results.userClick.push(userClick);
      results.whoCan.push(whoCan);
      process.stderr.write(`run ${r}: list ${fmt(listFirst)} / ${fmt(all)}, user ${fmt(user)} (click ${fmt(userClick)}), who-can ${fmt(whoCan)}\n`);
    }
    const whoCounts = await page.getByTestId('who-can-counts').innerText();
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
    browser = undefined;

    const load = os.loadavg()[0].toFixed(1);
    const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
    const section = `## Web console

Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`${COMMAND}\` (script: \`apps/console/bench/bench.mjs\`).
Node ${process.version} on ${process.platform}/${process.arch}, ${cpu}, ${os.cpus().length} cores (load average ${load} at the end);
Debian's Chromium through playwright-core, headless, 1280×860. The embedded default (\`dist/apps/standalone\`,
PGlite, in-process bus) seeded by \`npm run seed -- --users ${USERS} --groups ${GROUPS}\` (${seeded.memberships} memberships,
${seeded.managedPolicies} managed policies, an inline policy per group; seeding, ${SEED_CONCURRENCY} call at a time, took ${(seeded.ms / 1000).toFixed(0)} s${seeded.retried ? `, ${seeded.retried} calls retried after NoSuchEntity` : ''}), signed in as a user with
AdministratorAccess (every permission check is a real decision). Each figure is the median of ${RUNS} page loads after a
warm-up, from navigation to the content shown; the bundle comes from the browser's cache after the first load.

| View | Median | Slowest |
| --- | ---: | ---: |
| Users list: first rows shown (the first page of 1,000 users) | ${fmt(median(results.listFirst))} | ${fmt(Math.max(...results.listFirst))} |
| Users list: all ${USERS} users loaded (search and paging then in the browser) | ${fmt(median(results.listAll))} | ${fmt(Math.max(...results.listAll))} |
| A user page (${target}: the overview, its buttons' permissions) | ${fmt(median(results.user))} | ${fmt(Math.max(...results.user))} |
| A user page reached by a click in the list | ${fmt(median(results.userClick))} | ${fmt(Math.max(...results.userClick))} |
| Who can \`iam:ListGroups\` on \`*\` (first 200 users with reasons; ${whoCounts}) | ${fmt(median(results.whoCan))} | ${fmt(Math.max(...results.whoCan))} |

Not asserted anywhere; the browser specs (\`apps/system-e2e/src/console.e2e.spec.ts\`) check behaviour only.
`;
    console.log(section);
    if (!FULL) {
      console.log('(a reduced run: docs/benchmarks.md left as it is)');
      return;
    }
    const docPath = join(root, 'docs', 'benchmarks.md');
    let doc = existsSync(docPath) ? readFileSync(docPath, 'utf8') : '# Benchmarks\n';
    const start = doc.search(/^## Web console\s*$/m);
    if (start >= 0) {
      const rest = doc.slice(start + 1);
      const next = rest.search(/^## /m);
      const end = next >= 0 ? start + 1 + next : doc.length;
      doc = `${doc.slice(0, start)}${section}${end < doc.length ? '\n' : ''}${doc.slice(end)}`;
    } else {
      doc = `${doc.trimEnd()}\n\n${section}`;
    }
    mkdirSync(dirname(docPath), { recursive: true });
    writeFileSync(docPath, doc);
  } finally {
    await browser?.close().catch(() => undefined);
    app.kill('SIGKILL');
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
