import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort, ROOT, RunningProcess, start, startApp, waitForStatus } from './support/processes';

/** Variables the embedded default must not pick up from the machine running the tests. */
const CLEAN = { DATABASE_URL: '', NATS_URL: '', HOST: '', IAM_ROOT_ACCESS_KEY_ID: '', IAM_ROOT_SECRET_ACCESS_KEY: '', IAM_MASTER_KEY: '', IAM_LOG_FORMAT: '', CI: '' };
const MAIN = join(ROOT, 'dist/apps/standalone/main.js');
/** ANSI colour and cursor sequences, and the carriage returns a terminal adds. */
// eslint-disable-next-line no-control-regex -- the escape sequences a terminal gets are what is matched
const CONTROL = /\u001b\[[0-9;]*[A-Za-z]|\r/g;
/** A record's first line as pino-pretty writes it (`[04:20:38.123] INFO: iam is listening`), its fields indented below. */
const PRETTY = /^\[\d\d:\d\d:\d\d\.\d{3}\] (TRACE|DEBUG|INFO|WARN|ERROR|FATAL): /;

jest.setTimeout(300_000);

/** util-linux `script`: runs a command with its stdout on a pseudo-terminal, as in a terminal window. */
function requireScript(): void {
  const probe = spawnSync('script', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) throw new Error('`script` (util-linux) is needed to give the process a terminal: apt-get install bsdutils.');
}

describe('the embedded default on a terminal and in a browser', () => {
  const folders: string[] = [];
  const processes: RunningProcess[] = [];
  const folder = () => {
    const made = mkdtempSync(join(tmpdir(), 'iam-terminal-'));
    folders.push(made);
    return made;
  };

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    for (const made of folders) rmSync(made, { recursive: true, force: true });
  });

  it('writes readable logs (pino-pretty) when stdout is a terminal, and the plain lines after them', async () => {
    requireScript();
    const port = await freePort();
    const dataDir = join(folder(), 'data');
    // script -q: no banner; -e: its exit code is the command's; the typescript file is thrown away.
    const app = start('script', 'script', ['-q', '-e', '-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)}`, '/dev/null'], {
      ...CLEAN,
      PORT: String(port),
      IAM_DATA_DIR: dataDir,
    });
    processes.push(app);
    await app.waitForLine(/Root access keys generated and stored in /, 240_000);
    const lines = app.lines.map((line) => line.replace(CONTROL, ''));
    const listening = lines.findIndex((line) => line.startsWith('IAM is listening on '));
    expect(listening).toBeGreaterThan(0);
    const logs = lines.slice(0, listening).filter((line) => line.trim() !== '');
    // Readable records, not JSON: each record's first line in pino-pretty's shape.
    expect(logs.filter((line) => PRETTY.test(line)).length).toBeGreaterThan(3);
    expect(logs.some((line) => /^\[[\d:.]+\] INFO: iam is listening$/.test(line))).toBe(true);
    expect(logs).toContain('    service: "gateway"');
    expect(logs.filter((line) => line.startsWith('{'))).toEqual([]);
    // Coloured, as on a terminal.
    // eslint-disable-next-line no-control-regex -- a colour escape sequence
    expect(app.lines.some((line) => /\u001b\[3\dm/.test(line))).toBe(true);
    expect(lines.slice(listening)).toEqual([
      `IAM is listening on http://127.0.0.1:${port} (bound to 127.0.0.1: this machine only; set HOST=0.0.0.0 to open it to the network; data in ${dataDir}).`,
      `Web console: http://127.0.0.1:${port}/console/ (to sign in as root, start with IAM_ROOT_PASSWORD set).`,
      `API explorer: http://127.0.0.1:${port}/docs`,
      `Root access keys generated and stored in ${join(dataDir, 'root-credentials.json')} (readable by you only).`,
    ]);
    // A request is one readable line too.
    await waitForStatus(`http://127.0.0.1:${port}/health`);
    const requestLine = async () => app.lines.map((line) => line.replace(CONTROL, '')).find((line) => /\] INFO: request$/.test(line));
    for (let i = 0; i < 50 && !(await requestLine()); i++) await new Promise((r) => setTimeout(r, 100));
    expect(await requestLine()).toMatch(PRETTY);
    expect(await app.stop()).toBe(0);
  });

  it('writes one JSON object a line when stdout is not a terminal, and IAM_LOG_FORMAT=json keeps JSON on one', async () => {
    const port = await freePort();
    const piped = startApp('standalone', { ...CLEAN, PORT: String(port), IAM_DATA_DIR: join(folder(), 'data') });
    processes.push(piped);
    await piped.waitForLine(/^Root access keys generated and stored in /, 240_000);
    const listening = piped.lines.findIndex((line) => line.startsWith('IAM is listening on '));
    const logs = piped.lines.slice(0, listening).filter((line) => line.trim() !== '');
    expect(logs.length).toBeGreaterThan(3);
    for (const line of logs) expect(JSON.parse(line)).toMatchObject({ level: expect.any(String), time: expect.any(String), service: expect.any(String) });
    await piped.stop();

    requireScript();
    const jsonPort = await freePort();
    const forced = start('script', 'script', ['-q', '-e', '-c', `${JSON.stringify(process.execPath)} ${JSON.stringify(MAIN)}`, '/dev/null'], {
      ...CLEAN,
      IAM_LOG_FORMAT: 'json',
      PORT: String(jsonPort),
      IAM_DATA_DIR: join(folder(), 'data'),
    });
    processes.push(forced);
    await forced.waitForLine(/Root access keys generated and stored in /, 240_000);
    const lines = forced.lines.map((line) => line.replace(CONTROL, ''));
    const forcedLogs = lines.slice(0, lines.findIndex((line) => line.startsWith('IAM is listening on '))).filter((line) => line.trim() !== '');
    expect(forcedLogs.length).toBeGreaterThan(3);
    for (const line of forcedLogs) expect(() => JSON.parse(line)).not.toThrow();
    await forced.stop();
  });

  it('sends a browser opening / to the console, and still answers an AWS client at / in XML', async () => {
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    const app = startApp('standalone', { ...CLEAN, PORT: String(port), IAM_DATA_DIR: join(folder(), 'data') });
    processes.push(app);
    await app.waitForLine(/^Root access keys generated and stored in /, 240_000);
    const browser = await fetch(`${base}/`, {
      headers: { accept: 'text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,*/*;q=0.8', 'user-agent': 'Mozilla/5.0 (X11; Linux x86_64; rv:128.0) Gecko/20100101 Firefox/128.0' },
      redirect: 'manual',
    });
    expect(browser.status).toBe(302);
    expect(browser.headers.get('location')).toBe('/console/');
    const followed = await fetch(`${base}/`, { headers: { accept: 'text/html' } });
    expect(followed.status).toBe(200);
    expect(followed.headers.get('content-type')).toContain('text/html');
    expect(await followed.text()).not.toContain('InvalidAction');
    const aws = await fetch(`${base}/?Action=ListUsers&Version=2010-05-08`, { headers: { accept: 'text/html' }, redirect: 'manual' });
    expect(aws.status).toBe(403);
    expect(await aws.text()).toContain('<Code>MissingAuthenticationToken</Code>');
    await app.stop();
  });
});
