import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUS_APPS, type BusApp } from '@iam/contracts';
import { natsServerConfig } from '@iam/platform';
import { nkeys } from 'nats';
import { parse } from 'yaml';
import { KUBERNETES, type Manifest, REPOSITORY, renderKustomization } from './kustomize';
import { composeNatsProblems, kubernetesNatsProblems, natsServerConfigProblems } from './nats-credentials';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Anything = any;

/**
 * The NATS credential checks on the committed deployment files, and on broken copies of them:
 * each breakage a deploy could carry (a seed not mounted or mounted where the app does not read
 * it, another app's seed, a seed anyone may read, no way to NATS, credentials in a URL, an app
 * allowed to connect without credentials, NATS without its per-app permissions) is reported.
 */

const deployment = (manifests: Manifest[], app: string): Anything => manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === `iam-${app}`);
const seedVolume = (manifests: Manifest[], app: string): Anything => deployment(manifests, app).spec.template.spec.volumes.find((v: Anything) => v.name === 'nats-seed');
const container = (manifests: Manifest[], app: string): Anything => deployment(manifests, app).spec.template.spec.containers[0];
const configMap = (manifests: Manifest[]): Anything => manifests.find((m) => m.kind === 'ConfigMap' && m.metadata.name === 'iam');

describe('NATS credentials in deploy/kubernetes', () => {
  const renderings = { base: join(KUBERNETES, 'base'), dev: join(KUBERNETES, 'overlays/dev'), prod: join(KUBERNETES, 'overlays/prod') };

  it.each(Object.entries(renderings))('%s: every app has its own seed, mounted where it reads it, and a way to NATS', (_name, folder) => {
    expect(kubernetesNatsProblems(renderKustomization(folder))).toEqual([]);
  });

  const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
  const breakages: Array<[string, (m: Manifest[]) => void, string]> = [
    ['the seed volume dropped', (m) => {
      const pod = deployment(m, 'gateway').spec.template.spec;
      pod.volumes = pod.volumes.filter((v: Anything) => v.name !== 'nats-seed');
    }, 'iam-gateway: does not mount its NKey seed gateway.nk from the iam-nats Secret'],
    ['the seed taken from another Secret', (m) => {
      seedVolume(m, 'directory').secret.secretName = 'iam';
    }, 'iam-directory: mounts Secret iam'],
    ['another app\'s seed mounted too', (m) => {
      seedVolume(m, 'gateway').secret.items.push({ key: 'identity.nk', path: 'identity' });
    }, 'iam-gateway: mounts identity.nk of iam-nats, not only its own gateway.nk'],
    ['another app\'s seed instead of its own', (m) => {
      seedVolume(m, 'authorization').secret.items = [{ key: 'identity.nk', path: 'seed' }];
    }, 'iam-authorization: does not mount its NKey seed authorization.nk from the iam-nats Secret'],
    ['the whole Secret mounted', (m) => {
      delete seedVolume(m, 'identity').secret.items;
    }, 'iam-identity: mounts (every key) of iam-nats, not only its own identity.nk'],
    ['the seed volume not mounted in the container', (m) => {
      const c = container(m, 'identity');
      c.volumeMounts = c.volumeMounts.filter((v: Anything) => v.name !== 'nats-seed');
    }, 'iam-identity: the nats-seed volume (its NKey seed) is not mounted in the container'],
    ['the seed mounted at a path the app does not read', (m) => {
      container(m, 'directory').volumeMounts.find((v: Anything) => v.name === 'nats-seed').mountPath = '/etc/nats';
    }, 'iam-directory: IAM_NATS_NKEY_SEED_FILE is /var/run/iam/nats/seed, not /etc/nats/seed where its NKey seed is mounted'],
    ['IAM_NATS_NKEY_SEED_FILE pointing elsewhere', (m) => {
      container(m, 'gateway').env.find((e: Anything) => e.name === 'IAM_NATS_NKEY_SEED_FILE').value = '/var/run/iam/nats/gateway.nk';
    }, 'iam-gateway: IAM_NATS_NKEY_SEED_FILE is /var/run/iam/nats/gateway.nk, not /var/run/iam/nats/seed where its NKey seed is mounted'],
    ['the seed mounted writable', (m) => {
      container(m, 'gateway').volumeMounts.find((v: Anything) => v.name === 'nats-seed').readOnly = false;
    }, 'iam-gateway: its NKey seed is mounted writable'],
    ['the seed readable by everyone', (m) => {
      seedVolume(m, 'identity').secret.defaultMode = 0o444;
    }, 'iam-identity: its NKey seed has mode 0444, readable by others'],
    ['the seed readable by its owner only (not the pod\'s group)', (m) => {
      seedVolume(m, 'identity').secret.defaultMode = 0o400;
    }, 'iam-identity: its NKey seed has mode 0400, not readable by the pod\'s group'],
    ['no fsGroup, so the container cannot read its seed', (m) => {
      delete deployment(m, 'authorization').spec.template.spec.securityContext.fsGroup;
    }, 'iam-authorization: fsGroup undefined is not the container\'s group 1000, so its NKey seed is not readable'],
    ['no egress to NATS', (m) => {
      const policy = m.find((p) => p.kind === 'NetworkPolicy' && p.metadata.name === 'iam-egress-nats-dns') as Anything;
      policy.spec.egress = policy.spec.egress.filter((rule: Anything) => !rule.to.some((to: Anything) => to.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'nats'));
    }, 'iam-directory: no NetworkPolicy lets its pods reach NATS on 4222'],
    ['NATS taking no connection from the apps', (m) => {
      const index = m.findIndex((p) => p.kind === 'NetworkPolicy' && p.metadata.name === 'iam-nats-from-apps');
      m.splice(index, 1);
    }, 'iam-identity: no NetworkPolicy lets NATS take its connections on 4222'],
    ['a NATS URL with a user and password', (m) => {
      configMap(m).data.NATS_URL = 'nats://iam:hunter2@nats:4222';
    }, 'iam-gateway: NATS_URL carries credentials in plain configuration; each app authenticates with its own NKey seed'],
    ['no NATS URL', (m) => {
      delete configMap(m).data.NATS_URL;
    }, 'iam-authorization: NATS_URL is not set'],
    ['an app allowed to connect without credentials', (m) => {
      container(m, 'directory').env.push({ name: 'IAM_BUS_ALLOW_UNAUTHENTICATED', value: 'true' });
    }, 'iam-directory: IAM_BUS_ALLOW_UNAUTHENTICATED=true lets the app connect to NATS without credentials'],
    ['every app allowed to connect without credentials', (m) => {
      configMap(m).data.IAM_BUS_ALLOW_UNAUTHENTICATED = 'true';
    }, 'iam-identity: IAM_BUS_ALLOW_UNAUTHENTICATED=true lets the app connect to NATS without credentials'],
    ['NODE_ENV turning the refusal off', (m) => {
      configMap(m).data.NODE_ENV = 'development';
    }, 'iam-gateway: NODE_ENV=development turns off the refusal of NATS without credentials'],
    ['the seed in the environment', (m) => {
      container(m, 'gateway').env.push({ name: 'IAM_NATS_NKEY_SEED', value: seed });
    }, 'an NKey seed is written in the manifests'],
    ['a Secret committed with the seeds', (m) => {
      m.push({ apiVersion: 'v1', kind: 'Secret', metadata: { name: 'iam-nats' }, stringData: { 'gateway.nk': seed } });
    }, 'Secret iam-nats is in the manifests'],
  ];

  it.each(breakages)('reports %s', (_what, breakIt, problem) => {
    const manifests = renderKustomization(renderings.base);
    breakIt(manifests);
    expect(kubernetesNatsProblems(manifests)).toContain(problem);
  });
});

