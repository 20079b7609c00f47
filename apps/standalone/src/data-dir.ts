import { randomBytes, randomInt } from 'node:crypto';
import { chmodSync, closeSync, fsyncSync, lstatSync, mkdirSync, openSync, readdirSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { lock } from 'proper-lockfile';

/**
 * Takes the data folder for this process alone, and makes it and everything in
 * it private to its owner (mode 0700 for folders, no group or other bits on
 * files), whatever modes it had. The lock is refreshed every second; one left
 * by a process that was killed goes stale after five, so a restart right after
 * a crash waits a few seconds instead of failing, while a second process next
 * to a live one fails with a clear message.
 */
export async function lockDataDir(directory: string): Promise<{ close(): Promise<void> }> {
  // Everything this process writes from now on (PGlite's files, keys, the lock) is the owner's only.
  process.umask(0o077);
  mkdirSync(directory, { recursive: true, mode: 0o700 });
  let release: () => Promise<void>;
  try {
    release = await lock(directory, {
      lockfilePath: join(directory, '.lock'),
      stale: 5_000,
      update: 1_000,
      retries: { retries: 7, minTimeout: 1_000, maxTimeout: 1_000 },
    });
  } catch (error) {
    if ((error as { code?: string }).code === 'ELOCKED') {
      throw new Error(`Another process is using the data folder ${directory}.`);
    }
    throw error;
  }
  try {
    ownerOnly(directory);
  } catch (error) {
    await release();
    throw error;
  }
  return { close: () => release() };
}

/**
 * Takes every permission of group and others away from `path` and, for a folder, from everything
 * in it: the data folder may have been made beforehand, or its files copied in, with open modes.
 * Symbolic links are left alone (their targets are not the data folder's).
 */
export function ownerOnly(path: string): void {
  const stats = lstatSync(path);
  if (stats.isSymbolicLink()) return;
  if ((stats.mode & 0o077) !== 0) {
    try {
      chmodSync(path, stats.mode & 0o7700);
    } catch (error) {
      throw new Error(`Cannot make ${path} private to its owner (${(error as { code?: string }).code ?? (error as Error).message}): the data folder and everything in it must belong to the user running IAM.`);
    }
  }
  if (stats.isDirectory()) {
    for (const entry of readdirSync(path)) ownerOnly(join(path, entry));
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

function readIfPresent(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8').trim();
  } catch (error) {
    if ((error as { code?: string }).code === 'ENOENT') return undefined;
    throw error;
  }
}

/**
 * Reads `name` from the data folder, or creates it once with `create()`,
 * readable by the owner only (mode 0600).
 */
function readOrCreate(directory: string, name: string, create: () => string): { value: string; path: string; created: boolean } {
  const path = join(directory, name);
  const existing = readIfPresent(path);
  if (existing !== undefined) return { value: existing, path, created: false };
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

const MASTER_KEY = 'master.key';
/** Where the key being retired waits while a rotation re-encrypts the secrets it sealed. */
const PREVIOUS_MASTER_KEY = 'master.key.previous';

const newMasterKey = () => randomBytes(32).toString('base64');

/** Replaces `path` all at once (a new file renamed over it, synced first), mode 0600. */
function replaceFile(path: string, content: string): void {
  const next = `${path}.next`;
  rmSync(next, { force: true });
  const fd = openSync(next, 'wx', 0o600);
  try {
    writeFileSync(fd, content);
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
  renameSync(next, path);
}

/**
 * The key that encrypts secrets at rest, generated on first start, and the key a rotation
 * that has not finished is retiring (secrets sealed under either stay readable).
 */
export function masterKeyIn(directory: string) {
  const file = readOrCreate(directory, MASTER_KEY, newMasterKey);
  const previous = readIfPresent(join(directory, PREVIOUS_MASTER_KEY));
  return { key: file.value, previous, path: file.path, created: file.created };
}

/**
 * Starts (or resumes) replacing the data folder's master key: the current key is kept as the
 * previous one, then a new key takes its place, each file replaced atomically, so that a crash
 * at any point leaves every secret readable with the keys on disk. A rotation left unfinished is
 * resumed with the keys it had chosen.
 */
export function beginMasterKeyRotation(directory: string): { key: string; previous: string; path: string } {
  const keys = masterKeyIn(directory);
  if (keys.previous !== undefined) return { key: keys.key, previous: keys.previous, path: keys.path };
  replaceFile(join(directory, PREVIOUS_MASTER_KEY), `${keys.key}\n`);
  const key = newMasterKey();
  replaceFile(keys.path, `${key}\n`);
  return { key, previous: keys.key, path: keys.path };
}

/** Forgets the retired key once no secret is sealed under it. */
export function finishMasterKeyRotation(directory: string): void {
  rmSync(join(directory, PREVIOUS_MASTER_KEY), { force: true });
}
