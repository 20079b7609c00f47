import { writeFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { nkeys } from 'nats';
import { z } from 'zod';
import { CommonEnv, ConfigError, loadConfig, NatsEnv } from '../config';
import { natsConnectionOptions, natsTransport } from './transport';

const seed = () => new TextDecoder().decode(nkeys.createUser().getSeed());
const env = (values: Record<string, string>) => loadConfig(z.object({ ...CommonEnv.shape, ...NatsEnv.shape }), { NATS_URL: 'nats://127.0.0.1:4222', ...values });
const problems = (fn: () => unknown): string[] => {
  try {
    fn();
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
};

describe('natsTransport', () => {
  const folder = mkdtempSync(join(tmpdir(), 'iam-transport-spec-'));
  afterAll(() => rmSync(folder, { recursive: true, force: true }));

  it('refuses an unauthenticated bus in production with one line naming the fix', () => {
    expect(problems(() => natsTransport(env({ NODE_ENV: 'production' }), 'identity'))).toEqual([
      'NATS_URL has no credentials in production: set IAM_NATS_NKEY_SEED_FILE (npm run nats-config writes one per app) or IAM_BUS_ALLOW_UNAUTHENTICATED=true',
    ]);
  });

  it('accepts an unauthenticated bus in production only when explicitly allowed, and outside production', () => {
    expect(natsTransport(env({ NODE_ENV: 'production', IAM_BUS_ALLOW_UNAUTHENTICATED: 'true' }), 'identity')).toMatchObject({ kind: 'nats', nkeySeed: undefined });
    expect(natsTransport(env({}), 'identity')).toMatchObject({ kind: 'nats', nkeySeed: undefined });
    expect(natsTransport(env({ NODE_ENV: 'production', NATS_URL: 'nats://iam:pw@nats:4222' }), 'identity')).toMatchObject({ kind: 'nats' });
  });

  it('reads the seed from IAM_NATS_NKEY_SEED_FILE and uses the app inbox', () => {
    const value = seed();
    const file = join(folder, 'identity.nk');
    writeFileSync(file, `${value}\n`, { mode: 0o600 });
    const transport = natsTransport(env({ NODE_ENV: 'production', IAM_NATS_NKEY_SEED_FILE: file, IAM_BUS_SUBJECT_PREFIX: 'p1' }), 'identity');
    expect(transport).toMatchObject({ nkeySeed: value, app: 'identity', prefix: 'p1' });
    const options = natsConnectionOptions(transport as never);
    expect(options.inboxPrefix).toBe('_INBOX.p1.identity');
    expect(typeof options.authenticator).toBe('function');
  });

  it('names a bad seed or seed file without echoing the seed', () => {
    expect(() => env({ IAM_NATS_NKEY_SEED: 'SUnot-a-seed' })).toThrow('IAM_NATS_NKEY_SEED must be an NKey user seed (SU followed by 56 base32 characters)');
    expect(() => env({ IAM_NATS_NKEY_SEED: 'SUnot-a-seed' })).not.toThrow(/SUnot-a-seed/);
    expect(problems(() => natsTransport(env({ IAM_NATS_NKEY_SEED_FILE: join(folder, 'missing.nk') }), 'identity'))).toEqual([
      `IAM_NATS_NKEY_SEED_FILE cannot be read: ENOENT (got '${join(folder, 'missing.nk')}')`,
    ]);
    expect(problems(() => natsTransport(env({ IAM_NATS_NKEY_SEED: seed(), IAM_NATS_NKEY_SEED_FILE: join(folder, 'identity.nk') }), 'identity'))).toEqual([
      'IAM_NATS_NKEY_SEED and IAM_NATS_NKEY_SEED_FILE must not both be set',
    ]);
  });

  it('takes the TLS files, and wants a certificate and its key together', () => {
    expect(natsTransport(env({ IAM_NATS_TLS_CA_FILE: '/ca.pem' }), 'gateway')).toMatchObject({ tls: { caFile: '/ca.pem' } });
    expect(problems(() => natsTransport(env({ IAM_NATS_TLS_CERT_FILE: '/cert.pem' }), 'gateway'))).toEqual([
      "IAM_NATS_TLS_CERT_FILE and IAM_NATS_TLS_KEY_FILE must be set together (the app's certificate for mutual TLS)",
    ]);
  });
});
