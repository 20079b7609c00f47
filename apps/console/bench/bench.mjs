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
// Sixteen calls in flight, as `npm run seed` sends them.
const SEED_CONCURRENCY = Number(process.env.BENCH_SEED_CONCURRENCY ?? 16);
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
    const results = { listFirst: [], listAll: [], user: [], userClick: [], whoCan: [], inlineApi: [], inlineView: [] };
    // A session of the administrator's for the API's own figures (what the console reads, without the browser).
    const session = await (await fetch(`${base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ UserName: 'bench-admin', Password: adminPassword }) })).json();
    const bearer = { authorization: `Bearer ${session.SessionToken}`, accept: 'application/json' };
    /** Every user's inline policies, as who-can's completion and matrix read them: the authorization-details view, 1,000 users a page. */
    const readUsersInline = async () => {
      let cursor;
      let users = 0;
      let withInline = 0;
      let bytes = 0;
      do {
        const query = new URLSearchParams({ filter: 'User', limit: '1000', ...(cursor ? { cursor } : {}) });
        const response = await fetch(`${base}/v1/account/authorization-details?${query}`, { headers: bearer });
        if (response.status !== 200) throw new Error(`authorization-details answered ${response.status}`);
        const text = await response.text();
        bytes += text.length;
        const page = JSON.parse(text);
        users += page.UserDetailList.length;
        withInline += page.UserDetailList.filter((u) => (u.UserPolicyList ?? []).length > 0).length;
        cursor = page.nextCursor;
      } while (cursor);
      return { users, withInline, bytes };
    };
    let inlineRead = { users: 0, withInline: 0, bytes: 0 };
    let inlineFailures = 0;
    let whoCounts;
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
      whoCounts = await page.getByTestId('who-can-counts').innerText();
      // Users' inline policies: until the who-can page says it has them, then through the API alone
      // (the browser on a blank page, so that nothing else is asked meanwhile).
      const inlineView = await timed(async () => {
        await page.goto(`${base}/console/who-can`);
        await page.getByTestId('who-can-completion').waitFor();
        await page.waitForFunction(() => {
          const text = document.querySelector('[data-testid="who-can-completion"]')?.textContent ?? '';
          return text.includes('Completion offers') && !text.includes('Reading users');
        }, undefined, { timeout: 300_000 });
      });
      await page.goto('about:blank');
      // A read that fails (the view answers 503 when a part times out) is counted, not timed.
      let inlineFailed = false;
      const inlineApi = await timed(async () => {
        try {
          inlineRead = await readUsersInline();
        } catch (error) {
          process.stderr.write(`users' inline policies: ${error.message}\n`);
          inlineFailures++;
          inlineFailed = true;
        }
      });
      if (r === 0) continue; // warm-up
      if (!inlineFailed) results.inlineApi.push(inlineApi);
      results.inlineView.push(inlineView);
      results.listFirst.push(listFirst);
      results.listAll.push(all);
      results.user.push(user);
      results.userClick.push(userClick);
      results.whoCan.push(whoCan);
      process.stderr.write(`run ${r}: list ${fmt(listFirst)} / ${fmt(all)}, user ${fmt(user)} (click ${fmt(userClick)}), who-can ${fmt(whoCan)}, users' inline policies ${fmt(inlineApi)} (API) / ${fmt(inlineView)} (who-can page)\n`);
    }
    await browser.close();
    rmSync(profile, { recursive: true, force: true });
    browser = undefined;

    const load = os.loadavg().map((l) => l.toFixed(1)).join(', ');
    const cpu = os.cpus()[0]?.model?.trim() ?? 'unknown CPU';
    const section = `## Web console

Measured ${new Date().toISOString().replace(/\.\d+Z$/, 'Z')} with \`${COMMAND}\` (script: \`apps/console/bench/bench.mjs\`).
Node ${process.version} on ${process.platform}/${process.arch}, ${cpu}, ${os.cpus().length} cores (load average ${load} at the end; the machine
is shared with other engineers' test runs, so the figures are noisy);
Debian's Chromium through playwright-core, headless, 1280×860. The embedded default (\`dist/apps/standalone\`,
PGlite, in-process bus) seeded by \`npm run seed -- --users ${USERS} --groups ${GROUPS}\` (${seeded.memberships} memberships,
${seeded.managedPolicies} managed policies, an inline policy per group and ${seeded.userPolicies} users' own; seeding, ${SEED_CONCURRENCY} calls in flight, took ${(seeded.ms / 1000).toFixed(0)} s${seeded.retried ? `, ${seeded.retried} calls retried after NoSuchEntity` : ''}), signed in as a user with
AdministratorAccess (every permission check is a real decision). Each figure is the median of ${RUNS} page loads after a
warm-up, from navigation to the content shown; the bundle comes from the browser's cache after the first load.

| View | Median | Slowest |
| --- | ---: | ---: |
| Users list: first rows shown (the first page of 100 users; the rest, 1,000 a request, in the background) | ${fmt(median(results.listFirst))} | ${fmt(Math.max(...results.listFirst))} |
| Users list: all ${USERS + 1} users loaded (search and paging then in the browser) | ${fmt(median(results.listAll))} | ${fmt(Math.max(...results.listAll))} |
| A user page (${target}: the overview, its buttons' permissions) | ${fmt(median(results.user))} | ${fmt(Math.max(...results.user))} |
| A user page reached by a click in the list | ${fmt(median(results.userClick))} | ${fmt(Math.max(...results.userClick))} |
| Who can \`iam:ListGroups\` on \`*\` (first 200 users with reasons; ${whoCounts}) | ${fmt(median(results.whoCan))} | ${fmt(Math.max(...results.whoCan))} |
| Users' inline policies through the API (\`GET /v1/account/authorization-details?filter=User\`, 1,000 users a page: ${inlineRead.users} users, ${inlineRead.withInline} with inline policies, ${(inlineRead.bytes / 1e6).toFixed(1)} MB of JSON${inlineFailures ? `; ${inlineFailures} of ${RUNS + 1} reads failed` : ''}) | ${fmt(median(results.inlineApi))} | ${fmt(Math.max(...results.inlineApi))} |
| Who-can page until its completion has every user's inline policies (groups and the managed policies first, then the users) | ${fmt(median(results.inlineView))} | ${fmt(Math.max(...results.inlineView))} |

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
