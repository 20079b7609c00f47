import type { Config } from 'jest';
import { getJestProjectsAsync } from '@nx/jest';

export default async (): Promise<Config> => ({
  projects: await getJestProjectsAsync(),
  // Integration specs start services against real PostgreSQL and NATS.
  testTimeout: 30_000,
});
