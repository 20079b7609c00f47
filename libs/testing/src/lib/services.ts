import { spawnSync } from 'node:child_process';

/**
 * Integration specs need a real PostgreSQL and NATS. They run when both
 * answer; when they do not, the specs are skipped with the reason printed,
 * unless services are required (`CI=true` or `IAM_TEST_SERVICES=required`),
 * in which case each such spec fails.
 */
export const TEST_DATABASE_URL = process.env['IAM_TEST_DATABASE_URL'] ?? 'postgres://postgres@127.0.0.1:5432/test';
export const TEST_NATS_URL = process.env['IAM_TEST_NATS_URL'] ?? 'nats://127.0.0.1:4222';

export function servicesRequired(): boolean {
  return process.env['CI'] === 'true' || process.env['IAM_TEST_SERVICES'] === 'required';
}

const PROBE = `
const net = require('node:net');
const probe = (url) => new Promise((resolve) => {
  const { hostname, port } = new URL(url);
  const socket = net.connect({ host: hostname, port: Number(port) });
  const done = (ok) => { socket.destroy(); resolve(ok ? '' : url); };
  socket.setTimeout(1500, () => done(false));
  socket.once('connect', () => done(true));
  socket.once('error', () => done(false));
});
Promise.all(process.argv.slice(1).map(probe)).then((down) => process.stdout.write(down.filter(Boolean).join(' ')));
`;

/** Which of PostgreSQL and NATS do not answer (checked once per test file). */
export function unreachableServices(): string[] {
  const cached = process.env['IAM_TEST_SERVICES_DOWN'];
  if (cached !== undefined) return cached ? cached.split(' ') : [];
  const result = spawnSync(process.execPath, ['-e', PROBE, TEST_DATABASE_URL.replace(/^postgres(ql)?:/, 'tcp:'), TEST_NATS_URL.replace(/^nats:/, 'tcp:')], {
    encoding: 'utf8',
    timeout: 5_000,
  });
  const down = (result.stdout ?? '').trim();
  process.env['IAM_TEST_SERVICES_DOWN'] = down;
  return down ? down.split(' ') : [];
}

/**
 * `describe` for specs that need PostgreSQL and NATS: runs them, skips them
 * with a printed reason, or fails them when services are required.
 */
export function describeWithServices(name: string, body: () => void): void {
  const down = unreachableServices();
  if (down.length === 0) {
    describe(name, body);
    return;
  }
  const reason = `PostgreSQL and NATS are needed; not reachable: ${down.join(', ')}`;
  if (servicesRequired()) {
    describe(name, () => {
      it('has its services', () => {
        throw new Error(`${reason} (services are required: CI=true or IAM_TEST_SERVICES=required)`);
      });
    });
    return;
  }
  console.warn(`Skipping "${name}": ${reason}. Set IAM_TEST_SERVICES=required to make this an error.`);
  describe.skip(name, body);
}
