import { randomBytes, randomInt } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';

/**
 * Takes the data folder for this process alone. The lock is refreshed every
 * second; one left by a process that was killed goes stale after five, so a
 * restart right after a crash waits a few seconds instead of failing, while a
 * second process next to a live one fails with a clear message.
 */
export async function lockDataDir(directory: string): Promise<{ close(): Promise<void> }> {
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  try {
    const release = await lock(directory, {
      lockfilePath: join(directory, '.lock'),
      stale: 5_000,
      update: 1_000,
      retries: { retries: 7, minTimeout: 1_000, maxTimeout: 1_000 },
    });
    return { close: () => release() };
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') {
      throw new Error(`Another process is using the data folder ${directory}.`);
    }
    throw error;
  }
}

export interface RootCredentials {
  accessKeyId: string;
  secretAccessKey: string;
}

const KEY_ID_ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ234567';

function newRootCredentials(): RootCredentials {
  let accessKeyId = 'AKIA';
  for (let i = 0; i < 16; i++) accessKeyId += KEY_ID_ALPHABET[randomInt(KEY_ID_ALPHABET.length)];
  const secretAccessKey = randomBytes(30).toString('base64').replace(/\+/g, 'A').replace(/\//g, 'B');
  return { accessKeyId, secretAccessKey };
}

/**
 * Reads `name` from the data folder, or creates it once with `create()`,
 * readable by the owner only (mode 0600).
 */
function readOrCreate(directory: string, name: string, create: () => string): { value: string; path: string; created: boolean } {
  const path = join(directory, name);
  try {
    return { value: readFileSync(path, 'utf8').trim(), path, created: false };
  } catch (error) {
    if ((error as { code?: string }).code !== 'ENOENT') throw error;
  }
  const value = create();
  writeFileSync(path, `${value}\n`, { mode: 0o600, flag: 'wx' });
  return { value, path, created: true };
}

/** The root principal's keys from the data folder, generated on first start. */
export function rootCredentialsIn(directory: string) {
  const file = readOrCreate(directory, 'root-credentials.json', () => JSON.stringify(newRootCredentials(), null, 2));
  const credentials = JSON.parse(file.value) as RootCredentials;
  return { ...credentials, path: file.path, created: file.created };
}

/** The key that encrypts secrets at rest, generated on first start. */
export function masterKeyIn(directory: string) {
  const file = readOrCreate(directory, 'master.key', () => randomBytes(32).toString('base64'));
  return { key: file.value, path: file.path, created: file.created };
}
