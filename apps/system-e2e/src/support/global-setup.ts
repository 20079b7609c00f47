import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

/** Builds the apps the system specs start as processes (Nx replays unchanged builds from its cache). */
export default function globalSetup(): void {
  const root = resolve(__dirname, '../../../..');
  execFileSync(
    process.execPath,
    [require.resolve('nx/bin/nx', { paths: [root] }), 'run-many', '-t', 'build', '-p', 'gateway', 'identity', 'directory', 'authorization', 'standalone', '--outputStyle=static'],
    { cwd: root, stdio: ['ignore', 'ignore', 'inherit'], env: { ...process.env, NX_DAEMON: 'false', NX_NO_CLOUD: 'true' } },
  );
}
