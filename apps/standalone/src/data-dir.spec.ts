import { chmodSync, lstatSync, mkdirSync, mkdtempSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { lockDataDir, ownerOnly } from './data-dir';

describe('the data folder is private to its owner', () => {
  let scratch: string;

  beforeEach(() => {
    scratch = mkdtempSync(join(tmpdir(), 'iam-data-dir-'));
  });

  afterEach(() => {
    rmSync(scratch, { recursive: true, force: true });
  });

  it('takes group and other permissions off a folder made beforehand and everything in it, and leaves links alone', () => {
    const data = join(scratch, 'data');
    mkdirSync(join(data, 'postgres', 'base'), { recursive: true });
    writeFileSync(join(data, 'postgres', 'base', '1259'), 'x');
    writeFileSync(join(data, 'notes.txt'), 'x');
    const outside = join(scratch, 'outside.txt');
    writeFileSync(outside, 'x');
    chmodSync(outside, 0o644);
    symlinkSync(outside, join(data, 'link'));
    for (const folder of [data, join(data, 'postgres'), join(data, 'postgres', 'base')]) chmodSync(folder, 0o755);
    chmodSync(join(data, 'postgres', 'base', '1259'), 0o666);
    chmodSync(join(data, 'notes.txt'), 0o754);

    ownerOnly(data);

    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'postgres')).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'postgres', 'base')).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'postgres', 'base', '1259')).mode & 0o777).toBe(0o600);
    expect(statSync(join(data, 'notes.txt')).mode & 0o777).toBe(0o700);
    expect(lstatSync(join(data, 'link')).isSymbolicLink()).toBe(true);
    expect(statSync(outside).mode & 0o777).toBe(0o644);
  });

  it('makes what the process writes after taking the folder private (umask 077), and the folder itself', async () => {
    const data = join(scratch, 'data');
    mkdirSync(data, { mode: 0o755 });
    chmodSync(data, 0o755);
    const previous = process.umask();
    const lock = await lockDataDir(data);
    try {
      expect(statSync(data).mode & 0o777).toBe(0o700);
      writeFileSync(join(data, 'written-later'), 'x', { mode: 0o666 });
      mkdirSync(join(data, 'folder-later'), { mode: 0o777 });
      expect(statSync(join(data, 'written-later')).mode & 0o777).toBe(0o600);
      expect(statSync(join(data, 'folder-later')).mode & 0o777).toBe(0o700);
    } finally {
      await lock.close();
      process.umask(previous);
    }
  });
});