describe('NATS credentials in docker-compose.yml', () => {
  const text = readFileSync(join(REPOSITORY, 'docker-compose.yml'), 'utf8');
  const fresh = () => parse(text, { merge: true }) as Anything;

  it('every app reads its own seed from its own compose secret; NATS runs with the generated configuration', () => {
    expect(composeNatsProblems(fresh(), text)).toEqual([]);
  });

  const breakages: Array<[string, (c: Anything) => void, string]> = [
    ['an app without its seed', (c) => {
      delete c.services.identity.secrets;
    }, 'identity: does not read its NKey seed (compose secret nats_identity)'],
    ['another app\'s seed', (c) => {
      c.services.gateway.secrets = [{ source: 'nats_identity', target: 'nats_seed' }];
    }, 'gateway: reads compose secret nats_identity, not only its own nats_gateway'],
    ['the seed at a path the app does not read', (c) => {
      c.services.directory.secrets = [{ source: 'nats_directory', target: 'directory_seed' }];
    }, 'directory: IAM_NATS_NKEY_SEED_FILE is /run/secrets/nats_seed, not /run/secrets/directory_seed where its NKey seed is'],
    ['a compose secret naming the wrong file', (c) => {
      c.secrets.nats_authorization.file = './nats/seeds/gateway.nk';
    }, 'authorization: compose secret nats_authorization is ./nats/seeds/gateway.nk, not its seed ./nats/seeds/authorization.nk'],
    ['a NATS URL with a user and password', (c) => {
      c.services.gateway.environment.NATS_URL = 'nats://iam:hunter2@nats:4222';
    }, 'gateway: NATS_URL carries credentials in plain configuration; each app authenticates with its own NKey seed'],
    ['an app allowed to connect without credentials', (c) => {
      c.services.authorization.environment.IAM_BUS_ALLOW_UNAUTHENTICATED = 'true';
    }, 'authorization: IAM_BUS_ALLOW_UNAUTHENTICATED=true lets the app connect to NATS without credentials'],
    ['NATS started without its configuration', (c) => {
      c.services.nats.command = ['-js', '-sd', '/data', '-m', '8222'];
    }, 'nats: runs without a configuration (-c), so it takes any connection'],
    ['NATS reading a configuration that is not the generated one', (c) => {
      c.services.nats.volumes = c.services.nats.volumes.filter((v: string) => !v.includes('nats-server.conf'));
    }, 'nats: /etc/nats/nats-server.conf is not the generated ./nats/nats-server.conf, mounted read-only'],
  ];

  it.each(breakages)('reports %s', (_what, breakIt, problem) => {
    const compose = fresh();
    breakIt(compose);
    expect(composeNatsProblems(compose, text)).toContain(problem);
  });

  it('reports a seed written into the file', () => {
    const seed = new TextDecoder().decode(nkeys.createUser().getSeed());
    const leaked = text.replace('IAM_NATS_NKEY_SEED_FILE: /run/secrets/nats_seed', `IAM_NATS_NKEY_SEED: ${seed}`);
    expect(composeNatsProblems(parse(leaked, { merge: true }), leaked)).toEqual(expect.arrayContaining(['an NKey seed is written in docker-compose.yml', 'identity: IAM_NATS_NKEY_SEED is set in the environment; the seed is a compose secret']));
  });
});

