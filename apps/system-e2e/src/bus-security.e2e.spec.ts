import { writeNatsCredentials } from '@iam/platform';
import { describeWithNatsServer, describeWithServices, startNatsServer, temporaryFolder, TestNatsServer } from '@iam/testing';
import { connect, Msg, nkeyAuthenticator } from 'nats';
import { readFileSync } from 'node:fs';
import { restDriver, signedFetch, startDistributedSystem, type RunningSystem } from './support/gateway';
import { tutorialStory } from './support/gateway-story';
import { startApp } from './support/processes';

jest.setTimeout(180_000);

/**
 * The distributed mode as production runs it: NODE_ENV=production, a NATS of
 * the spec's own started with the configuration `npm run nats-config` writes,
 * and each app on its own NKey with its role's subject permissions.
 */
describeWithServices('distributed mode on an authenticated bus', () => {
  describeWithNatsServer('four processes with their own NATS credentials', () => {
    const folder = temporaryFolder('bus-e2e');
    let nats: TestNatsServer;
    let system: RunningSystem;
    let seedFiles: Record<string, string>;
    const prefix = 'iam';

    beforeAll(async () => {
      const credentials = writeNatsCredentials(folder.path, { prefix });
      seedFiles = credentials.seedFiles;
      nats = await startNatsServer({ configFile: credentials.configFile });
      const appEnv = Object.fromEntries(Object.entries(seedFiles).map(([app, file]) => [app, { IAM_NATS_NKEY_SEED_FILE: file }]));
      system = await startDistributedSystem({ NATS_URL: nats.url, IAM_BUS_SUBJECT_PREFIX: prefix, NODE_ENV: 'production' }, appEnv);
    });

    afterAll(async () => {
      await system?.stop();
      await nats?.stop();
      folder.remove();
    });

    // Every step of the tutorial crosses the bus: users, groups, policies, keys, and the two-phase deletes between services.
    tutorialStory('rest', () => ({ call: restDriver(system.base), root: system.root }));

    it('refuses, then does, the delete of a group member (identity asks directory and authorization) and answers who-can (authorization asks directory and identity)', async () => {
      const asRoot = (method: string, path: string, payload?: unknown, query: Record<string, string> = {}) =>
        signedFetch(system.base, system.root, {
          method,
          path,
          query,
          ...(payload !== undefined ? { body: JSON.stringify(payload), headers: { 'content-type': 'application/json' } } : {}),
        });
      expect((await asRoot('POST', '/v1/users', { UserName: 'leaver' })).status).toBe(201);
      expect((await asRoot('POST', '/v1/groups', { GroupName: 'leavers' })).status).toBe(201);
      expect((await asRoot('PUT', '/v1/groups/leavers/members/leaver')).status).toBe(204);
      const whoCan = await asRoot('GET', '/v1/who-can', undefined, { action: 'iam:ListGroups', resource: '*' });
      expect(whoCan.status).toBe(200);
      // Directory refuses (the user is a member): its answer came back through identity.
      const refused = await asRoot('DELETE', '/v1/users/leaver');
      expect(refused.status).toBe(409);
      expect(((await refused.json()) as { code: string }).code).toBe('DeleteConflict');
      expect((await asRoot('DELETE', '/v1/groups/leavers/members/leaver')).status).toBe(204);
      expect((await asRoot('DELETE', '/v1/users/leaver')).status).toBe(204);
      expect((await asRoot('GET', '/v1/users/leaver')).status).toBe(404);
    });

    it("does not let the gateway's credential read the services' traffic", async () => {
      const spy = await connect({ servers: nats.url, authenticator: nkeyAuthenticator(new TextEncoder().encode(readFileSync(seedFiles['gateway'], 'utf8').trim())) });
      const seen: Msg[] = [];
      const refused: string[] = [];
      spy.subscribe('>', { callback: (error, message) => (error ? refused.push(error.message) : seen.push(message)) });
      await spy.flush();
      const response = await fetch(`${system.base}/v1/sessions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ Root: true, Password: system.rootPassword }),
      });
      expect(response.status).toBe(201);
      await spy.flush();
      await spy.close();
      expect(seen).toEqual([]);
      expect(refused.join('\n')).toMatch(/Permissions Violation for Subscription to ">"/);
    });

    it('refuses to start a service in production without bus credentials, with one line naming the fix', async () => {
      const identity = startApp('identity', { ...system.env, NATS_URL: nats.url });
      const line = await identity.waitForLine(/configuration error/);
      expect(line).toBe(
        'identity: configuration error: NATS_URL has no credentials in production: set IAM_NATS_NKEY_SEED_FILE (npm run nats-config writes one per app) or IAM_BUS_ALLOW_UNAUTHENTICATED=true',
      );
      expect(await identity.waitForExit()).toBe(1);
    });
  });
});
