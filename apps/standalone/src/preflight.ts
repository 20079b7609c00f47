import { accessSync, constants, existsSync, realpathSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { dirname, resolve, sep } from 'node:path';
import { StartupError } from '@iam/platform';


/** Kernel file systems where a data folder can never live (writing there fails, or worse, hangs). */
const PSEUDO_FILE_SYSTEMS = ['/proc', '/sys', '/dev'];

/**
 * Checks that `directory` can be the data folder before anything is written: not under a kernel
 * pseudo file system, and the nearest existing folder on its path a writable folder.
 */
export function checkDataDir(directory: string, variable = 'IAM_DATA_DIR'): void {
  let existing = resolve(directory);
  while (!existsSync(existing) && dirname(existing) !== existing) existing = dirname(existing);
  const real = realpathSync(existing);
  const pseudo = PSEUDO_FILE_SYSTEMS.find((top) => real === top || real.startsWith(top + sep));
  if (pseudo) {
    throw new StartupError(`${variable} ${directory} is under ${pseudo}, a kernel file system that cannot hold data: set ${variable} to a folder on a disk, e.g. ./data.`);
  }
  if (!statSync(real).isDirectory()) {
    throw new StartupError(`${variable} ${directory} cannot be a folder: ${existing} is a file: set ${variable} to a folder you own, e.g. ./data.`);
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new StartupError(`${variable} ${directory} is not writable (${existing} refuses this user): set ${variable} to a folder you own, e.g. ./data.`);
  }
}

/** Fails with a one-line fix when `host:port` is already taken or cannot be bound. */
export async function checkPortFree(host: string, port: number): Promise<void> {
  if (port === 0) return;
  await new Promise<void>((done, fail) => {
    const server = createServer();
    server.once('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'EADDRINUSE') {
        fail(new StartupError(`Port ${port} on ${host} is already in use (another IAM, or another program): stop it or start with PORT set to a free port, e.g. PORT=8081 npm start.`));
      } else if (error.code === 'EADDRNOTAVAIL' || error.code === 'ENOTFOUND' || error.code === 'EAI_AGAIN') {
        fail(new StartupError(`HOST ${host} is not an address of this machine: set HOST to 127.0.0.1 (this machine only) or 0.0.0.0 (every interface).`));
      } else if (error.code === 'EACCES') {
        fail(new StartupError(`Port ${port} needs privileges this user does not have: start with PORT set to 1024 or above, e.g. PORT=8080.`));
      } else {
        fail(error);
      }
    });
    server.listen(port, host, () => server.close(() => done()));
  });
}

/** How the address the gateway bound reads to a person: where to open it, and who can reach it. */
export function describeBinding(host: string, url: string): { url: string; reach: string } {
  const everywhere = host === '0.0.0.0' || host === '::';
  const local = url.replace('[::]', 'localhost').replace('0.0.0.0', 'localhost').replace('[::1]', 'localhost');
  const reach = everywhere
    ? `bound to ${host}: every network interface, reachable from other machines`
    : host === '127.0.0.1' || host === '::1' || host === 'localhost'
      ? `bound to ${host}: this machine only; set HOST=0.0.0.0 to open it to the network`
      : `bound to ${host}`;
  return { url: local, reach };
}
