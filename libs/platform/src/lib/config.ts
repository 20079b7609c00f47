import { z } from 'zod';

/**
 * Configuration from environment variables, validated once at start-up.
 * A bad value stops the process with one line per problem, naming the variable.
 */
export class ConfigError extends Error {
  override readonly name = 'ConfigError';
  constructor(readonly problems: string[]) {
    super(problems.join('\n'));
  }
}

/** A start-up problem said in one line: what failed and how to fix it (printed without a stack). */
export class StartupError extends Error {
  override readonly name = 'StartupError';
}

/** An empty variable counts as unset. */
export const emptyAsUndefined = (value: unknown) => (value === '' ? undefined : value);
const optionalString = () => z.preprocess(emptyAsUndefined, z.string().optional());
/** An integer variable in `[min, max]`, `fallback` when unset, with one-line messages. */
export const envInteger = (min: number, max: number, fallback: number) =>
  z.preprocess(
    emptyAsUndefined,
    z.coerce.number({ error: 'must be an integer' }).int('must be an integer').min(min, `must be at least ${min}`).max(max, `must be at most ${max}`).default(fallback),
  );

const url = (protocols: string[], example: string) =>
  z
    .string({ error: `is required, e.g. ${example}` })
    .refine((value) => {
      try {
        return protocols.includes(new URL(value).protocol);
      } catch {
        return false;
      }
    }, `must be a ${protocols.join(' or ')}// URL, e.g. ${example}`);

/** Settings every process reads. */
export const CommonEnv = z.object({
  IAM_ACCOUNT_ID: z.preprocess(
    emptyAsUndefined,
    z.string().regex(/^\d{12}$/, 'must be exactly 12 digits').default('000000000000'),
  ),
  LOG_LEVEL: z.preprocess(
    emptyAsUndefined,
    z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  ),
  /** Time a bus request may take before the caller gets ServiceUnavailable. */
  IAM_BUS_TIMEOUT_MS: envInteger(100, 120_000, 5_000),
  /** A service's health port (`/health/live`, `/health/ready`, `/metrics`); none when unset. */
  IAM_HEALTH_PORT: z.preprocess(emptyAsUndefined, z.coerce.number({ error: 'must be a port number' }).int('must be a port number').min(0, 'must be a port number').max(65535, 'must be a port number').optional()),
  /** Prefix for every bus subject, to share one NATS between several deployments. */
  IAM_BUS_SUBJECT_PREFIX: z.preprocess(
    emptyAsUndefined,
    z.string().regex(/^[A-Za-z0-9_-]+$/, 'may contain only letters, digits, _ and -').optional(),
  ),
});

export const NatsEnv = z.object({
  NATS_URL: z.preprocess(emptyAsUndefined, url(['nats:', 'tls:', 'ws:', 'wss:'], 'nats://127.0.0.1:4222')),
  /** The app's NKey seed (`SU…`), as `npm run nats-config` writes it; or the file that holds it. */
  IAM_NATS_NKEY_SEED: z.preprocess(emptyAsUndefined, z.string().regex(/^SU[A-Z2-7]{56}$/, 'must be an NKey user seed (SU followed by 56 base32 characters)').optional()),
  IAM_NATS_NKEY_SEED_FILE: optionalString(),
  /** TLS to NATS: the CA that signed the server's certificate, and the app's own certificate and key for mutual TLS. */
  IAM_NATS_TLS_CA_FILE: optionalString(),
  IAM_NATS_TLS_CERT_FILE: optionalString(),
  IAM_NATS_TLS_KEY_FILE: optionalString(),
  /** In production (NODE_ENV=production) an app refuses a bus without credentials unless this is `true`. */
  IAM_BUS_ALLOW_UNAUTHENTICATED: z.preprocess(emptyAsUndefined, z.enum(['true', 'false'], { error: "must be 'true' or 'false'" }).default('false')),
  NODE_ENV: optionalString(),
});

export const DatabaseEnv = z.object({
  DATABASE_URL: z.preprocess(emptyAsUndefined, url(['postgres:', 'postgresql:'], 'postgres://postgres@127.0.0.1:5432/iam')),
  IAM_DB_POOL_SIZE: envInteger(1, 100, 10),
});

export const HttpEnv = z.object({
  PORT: envInteger(0, 65535, 8080),
  HOST: z.preprocess(emptyAsUndefined, z.string().default('0.0.0.0')),
});

/** The root principal's credentials and the key that encrypts secrets at rest. */
export const SecretsEnv = z.object({
  IAM_ROOT_ACCESS_KEY_ID: z.preprocess(
    emptyAsUndefined,
    z.string().regex(/^[A-Z0-9]{16,128}$/, 'must be 16 to 128 upper-case letters and digits').optional(),
  ),
  IAM_ROOT_SECRET_ACCESS_KEY: z.preprocess(
    emptyAsUndefined,
    z.string().min(40, 'must be at least 40 characters').max(128, 'must be at most 128 characters').optional(),
  ),
  IAM_ROOT_PASSWORD: optionalString(),
  /** 32 bytes, base64-encoded. */
  IAM_MASTER_KEY: z.preprocess(
    emptyAsUndefined,
    z
      .string()
      .refine((value) => Buffer.from(value, 'base64').length === 32 && /^[A-Za-z0-9+/]+={0,2}$/.test(value), 'must be 32 bytes encoded as base64 (openssl rand -base64 32)')
      .optional(),
  ),
});

export type CommonConfig = z.infer<typeof CommonEnv>;
export type NatsConfig = z.infer<typeof NatsEnv>;
export type DatabaseConfig = z.infer<typeof DatabaseEnv>;
export type HttpConfig = z.infer<typeof HttpEnv>;
export type SecretsConfig = z.infer<typeof SecretsEnv>;

/** Validates `env` against `schema`; throws {@link ConfigError} listing every bad value. */
export function loadConfig<S extends z.ZodObject>(schema: S, env: NodeJS.ProcessEnv = process.env): z.output<S> {
  const result = schema.safeParse(env);
  if (result.success) return result.data;
  const problems = result.error.issues.map((issue) => {
    const name = String(issue.path[0] ?? '?');
    const value = env[name];
    const message = issue.code === 'invalid_type' && (value === undefined || value === '') ? 'is required' : issue.message;
    return `${name} ${message}${value !== undefined && value !== '' && !isSecret(name) ? ` (got '${value}')` : ''}`;
  });
  throw new ConfigError(problems);
}

function isSecret(name: string): boolean {
  return /SECRET|PASSWORD|MASTER_KEY|DATABASE_URL|NKEY_SEED$/.test(name);
}

/** Root credentials must come in pairs. */
export function checkRootCredentials(config: SecretsConfig): void {
  if (Boolean(config.IAM_ROOT_ACCESS_KEY_ID) !== Boolean(config.IAM_ROOT_SECRET_ACCESS_KEY)) {
    throw new ConfigError([
      'IAM_ROOT_ACCESS_KEY_ID and IAM_ROOT_SECRET_ACCESS_KEY must be set together',
    ]);
  }
}
