import { z } from 'zod';
import { checkRootCredentials, CommonEnv, ConfigError, DatabaseEnv, HttpEnv, loadConfig, NatsEnv, SecretsEnv } from './config';

const Env = z.object({ ...CommonEnv.shape, ...NatsEnv.shape, ...DatabaseEnv.shape, ...HttpEnv.shape, ...SecretsEnv.shape });
const valid = { NATS_URL: 'nats://127.0.0.1:4222', DATABASE_URL: 'postgres://u@127.0.0.1:5432/iam' };

function problems(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(Env, env);
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('configuration from the environment', () => {
  it('applies defaults', () => {
    expect(loadConfig(Env, valid)).toMatchObject({
      IAM_ACCOUNT_ID: '000000000000',
      LOG_LEVEL: 'info',
      IAM_BUS_TIMEOUT_MS: 5000,
      IAM_DB_POOL_SIZE: 10,
      PORT: 8080,
      HOST: '0.0.0.0',
    });
  });

  it('treats an empty variable as unset', () => {
    expect(loadConfig(Env, { ...valid, IAM_ACCOUNT_ID: '', PORT: '' })).toMatchObject({ IAM_ACCOUNT_ID: '000000000000', PORT: 8080 });
  });

  it('reports one line per bad value, naming the variable and the value', () => {
    expect(problems({ ...valid, IAM_ACCOUNT_ID: '12345', PORT: 'eighty', LOG_LEVEL: 'loud' })).toEqual([
      "IAM_ACCOUNT_ID must be exactly 12 digits (got '12345')",
      expect.stringMatching(/^LOG_LEVEL .*\(got 'loud'\)$/),
      "PORT must be an integer (got 'eighty')",
    ]);
  });

  it('reports a missing required URL with an example', () => {
    expect(problems({ DATABASE_URL: valid.DATABASE_URL })).toEqual(['NATS_URL is required']);
    expect(problems({ ...valid, NATS_URL: 'http://x' })).toEqual([expect.stringContaining("NATS_URL must be a nats: or tls: or ws: or wss:// URL, e.g. nats://127.0.0.1:4222 (got 'http://x')")]);
  });

  it('never echoes secrets back', () => {
    const lines = problems({ ...valid, IAM_MASTER_KEY: 'not-base64!', IAM_ROOT_SECRET_ACCESS_KEY: 'short', DATABASE_URL: 'mysql://user:hunter2@db/x' });
    expect(lines).toHaveLength(3);
    for (const line of lines) {
      expect(line).not.toContain('hunter2');
      expect(line).not.toContain('not-base64!');
      expect(line).not.toContain('short');
    }
  });

  it('accepts a 32-byte base64 master key and refuses other lengths', () => {
    const key = Buffer.alloc(32, 7).toString('base64');
    expect(loadConfig(Env, { ...valid, IAM_MASTER_KEY: key }).IAM_MASTER_KEY).toBe(key);
    expect(problems({ ...valid, IAM_MASTER_KEY: Buffer.alloc(16).toString('base64') })).toEqual([
      'IAM_MASTER_KEY must be 32 bytes encoded as base64 (openssl rand -base64 32)',
    ]);
  });

  it('wants root keys in pairs', () => {
    expect(() => checkRootCredentials({ IAM_ROOT_ACCESS_KEY_ID: 'AKIAAAAAAAAAAAAAAAAA' })).toThrow(ConfigError);
    expect(() => checkRootCredentials({})).not.toThrow();
  });
});
