import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Locator, Page } from 'playwright-core';
import { launchBrowser, screenshot, seriousViolations, type Browser } from './support/browser';
import { describeWithServices } from '@iam/testing';
import { signedFetch, startDistributedSystem, type RunningSystem } from './support/gateway';
import { body, freePort, RunningProcess, start, waitForStatus } from './support/processes';

/** Variables the embedded default must not pick up from the machine running the tests. */
const CLEAN = { DATABASE_URL: '', NATS_URL: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', CI: '', LOG_LEVEL: 'warn' };

// A whole system as a process, and a browser clicking through it.
jest.setTimeout(900_000);

/**
 * The web console in Debian's Chromium, against the embedded default started as `npm start` starts
 * it: the tutorial by clicking, as the README tells it, with axe-core on every page.
 */
describe('the web console in a browser: the tutorial by clicking', () => {
  const rootPassword = `Root-${randomBytes(6).toString('hex')}-Pw1!`;
  let dataDir: string;
  let app: RunningProcess;
  let base: string;
  let browser: Browser;
  let page: Page;
  const audited: string[] = [];

  beforeAll(async () => {
    dataDir = mkdtempSync(join(tmpdir(), 'iam-console-'));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    // The four AWS managed policies built in: the whole catalogue would fill the pages this tutorial clicks through.
    app = start('npm start', 'npm', ['start'], { ...CLEAN, PORT: String(port), HOST: '127.0.0.1', IAM_DATA_DIR: dataDir, IAM_ROOT_PASSWORD: rootPassword, IAM_AWS_MANAGED_POLICIES: 'builtin' });
    await waitForStatus(`${base}/health`, 200, 180_000);
    browser = await launchBrowser();
    page = browser.page;
  });

  afterAll(async () => {
    await browser?.close();
    await app?.stop('SIGKILL');
    if (dataDir) rmSync(dataDir, { recursive: true, force: true });
  });

  // What the page showed at the end of each test: reports/console-screenshots/last-<test>.png.
  let step = 0;
  afterEach(async () => {
    step++;
    await page?.screenshot({ path: join(__dirname, '../../../reports/console-screenshots', `last-${String(step).padStart(2, '0')}.png`) }).catch(() => undefined);
  });

  /** axe-core finds no serious or critical violation on the page as it is now. */
  async function audit(name: string): Promise<void> {
    await page.waitForLoadState('networkidle');
    const violations = await seriousViolations(page);
    audited.push(name);
    expect({ page: name, violations }).toEqual({ page: name, violations: [] });
  }

  async function signIn(who: { root: true } | { user: string }, password: string): Promise<void> {
    if ('root' in who) {
      await page.getByLabel('Root user').check();
      await page.getByLabel('Root password').fill(password);
    } else {
      await page.getByLabel('IAM user').check();
      await page.getByLabel('User name').fill(who.user);
      await page.getByLabel('Password', { exact: true }).fill(password);
    }
    await page.getByRole('button', { name: 'Sign in' }).click();
  }

  async function signOut(): Promise<void> {
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
  }

  async function nav(label: string): Promise<void> {
    await page.getByRole('navigation', { name: 'Console' }).getByRole('link', { name: label, exact: true }).click();
  }

  /** Who can do `action` on `*`, as the who-can view shows it: user → [verdict, why]. */
  async function whoCan(action: string): Promise<Record<string, [string, string]>> {
    await nav('Who can do what');
    await page.getByLabel('Action').fill(action);
    await page.getByRole('button', { name: 'Show who can' }).click();
    const table = page.getByTestId('who-can-table');
    await table.getByText(action).first().waitFor();
    const rows = await table.locator('tbody tr[data-user]').evaluateAll((trs) =>
      trs.map((tr) => [tr.getAttribute('data-user') ?? '', (tr.querySelectorAll('td')[0] as unknown as { innerText: string }).innerText.trim(), (tr.querySelectorAll('td')[1] as unknown as { innerText: string }).innerText.trim()]),
    );
    return Object.fromEntries(rows.map(([user, verdict, why]) => [user, [verdict, why]]));
  }

  /** A policy document written as people write it: one element a line, each statement in braces of its own. */
  function policyText(...statements: string[][]): string {
    const blocks = statements.map((elements) => `    {\n${elements.map((e) => `      ${e}`).join(',\n')}\n    }`);
    return `{\n  "Version": "2012-10-17",\n  "Statement": [\n${blocks.join(',\n')}\n  ]\n}`;
  }

  /**
   * The problems the policy editor in `scope` shows once the API has answered `summary`: for each
   * marked line, its number and the message written on it, after checking that the line number
   * is marked and that the message is drawn on that very line of the text (same height as the
   * line's number in the gutter and as the line in the text area).
   */
  async function problemsShown(scope: Locator, summary: string): Promise<Array<[number, string]>> {
    await scope.locator('.problems-summary', { hasText: summary }).waitFor();
    expect(await scope.locator('.problems-summary').innerText()).toBe(summary);
    const area = scope.getByLabel('Policy document');
    const style = await area.evaluate((el) => {
      const css = (globalThis as unknown as { getComputedStyle(e: unknown): Record<'paddingTop' | 'borderTopWidth' | 'lineHeight', string> }).getComputedStyle(el);
      return { padding: parseFloat(css.paddingTop) + parseFloat(css.borderTopWidth), lineHeight: parseFloat(css.lineHeight) };
    });
    const metrics = { top: ((await area.boundingBox())?.y ?? NaN) + style.padding, lineHeight: style.lineHeight };
    const marked = await scope.locator('.gutter .gutter-bad').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-line'))));
    const out: Array<[number, string]> = [];
    for (const line of marked) {
      const lensLine = scope.locator(`.lens-line[data-line="${line}"]`);
      const message = await lensLine.locator('.lens-message').innerText();
      const lensTop = (await lensLine.boundingBox())?.y ?? NaN;
      const gutterTop = (await scope.locator(`.gutter [data-line="${line}"]`).boundingBox())?.y ?? NaN;
      const expected = metrics.top + (line - 1) * metrics.lineHeight;
      expect({ line, lens: Math.abs(lensTop - expected) < 2, gutter: Math.abs(gutterTop - expected) < 2 }).toEqual({ line, lens: true, gutter: true });
      expect(await scope.locator(`.problem[data-line="${line}"]`).innerText()).toContain(message);
      out.push([line, message]);
    }
    return out;
  }

  let adminPassword = '';
  let daveKey: { accessKeyId: string; secretAccessKey: string };

  it('sends a browser opening / to the console, and prints its URL at start', async () => {
    await app.waitForLine(/Web console: http:\/\/127\.0\.0\.1:\d+\/console\//);
    const response = await page.goto(`${base}/`);
    expect(response?.status()).toBe(200);
    expect(page.url()).toBe(`${base}/console/`);
    await page.getByRole('heading', { name: 'Sign in' }).waitFor();
    await screenshot(page, 'sign-in');
    await audit('sign-in');
  });

  it('tells nothing about whether a user exists when signing in fails', async () => {
    await signIn({ user: 'nobody-at-all' }, 'Wrong-Passw0rd!');
    const unknown = await page.getByRole('alert').innerText();
    await signIn({ root: true }, 'Wrong-Passw0rd!');
    const wrongRoot = await page.getByRole('alert').innerText();
    expect(unknown).toBe('The user name or password is incorrect, or this user may not sign in.');
    expect(wrongRoot).toBe(unknown);
  });

  it('root creates the admins group with AdministratorAccess', async () => {
    await signIn({ root: true }, rootPassword);
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toBe('root');
    await audit('dashboard');

    await nav('Groups');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('dialog').getByLabel('Group name').fill('admins');
    await page.getByRole('dialog').getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: 'admins', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Attach policy' }).click();
    await page.getByLabel('Search policies').fill('AdministratorAccess');
    await page.getByRole('dialog').getByRole('button', { name: 'AdministratorAccess', exact: true }).click();
    await page.getByRole('link', { name: 'AdministratorAccess' }).waitFor();
    await audit('group');
  });

  it('root creates an admin with a generated console password that must be changed, in admins', async () => {
    await nav('Users');
    await page.getByRole('link', { name: 'Create user' }).click();
    await page.getByLabel('User name').fill('admin');
    await page.getByLabel('Path', { exact: true }).fill('/staff/');
    await page.getByLabel('Provide access to the console (a console password)').check();
    await expect(page.getByLabel('Autogenerated password').isChecked()).resolves.toBe(true);
    await expect(page.getByLabel('User must create a new password at next sign-in').isChecked()).resolves.toBe(true);
    await page.getByLabel('admins').check();
    await audit('create-user');
    await page.getByRole('button', { name: 'Create user', exact: true }).click();
    await page.getByRole('heading', { name: 'User admin created' }).waitFor();
    adminPassword = (await page.getByTestId('console-password').innerText()).trim();
    expect(adminPassword.length).toBeGreaterThanOrEqual(20);
    await expect(page.getByRole('status').first().innerText()).resolves.toContain('added to admins');
    await signOut();
  });

  it('the admin signs in, must change the password, and sees the policy rules met as it types', async () => {
    await signIn({ user: 'admin' }, adminPassword);
    await page.getByRole('heading', { name: 'Change your password' }).waitFor();
    await audit('change-password');
    const rules = page.locator('[data-rule]');
    expect(await rules.evaluateAll((items) => items.map((i) => i.getAttribute('data-met')))).toEqual(['false', 'false', 'false']);
    await page.getByLabel('Current password').fill(adminPassword);
    await page.getByLabel('New password', { exact: true }).fill('short');
    expect(await rules.evaluateAll((items) => items.map((i) => i.getAttribute('data-met')))).toEqual(['false', 'false', 'true']);
    await expect(page.getByRole('button', { name: 'Confirm password change' }).isDisabled()).resolves.toBe(true);
    adminPassword = 'Adm1n-Passw0rd!-2';
    await page.getByLabel('New password', { exact: true }).fill(adminPassword);
    expect(await rules.evaluateAll((items) => items.map((i) => i.getAttribute('data-met')))).toEqual(['true', 'true', 'true']);
    await page.getByLabel('Confirm new password').fill(adminPassword);
    await page.getByRole('button', { name: 'Confirm password change' }).click();
    // Signed in with the new password, on the page where root signed out: the dashboard.
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await expect(page.getByTestId('signed-in-as').innerText()).resolves.toBe('admin');
  });

  it("the admin writes the ReadUsers policy, the JSON editor showing IAM's message and each problem at its line", async () => {
    await nav('Policies');
    await page.getByLabel('Search by name').fill('Administrator');
    await page.getByRole('link', { name: 'AdministratorAccess' }).waitFor();
    await screenshot(page, 'policies');
    await audit('policies');
    await page.getByRole('link', { name: 'Create policy' }).click();
    await page.getByLabel('Policy name').fill('ReadUsers');
    const editor = page.locator('main');
    await page.getByLabel('Policy document').fill(policyText(['"Effect": "Alow"', '"Action": ["iam:ListUsers", "iam:GetUser"]', '"Resource": "*"']));
    await page.getByRole('button', { name: 'Create policy', exact: true }).click();
    // IAM's one message over the editor; what the validator found, at its line.
    await expect(problemsShown(editor, 'Syntax errors in policy.')).resolves.toEqual([[5, 'Effect must be "Allow" or "Deny", found "Alow"']]);
    expect(await editor.locator('.problem').innerText()).toBe('Line 5, column 7: Statement[0].Effect: Effect must be "Allow" or "Deny", found "Alow"');

    // A second statement without Action: IAM says "Policy statement must contain actions.", the editor says where.
    await page.getByLabel('Policy document').fill(policyText(['"Effect": "Allow"', '"Action": ["iam:ListUsers", "iam:GetUser"]', '"Resource": "*"'], ['"Effect": "Allow"', '"Resource": "*"']));
    expect(await editor.locator('.problems-summary').count()).toBe(0);
    await page.getByRole('button', { name: 'Create policy', exact: true }).click();
    await expect(problemsShown(editor, 'Policy statement must contain actions.')).resolves.toEqual([[9, 'statement is missing Action or NotAction']]);
    // The button beside the problem takes the cursor to it.
    await editor.getByRole('button', { name: 'Line 9, column 5' }).click();
    expect(await page.getByLabel('Policy document').evaluate((el) => {
      const area = el as unknown as { value: string; selectionStart: number };
      const before = area.value.slice(0, area.selectionStart).split('\n');
      return [before.length, before[before.length - 1].length + 1];
    })).toEqual([9, 5]);
    await screenshot(page, 'policy-editor');
    await audit('create-policy');

    await page.getByLabel('Policy document').fill(policyText(['"Effect": "Allow"', '"Action": ["iam:ListUsers", "iam:GetUser"]', '"Resource": "*"']));
    await page.getByRole('button', { name: 'Create policy', exact: true }).click();
    await page.getByRole('heading', { name: 'ReadUsers', level: 1 }).waitFor();
    await page.locator('pre.document', { hasText: 'iam:ListUsers' }).waitFor();
    await audit('policy');

    // A new version is checked the same way, and nothing is saved.
    await page.getByRole('button', { name: 'Edit (new version)' }).click();
    await page.getByLabel('Policy document').fill(policyText(['"Effect": "Allow"', '"Action": "iam:ListUsers"', '"Resource": "*"'], ['"Effect": "Allow"', '"Action": "iam"', '"Resource": "*"']));
    await page.getByRole('button', { name: 'Save version' }).click();
    await expect(problemsShown(editor, 'Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.')).resolves.toEqual([
      [11, 'action "iam" must have the form service:action (e.g. s3:GetObject) or be "*"'],
    ]);
    await page.getByRole('button', { name: 'Cancel' }).click();
    await page.locator('pre.document', { hasText: 'iam:GetUser' }).waitFor();
  });

  it('the admin creates the developers and security groups', async () => {
    await nav('Groups');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('dialog').getByLabel('Group name').fill('developers');
    await page.getByRole('dialog').getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: 'developers', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Attach policy' }).click();
    await page.getByLabel('Search policies').fill('ReadUsers');
    await page.getByRole('dialog').getByRole('button', { name: 'ReadUsers', exact: true }).click();
    await page.getByRole('link', { name: 'ReadUsers' }).waitFor();

    await nav('Groups');
    await page.getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('dialog').getByLabel('Group name').fill('security');
    await page.getByRole('dialog').getByRole('button', { name: 'Create group' }).click();
    await page.getByRole('heading', { name: 'security', level: 1 }).waitFor();
    await page.getByRole('button', { name: 'Create inline policy' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Policy name').fill('audit');
    await dialog.getByLabel('Policy document').fill(policyText(['"Effect": "Allow"', '"Action": "iam:ListGroups"', '"Resource": "*"'], ['"Effect": "Allow"', '"Resource": "*"']));
    await dialog.getByRole('button', { name: 'Save policy' }).click();
    await expect(problemsShown(dialog, 'Policy statement must contain actions.')).resolves.toEqual([[9, 'statement is missing Action or NotAction']]);
    await audit('inline-policy-dialog-problems');
    await dialog
      .getByLabel('Policy document')
      .fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:ListGroups', 'iam:GetGroup'], Resource: '*' }] }, null, 2));
    await audit('inline-policy-dialog');
    await dialog.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('strong', { hasText: 'audit' }).waitFor();
    await nav('Groups');
    await page.getByRole('link', { name: 'security', exact: true }).waitFor();
    await screenshot(page, 'groups');
    await audit('groups');
  });

  it('the admin creates a developer with an access key: the secret shown once, copied and downloaded as AWS does', async () => {
    await nav('Users');
    await page.getByRole('link', { name: 'Create user' }).click();
    await page.getByLabel('User name').fill('dave');
    await page.getByLabel('Programmatic access (create an access key)').check();
    await page.getByLabel('developers').check();
    await page.getByRole('button', { name: 'Create user', exact: true }).click();
    await page.getByRole('heading', { name: 'User dave created' }).waitFor();
    daveKey = {
      accessKeyId: (await page.getByTestId('access-key-id').innerText()).trim(),
      secretAccessKey: (await page.getByTestId('secret-access-key').innerText()).trim(),
    };
    expect(daveKey.accessKeyId).toMatch(/^AKIA[A-Z0-9]{16}$/);
    expect(daveKey.secretAccessKey).toHaveLength(40);
    await page.getByRole('button', { name: 'Copy secret access key' }).click();
    await page.getByRole('button', { name: 'Copied' }).waitFor();
    const [download] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download .csv file' }).click()]);
    expect(download.suggestedFilename()).toBe('dave_accessKeys.csv');
    expect(readFileSync(await download.path(), 'utf8')).toBe(`Access key ID,Secret access key\r\n${daveKey.accessKeyId},${daveKey.secretAccessKey}\r\n`);
    await audit('user-created');
    // The key works, and reads users as the developers group allows.
    const list = await signedFetch(base, daveKey, { method: 'GET', path: '/v1/users' });
    expect(list.status).toBe(200);
    // The secret is shown once: the user page lists the key without it.
    await page.getByRole('link', { name: 'View user' }).click();
    await page.getByRole('tab', { name: 'Security credentials' }).click();
    await page.getByText(daveKey.accessKeyId).first().waitFor();
    expect(await page.content()).not.toContain(daveKey.secretAccessKey);
    await screenshot(page, 'user');
    await audit('user-credentials');
    for (const tab of ['Permissions', 'Groups', 'Effective permissions', 'Tags']) {
      await page.getByRole('tab', { name: tab, exact: true }).click();
      await audit(`user-${tab.toLowerCase().replace(/ /g, '-')}`);
    }
  });

  it('who can: dave may list users through developers, not list groups', async () => {
    await nav('Users');
    await page.getByLabel('Search by name').fill('a');
    await page.getByRole('link', { name: 'dave', exact: true }).waitFor();
    // The filter applies on the next render: wait for the count rather than read it once.
    await page.getByTestId('user-count').filter({ hasText: /^2 of 2 users$/ }).waitFor();
    await page.getByLabel('Search by name').fill('');
    await page.getByLabel('Path prefix').fill('/staff/');
    await page.getByTestId('user-count').filter({ hasText: /^1 of 2 users$/ }).waitFor();
    await page.getByLabel('Path prefix').fill('');
    await screenshot(page, 'users');
    await audit('users');
    const listUsers = await whoCan('iam:ListUsers');
    expect(listUsers['dave']?.[0]).toBe('allowed');
    expect(listUsers['dave']?.[1]).toContain('through group developers');
    expect(listUsers['admin']?.[0]).toBe('allowed');
    expect(listUsers['admin']?.[1]).toContain('AdministratorAccess');
    const listGroups = await whoCan('iam:ListGroups');
    expect(listGroups['dave']).toBeUndefined();
    await screenshot(page, 'who-can');
    await audit('who-can');
  });

  it('the admin moves dave from developers to security in one step, and who-can shows the change', async () => {
    await nav('Users');
    await page.getByRole('link', { name: 'dave', exact: true }).click();
    await page.getByRole('tab', { name: 'Groups' }).click();
    await page.getByRole('button', { name: 'Move from developers to another group' }).click();
    await page.getByRole('dialog').getByLabel('Move to group').selectOption('security');
    await audit('move-dialog');
    await page.getByRole('dialog').getByRole('button', { name: 'Move', exact: true }).click();
    await page.getByText('Moved from developers to security.').waitFor();
    await page.getByRole('link', { name: 'security', exact: true }).waitFor();
    await page.getByRole('link', { name: 'developers', exact: true }).waitFor({ state: 'detached' });

    const listGroups = await whoCan('iam:ListGroups');
    expect(listGroups['dave']?.[0]).toBe('allowed');
    expect(listGroups['dave']?.[1]).toContain('audit');
    expect(listGroups['dave']?.[1]).toContain('through group security');
    const listUsers = await whoCan('iam:ListUsers');
    expect(listUsers['dave']).toBeUndefined();

    await page.getByRole('tab', { name: 'Groups and services' }).click();
    const matrix = page.getByTestId('group-matrix');
    await matrix.waitFor();
    await expect(matrix.locator('tr', { hasText: 'admins' }).innerText()).resolves.toContain('all actions');
    await expect(matrix.locator('tr', { hasText: 'security' }).innerText()).resolves.toContain('2 actions');
    await screenshot(page, 'who-can-matrix');
    await audit('who-can-matrix');
    await page.getByRole('tab', { name: 'Policy simulator' }).click();
    await page.getByLabel('User name').fill('dave');
    await page.getByLabel('Actions (separated by spaces or commas)').fill('iam:ListGroups iam:ListUsers');
    await page.getByRole('button', { name: 'Run simulation' }).click();
    const results = page.getByTestId('simulation-results');
    await results.waitFor();
    await expect(results.locator('tr', { hasText: 'iam:ListGroups' }).innerText()).resolves.toContain('allowed');
    await expect(results.locator('tr', { hasText: 'iam:ListUsers' }).innerText()).resolves.toContain('implicitDeny');
    await audit('policy-simulator');
  });

  it('the account pages: password policy, credential report, my security credentials', async () => {
    await nav('Account settings');
    await page.getByRole('heading', { name: 'Password policy' }).waitFor();
    await page.getByLabel('Minimum length (6–128)').fill('12');
    await page.getByLabel('Allow users to change their own password').check();
    await page.getByRole('button', { name: 'Save password policy' }).click();
    await page.getByText('The password policy was saved.').waitFor();
    await audit('account');
    const [report] = await Promise.all([page.waitForEvent('download'), page.getByRole('button', { name: 'Download credential report' }).click()]);
    const csv = readFileSync(await report.path(), 'utf8');
    expect(csv.split('\n')[0]).toMatch(/^user,arn,user_creation_time,password_enabled/);
    expect(csv).toContain('dave');
    await nav('Dashboard');
    await page.getByText('admin signs in with a password and no MFA device').waitFor();
    await screenshot(page, 'dashboard');
    await nav('My security credentials');
    await page.getByRole('heading', { name: 'Console password' }).waitFor();
    // The policy saved above: one rule, twelve characters.
    await page.locator('[data-rule="length"]', { hasText: 'At least 12 characters' }).waitFor();
    expect(await page.locator('[data-rule]').count()).toBe(1);
    await audit('my-credentials');
  });

  it('a session that ends sends the user to sign in, and back to the page it was on', async () => {
    await nav('Groups');
    await page.getByRole('link', { name: 'security', exact: true }).click();
    await page.getByRole('heading', { name: 'security', level: 1 }).waitFor();
    const where = page.url();
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('iam-console-session') ?? '{}').token as string);
    const ended = await fetch(`${base}/v1/sessions/current`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    expect(ended.status).toBe(204);
    await page.reload();
    await page.getByText('Your session has ended. Sign in again to continue where you were.').waitFor();
    expect(page.url()).toBe(where);
    await signIn({ user: 'admin' }, adminPassword);
    await page.getByRole('heading', { name: 'security', level: 1 }).waitFor();
    expect(page.url()).toBe(where);
  });

  it('the admin gives dave a console password; dave sees what it may not do disabled, and the API refuses it anyway', async () => {
    await nav('Users');
    await page.getByRole('link', { name: 'dave', exact: true }).click();
    await page.getByRole('tab', { name: 'Security credentials' }).click();
    await page.getByRole('button', { name: 'Enable console access' }).click();
    const dialog = page.getByRole('dialog');
    await dialog.getByLabel('Custom password').check();
    await dialog.getByLabel('Password', { exact: true }).fill('Dave-Passw0rd!-1');
    await dialog.getByLabel('User must create a new password at next sign-in').uncheck();
    await dialog.getByRole('button', { name: 'Enable' }).click();
    await page.getByTestId('new-password').waitFor();
    // An inline policy of dave's own: iam:ListAccessKeys is named nowhere else in the account.
    await page.getByRole('tab', { name: 'Permissions', exact: true }).click();
    await page.getByRole('button', { name: 'Create inline policy' }).click();
    const inline = page.getByRole('dialog');
    await inline.getByLabel('Policy name').fill('own-keys');
    await inline.getByLabel('Policy document').fill(JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: ['iam:GetUser', 'iam:ListAccessKeys'], Resource: '*' }] }, null, 2));
    await inline.getByRole('button', { name: 'Save policy' }).click();
    await page.locator('strong', { hasText: 'own-keys' }).waitFor();
    // Who-can completes it, and the matrix has a row for users' own inline policies.
    await nav('Who can do what');
    await page.locator('datalist option[value="iam:ListAccessKeys"]').waitFor({ state: 'attached' });
    await page.getByRole('tab', { name: 'Groups and services' }).click();
    const usersRow = page.getByTestId('users-inline-row');
    await expect(usersRow.innerText()).resolves.toContain("Users' own inline policies (1 user)");
    await expect(usersRow.innerText()).resolves.toContain('2 actions (1 user)');
    await audit('who-can-matrix-users');
    // Two harmless policies attached to dave, of which he may detach one only (a condition on iam:PolicyARN).
    const asAdmin = { authorization: `Bearer ${await page.evaluate(() => JSON.parse(sessionStorage.getItem('iam-console-session') ?? '{}').token as string)}`, 'content-type': 'application/json' };
    const harmless = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 's3:GetObject', Resource: 'arn:aws:s3:::nothing-here/*' }] };
    const [detachable, kept] = await Promise.all(
      ['Detachable', 'Kept'].map(async (name) => {
        const created = await fetch(`${base}/v1/policies`, { method: 'POST', headers: asAdmin, body: JSON.stringify({ PolicyName: name, PolicyDocument: JSON.stringify(harmless) }) });
        expect(created.status).toBe(201);
        return (await body(created)).Policy.Arn as string;
      }),
    );
    for (const arn of [detachable, kept]) {
      expect((await fetch(`${base}/v1/users/dave/attached-policies`, { method: 'POST', headers: asAdmin, body: JSON.stringify({ PolicyArn: arn }) })).status).toBe(204);
    }
    const detachOne = { Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Action: 'iam:ListAttachedUserPolicies', Resource: '*' },
      { Effect: 'Allow', Action: 'iam:DetachUserPolicy', Resource: '*', Condition: { ArnEquals: { 'iam:PolicyARN': detachable } } },
    ] };
    expect((await fetch(`${base}/v1/users/dave/policies/detach-one`, { method: 'PUT', headers: asAdmin, body: JSON.stringify({ PolicyDocument: JSON.stringify(detachOne) }) })).status).toBeLessThan(300);
    await signOut();

    await signIn({ user: 'dave' }, 'Dave-Passw0rd!-1');
    await page.getByRole('heading', { name: 'Dashboard' }).waitFor();
    await page.getByText('You may not view the account summary').waitFor();
    await audit('dashboard-limited');

    await nav('Groups');
    const create = page.getByRole('button', { name: 'Create group' });
    await page.locator('button[data-permission="denied"]', { hasText: 'Create group' }).waitFor();
    await expect(create.isDisabled()).resolves.toBe(true);
    await expect(create.getAttribute('title')).resolves.toBe('Not allowed: you may not iam:CreateGroup');
    await page.getByRole('link', { name: 'security', exact: true }).click();
    await page.getByRole('heading', { name: 'security', level: 1 }).waitFor();
    for (const label of ['Delete group', 'Rename', 'Attach policy', 'Create inline policy', 'Add user']) {
      await page.locator('button[data-permission="denied"]', { hasText: label }).first().waitFor();
    }
    await page.getByText("You may not view this group's attached policies").waitFor();
    await screenshot(page, 'not-allowed');
    await audit('group-limited');

    await nav('Users');
    await page.getByRole('alert').getByText('is not authorized to perform: iam:ListUsers').waitFor();
    await audit('users-denied');

    // dave may read admin (his inline policy) but not delete him: asked with admin's ARN, the button is disabled.
    await page.goto(`${base}/console/users/admin`);
    await page.getByRole('heading', { name: 'admin', level: 1 }).waitFor();
    const deleteAdmin = page.locator('button[data-permission="denied"]', { hasText: 'Delete user' });
    await deleteAdmin.waitFor();
    await expect(deleteAdmin.isDisabled()).resolves.toBe(true);
    await expect(deleteAdmin.getAttribute('title')).resolves.toBe('Not allowed: you may not iam:DeleteUser');
    await audit('user-limited');

    // dave may detach Detachable only: asked with each policy's ARN (iam:PolicyARN), Kept's button is disabled.
    await page.goto(`${base}/console/users/dave`);
    await page.getByRole('heading', { name: 'dave', level: 1 }).waitFor();
    const detachButton = (policy: string) => page.getByRole('button', { name: `Detach ${policy}`, exact: true });
    await page.locator('button[data-permission="denied"]', { hasText: 'Detach Kept' }).waitFor();
    await expect(detachButton('Kept').isDisabled()).resolves.toBe(true);
    await expect(detachButton('Kept').getAttribute('title')).resolves.toBe('Not allowed: you may not iam:DetachUserPolicy');
    await page.locator('button[data-permission="allowed"]', { hasText: 'Detach Detachable' }).waitFor();
    await expect(detachButton('Detachable').isDisabled()).resolves.toBe(false);

    // The console only reflects: the API refuses whatever it shows as not allowed.
    const token = await page.evaluate(() => JSON.parse(sessionStorage.getItem('iam-console-session') ?? '{}').token as string);
    const viaSession = await fetch(`${base}/v1/groups`, { method: 'POST', headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' }, body: JSON.stringify({ GroupName: 'sneaky' }) });
    expect(viaSession.status).toBe(403);
    expect((await body(viaSession)).code).toBe('AccessDenied');
    const viaKey = await signedFetch(base, daveKey, { method: 'POST', path: '/v1/groups', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ GroupName: 'sneaky' }) });
    expect(viaKey.status).toBe(403);
    expect((await body(viaKey)).code).toBe('AccessDenied');
    const permissions = await fetch(`${base}/v1/me/permissions`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify({ Checks: [{ Action: 'iam:CreateGroup', Resource: '*' }, { Action: 'iam:ListGroups', Resource: '*' }] }),
    });
    expect((await body(permissions)).Results.map((r: { Decision: string }) => r.Decision)).toEqual(['implicitDeny', 'allowed']);
    // ... and so do the calls behind the Detach buttons: Kept's is refused, Detachable's goes through.
    const detach = (arn: string) => fetch(`${base}/v1/users/dave/attached-policies/${encodeURIComponent(arn)}`, { method: 'DELETE', headers: { authorization: `Bearer ${token}` } });
    const refused = await detach(kept);
    expect(refused.status).toBe(403);
    expect((await body(refused)).code).toBe('AccessDenied');
    await detachButton('Detachable').click();
    await page.locator('tr', { hasText: 'Detachable' }).waitFor({ state: 'detached' });
    await page.locator('tr', { hasText: 'Kept' }).waitFor();
  });

  it('works at phone width: the menu opens, the pages stay accessible', async () => {
    await page.setViewportSize({ width: 390, height: 844 });
    await page.getByRole('button', { name: 'Menu' }).click();
    await nav('Groups');
    await page.getByRole('link', { name: 'security', exact: true }).waitFor();
    expect(await page.evaluate('document.documentElement.scrollWidth <= window.innerWidth + 1')).toBe(true);
    await screenshot(page, 'phone-groups');
    await audit('phone-groups');
    await page.setViewportSize({ width: 1280, height: 860 });
    await signOut();
    expect(audited.length).toBeGreaterThanOrEqual(25);
  });
});