describe('the NATS server configuration the deployments include (npm run nats-config)', () => {
  const users = Object.fromEntries(BUS_APPS.map((app) => [app, nkeys.createUser().getPublicKey()])) as Record<BusApp, string>;

  it.each([[undefined], ['prod']])('gives each app exactly its role\'s subjects (prefix %s)', (prefix) => {
    expect(natsServerConfigProblems(natsServerConfig({ users, prefix }), users, prefix)).toEqual([]);
  });

  /** The generated configuration with its authorization block changed by `edit`. */
  const edited = (edit: (block: Anything) => void) => {
    const config = natsServerConfig({ users });
    const block = JSON.parse(/^authorization: (\{[\s\S]*?\n\})$/m.exec(config)?.[1] ?? '{}');
    edit(block);
    return config.replace(/^authorization: \{[\s\S]*?\n\}$/m, `authorization: ${JSON.stringify(block, null, 2)}`);
  };
  const entry = (block: Anything, app: BusApp) => block.users.find((u: Anything) => u.nkey === users[app]);

  it.each<[string, (block: Anything) => void, string]>([
    ['an app missing', (b) => (b.users = b.users.filter((u: Anything) => u.nkey !== users.directory)), 'directory: its NKey is not in the NATS configuration'],
    ['a permission missing', (b) => entry(b, 'gateway').permissions.publish.allow.pop(), 'gateway: may publish'],
    ['a subscription widened to everything', (b) => (entry(b, 'identity').permissions.subscribe.allow = ['>']), 'identity: may subscribe [">"]'],
    ['no permissions at all', (b) => delete entry(b, 'authorization').permissions, 'authorization: may publish "anything"'],
    ['the services unable to answer', (b) => delete entry(b, 'identity').permissions.allow_responses, 'identity: may not answer the requests it serves'],
    ['a user with a password', (b) => b.users.push({ user: 'ops', password: 'hunter2' }), 'the NATS configuration has a user with a password'],
  ])('reports %s', (_what, edit, problem) => {
    const problems = natsServerConfigProblems(edited(edit), users);
    expect(problems.some((p) => p.startsWith(problem))).toBe(true);
  });

  it('reports a configuration without authorization', () => {
    expect(natsServerConfigProblems('port: 4222\n', users)).toEqual(['the NATS configuration has no authorization block: NATS takes any connection']);
  });
});
