import { BUS_APPS } from '@iam/contracts';
import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';

const ROOT = resolve(__dirname, '../../../..');
const read = (path: string) => readFileSync(resolve(ROOT, path), 'utf8');
const SEED = /\bSU[A-Z2-7]{56}\b/;

/** The deployment files give every app its own NATS credential from a secret, and NATS the generated permissions. */
describe('deployment files', () => {
  it('docker-compose.yml: NATS runs the generated config; each app reads its own seed from a compose secret', () => {
    const compose = read('docker-compose.yml');
    expect(compose).not.toMatch(SEED);
    expect(compose).toContain('"-c", "/etc/nats/nats-server.conf"');
    expect(compose).toContain('./nats/nats-server.conf:/etc/nats/nats-server.conf:ro');
    expect(compose).toContain('IAM_NATS_NKEY_SEED_FILE: /run/secrets/nats_seed');
    for (const app of BUS_APPS) {
      const service = compose.slice(compose.indexOf(`\n  ${app}:\n`), compose.indexOf('\n\n', compose.indexOf(`\n  ${app}:\n`) + 1));
      expect(service).toContain(`- source: nats_${app}\n        target: nats_seed`);
      expect(compose).toContain(`  nats_${app}:\n    file: ./nats/seeds/${app}.nk`);
    }
  });

  it('deploy/kubernetes: each Deployment mounts only its own seed from the iam-nats Secret', () => {
    const manifest = read('deploy/kubernetes/iam.yaml');
    expect(manifest).not.toMatch(SEED);
    const deployments = manifest.split('\n---\n').filter((document) => /^kind: Deployment$/m.test(document));
    expect(deployments).toHaveLength(BUS_APPS.length);
    for (const app of BUS_APPS) {
      const deployment = deployments.find((document) => document.includes(`name: iam-${app}\n`)) ?? '';
      expect(deployment).toContain(`items: [{ key: ${app}.nk, path: seed }]`);
      expect(deployment).toContain('secretName: iam-nats');
      expect(deployment).toMatch(/- name: IAM_NATS_NKEY_SEED_FILE\n\s+value: \/var\/run\/iam\/nats\/seed/);
      expect(deployment.match(/key: \w+\.nk/g)).toEqual([`key: ${app}.nk`]);
    }
  });

  it('keeps generated NATS credentials out of git', () => {
    expect(read('.gitignore').split('\n')).toContain('/nats/');
  });
});