describeWithServices('the web console in distributed mode: the gateway process serves it', () => {
  let system: RunningSystem;

  beforeAll(async () => {
    system = await startDistributedSystem();
  });

  afterAll(async () => {
    await system?.stop();
  });

  it('serves the console and sends a browser opening / there, and answers what a signed-in caller may do', async () => {
    const page = await fetch(`${system.base}/console/users/dave`);
    expect(page.status).toBe(200);
    expect(await page.text()).toContain('<title>IAM console</title>');
    expect(page.headers.get('content-security-policy')).toContain("script-src 'self'");
    const visit = await fetch(`${system.base}/`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(visit.status).toBe(302);
    expect(visit.headers.get('location')).toBe('/console/');
    const aws = await fetch(`${system.base}/`, { method: 'POST', headers: { accept: 'text/html', 'content-type': 'application/x-www-form-urlencoded' }, body: 'Action=ListUsers&Version=2010-05-08' });
    expect(aws.status).toBe(403);
    expect(await aws.text()).toContain('<Code>MissingAuthenticationToken</Code>');

    const signIn = await fetch(`${system.base}/v1/sessions`, { method: 'POST', headers: { 'content-type': 'application/json' }, body: JSON.stringify({ Root: true, Password: system.rootPassword }) });
    const { SessionToken } = await body(signIn);
    const json = { 'content-type': 'application/json' };
    const asRoot = { authorization: `Bearer ${SessionToken}`, ...json };
    expect((await fetch(`${system.base}/v1/users`, { method: 'POST', headers: asRoot, body: JSON.stringify({ UserName: 'carol' }) })).status).toBe(201);
    await fetch(`${system.base}/v1/users/carol/login-profile`, { method: 'POST', headers: asRoot, body: JSON.stringify({ Password: 'Carol-Passw0rd!1', PasswordResetRequired: false }) });
    await fetch(`${system.base}/v1/users/carol/policies/own`, {
      method: 'PUT',
      headers: asRoot,
      body: JSON.stringify({ PolicyDocument: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: 'arn:aws:iam::*:user/${aws:username}' }, { Effect: 'Deny', Action: 'iam:DeleteUser', Resource: '*' }] } }),
    });
    const carol = await body(await fetch(`${system.base}/v1/sessions`, { method: 'POST', headers: json, body: JSON.stringify({ UserName: 'carol', Password: 'Carol-Passw0rd!1' }) }));
    const checks = [
      { Action: 'iam:GetUser', Resource: `arn:aws:iam::123456789012:user/carol` },
      { Action: 'iam:GetUser', Resource: `arn:aws:iam::123456789012:user/root-made` },
      { Action: 'iam:DeleteUser', Resource: `arn:aws:iam::123456789012:user/carol` },
    ];
    const mine = await fetch(`${system.base}/v1/me/permissions`, { method: 'POST', headers: { authorization: `Bearer ${carol.SessionToken}`, ...json }, body: JSON.stringify({ Checks: checks }) });
    expect(mine.status).toBe(200);
    expect((await body(mine)).Results.map((r: { Decision: string }) => r.Decision)).toEqual(['allowed', 'implicitDeny', 'explicitDeny']);
    const root = await fetch(`${system.base}/v1/me/permissions`, { method: 'POST', headers: asRoot, body: JSON.stringify({ Checks: checks }) });
    expect((await body(root)).Results.map((r: { Decision: string }) => r.Decision)).toEqual(['allowed', 'allowed', 'allowed']);
  });
});
