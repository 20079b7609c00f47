import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { ConfigMap, Service, ServiceAccount } from 'kubernetes-models/v1';
import { Deployment } from 'kubernetes-models/apps/v1';
import { HorizontalPodAutoscaler } from 'kubernetes-models/autoscaling/v2';
import { PodDisruptionBudget } from 'kubernetes-models/policy/v1';
import { NetworkPolicy } from 'kubernetes-models/networking.k8s.io/v1';
import { BUS_APPS } from '@iam/contracts';
import { containersOf, KUBERNETES, type Manifest, renderKustomization } from './kustomize';

/** The Kubernetes models (generated from the Kubernetes OpenAPI schemas) each kind is validated with. */
const MODELS: Record<string, new (data: never) => { validate(): void }> = {
  'v1/ConfigMap': ConfigMap,
  'v1/Service': Service,
  'v1/ServiceAccount': ServiceAccount,
  'apps/v1/Deployment': Deployment,
  'autoscaling/v2/HorizontalPodAutoscaler': HorizontalPodAutoscaler,
  'policy/v1/PodDisruptionBudget': PodDisruptionBudget,
  'networking.k8s.io/v1/NetworkPolicy': NetworkPolicy,
};

const APPS = ['identity', 'directory', 'authorization', 'gateway'];
/** An NKey seed (user): never in a committed file. */
const SEED = /\bSU[A-Z2-7]{56}\b/;
const SERVICES = ['identity', 'directory', 'authorization'];
const RENDERINGS = { base: join(KUBERNETES, 'base'), dev: join(KUBERNETES, 'overlays/dev'), prod: join(KUBERNETES, 'overlays/prod') };

const find = (manifests: Manifest[], kind: string, name: string) => {
  const found = manifests.find((m) => m.kind === kind && m.metadata.name === name);
  if (!found) throw new Error(`no ${kind} ${name}`);
  return found;
};
const matches = (selector: Record<string, string>, labels: Record<string, string> = {}) => Object.entries(selector).every(([k, v]) => labels[k] === v);
// eslint-disable-next-line @typescript-eslint/no-explicit-any
const podSelectorMatches = (selector: any, labels: Record<string, string>) =>
  matches(selector.matchLabels ?? {}, labels) &&
  // eslint-disable-next-line @typescript-eslint/no-explicit-any
  (selector.matchExpressions ?? []).every((e: any) => (e.operator === 'In' ? e.values.includes(labels[e.key]) : e.operator === 'NotIn' ? !e.values.includes(labels[e.key]) : false));
const podLabels = (app: string) => ({ 'app.kubernetes.io/name': 'iam', 'app.kubernetes.io/component': app });

describe.each(Object.entries(RENDERINGS))('deploy/kubernetes %s', (_name, folder) => {
  const manifests = renderKustomization(folder);

  it('renders only kinds it validates, each valid against the Kubernetes schemas', () => {
    expect(manifests.length).toBeGreaterThan(20);
    for (const manifest of manifests) {
      const Model = MODELS[`${manifest.apiVersion}/${manifest.kind}`];
      expect({ kind: `${manifest.apiVersion}/${manifest.kind}`, known: Boolean(Model) }).toEqual({ kind: `${manifest.apiVersion}/${manifest.kind}`, known: true });
      expect(() => new Model(manifest as never).validate()).not.toThrow();
    }
    const names = manifests.map((m) => `${m.kind}/${m.metadata.name}`);
    expect(new Set(names).size).toBe(names.length);
  });

  it('has a Deployment, Service, HorizontalPodAutoscaler and PodDisruptionBudget per app, aimed at its pods', () => {
    for (const app of APPS) {
      const deployment = find(manifests, 'Deployment', `iam-${app}`);
      const labels = deployment.spec.template.metadata.labels;
      expect(matches(deployment.spec.selector.matchLabels, labels)).toBe(true);
      expect(matches(podLabels(app), labels)).toBe(true);
      expect(matches(find(manifests, 'Service', `iam-${app}`).spec.selector, labels)).toBe(true);
      const hpa = find(manifests, 'HorizontalPodAutoscaler', `iam-${app}`);
      expect(hpa.spec.scaleTargetRef).toEqual({ apiVersion: 'apps/v1', kind: 'Deployment', name: `iam-${app}` });
      expect(hpa.spec.minReplicas).toBeLessThanOrEqual(hpa.spec.maxReplicas);
      const pdb = find(manifests, 'PodDisruptionBudget', `iam-${app}`);
      expect(matches(pdb.spec.selector.matchLabels, labels)).toBe(true);
      // A node drain can always evict one pod: the budget leaves room at the autoscaler's floor.
      if (pdb.spec.minAvailable !== undefined) expect(pdb.spec.minAvailable).toBeLessThan(hpa.spec.minReplicas);
      // No other app's pods are selected by this app's objects.
      for (const other of APPS.filter((a) => a !== app)) expect(matches(deployment.spec.selector.matchLabels, podLabels(other))).toBe(false);
    }
  });

  it('runs every container non-root, read-only, unprivileged, with no capabilities, with requests and limits', () => {
    for (const deployment of manifests.filter((m) => m.kind === 'Deployment')) {
      const pod = deployment.spec.template.spec;
      expect(pod.securityContext.runAsNonRoot).toBe(true);
      expect(pod.securityContext.runAsUser).toBeGreaterThan(0);
      expect(pod.automountServiceAccountToken).toBe(false);
      for (const container of containersOf(deployment)) {
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        const c = container as any;
        expect(c.securityContext).toMatchObject({ allowPrivilegeEscalation: false, readOnlyRootFilesystem: true, capabilities: { drop: ['ALL'] } });
        expect(c.securityContext.privileged).not.toBe(true);
        expect(c.securityContext.capabilities.add ?? []).toEqual([]);
        expect(Object.keys(c.resources.requests).sort()).toEqual(['cpu', 'memory']);
        expect(Object.keys(c.resources.limits).sort()).toEqual(['cpu', 'memory']);
      }
    }
  });

  it('probes every app on its health endpoints and gives it more time to stop than its drain takes', () => {
    const config = find(manifests, 'ConfigMap', 'iam').data;
    const busTimeoutSeconds = Number(config.IAM_BUS_TIMEOUT_MS) / 1000;
    for (const app of APPS) {
      const deployment = find(manifests, 'Deployment', `iam-${app}`);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const container = containersOf(deployment)[0] as any;
      const ports = container.ports.map((p: { name: string }) => p.name);
      expect(container.livenessProbe.httpGet).toEqual({ path: '/health/live', port: ports[0] });
      expect(container.readinessProbe.httpGet).toEqual({ path: '/health/ready', port: ports[0] });
      expect(container.startupProbe.httpGet.path).toBe('/health/live');
      if (app !== 'gateway') {
        const env = Object.fromEntries(container.env.map((e: { name: string; value?: string }) => [e.name, e.value]));
        expect(Number(env.IAM_HEALTH_PORT)).toBe(container.ports[0].containerPort);
      }
      const preStop = Number(container.lifecycle.preStop.exec.command[1]);
      // Out of the Service (preStop), then requests in flight finish (at most the bus timeout), then close.
      expect(deployment.spec.template.spec.terminationGracePeriodSeconds).toBeGreaterThan(preStop + busTimeoutSeconds + 5);
    }
  });

  it('references Secrets and never holds one: the shared Secret and the NATS seeds Secret', () => {
    expect(manifests.filter((m) => m.kind === 'Secret')).toEqual([]);
    for (const app of APPS) {
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const container = containersOf(find(manifests, 'Deployment', `iam-${app}`))[0] as any;
      for (const variable of container.env) {
        // The seed is a file on a Secret volume (checked below): its variable names a path.
        if (variable.name === 'IAM_NATS_NKEY_SEED_FILE') continue;
        if (/SECRET|PASSWORD|MASTER_KEY|DATABASE_URL|SEED|TOKEN/.test(variable.name)) {
          expect(variable.value).toBeUndefined();
          expect(variable.valueFrom.secretKeyRef.name).toBe('iam');
        }
      }
      const usesDatabase = container.env.some((v: { name: string }) => v.name === 'DATABASE_URL');
      expect(usesDatabase).toBe(app !== 'gateway');
    }
    const config = find(manifests, 'ConfigMap', 'iam').data;
    for (const key of Object.keys(config)) expect(key).not.toMatch(/SECRET|PASSWORD|MASTER_KEY|DATABASE_URL|SEED/);
  });

  it('mounts in each Deployment only its own NKey seed from the iam-nats Secret, readable by its group only', () => {
    expect(JSON.stringify(manifests)).not.toMatch(SEED);
    expect(APPS.slice().sort()).toEqual([...BUS_APPS].sort());
    for (const app of BUS_APPS) {
      const deployment = find(manifests, 'Deployment', `iam-${app}`);
      const pod = deployment.spec.template.spec;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const container = containersOf(deployment)[0] as any;
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const secretVolumes = pod.volumes.filter((v: any) => v.secret);
      expect(secretVolumes).toEqual([{ name: 'nats-seed', secret: { secretName: 'iam-nats', defaultMode: 0o440, items: [{ key: `${app}.nk`, path: 'seed' }] } }]);
      expect(pod.securityContext.fsGroup).toBe(1000);
      expect(container.volumeMounts).toContainEqual({ name: 'nats-seed', mountPath: '/var/run/iam/nats', readOnly: true });
      expect(container.env).toContainEqual({ name: 'IAM_NATS_NKEY_SEED_FILE', value: '/var/run/iam/nats/seed' });
      // No other app's credentials reach this pod, as a file or from the environment.
      expect(JSON.stringify(deployment).match(/\w+\.nk\b/g)).toEqual([`${app}.nk`]);
      expect(JSON.stringify(container.envFrom ?? [])).not.toContain('nats');
    }
  });

  it('trusts the ingress as the proxy in front of the gateway', () => {
    // eslint-disable-next-line @typescript-eslint/no-explicit-any
    const gateway = containersOf(find(manifests, 'Deployment', 'iam-gateway'))[0] as any;
    const trust = gateway.env.find((v: { name: string }) => v.name === 'IAM_TRUST_PROXY');
    expect(trust.valueFrom.configMapKeyRef).toEqual({ name: 'iam', key: 'IAM_TRUST_PROXY' });
    expect(find(manifests, 'ConfigMap', 'iam').data.IAM_TRUST_PROXY).toMatch(/^(true|\d{1,2}|[0-9a-fA-F.:/, ]+)$/);
  });

  it('lets outside traffic reach the gateway only, and only the apps reach NATS and PostgreSQL', () => {
    const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
    const deny = policies.find((p) => p.metadata.name === 'iam-default-deny');
    expect(deny?.spec).toEqual({ podSelector: { matchLabels: { 'app.kubernetes.io/name': 'iam' } }, policyTypes: ['Ingress', 'Egress'] });
    for (const app of APPS) {
      const labels = podLabels(app);
      const ingress = policies.filter((p) => p.spec.policyTypes.includes('Ingress') && podSelectorMatches(p.spec.podSelector, labels)).flatMap((p) => p.spec.ingress ?? []);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const open = ingress.filter((rule: any) => !rule.from);
      if (app === 'gateway') {
        expect(open).toEqual([{ ports: [{ protocol: 'TCP', port: 8080 }] }]);
      } else {
        expect(open).toEqual([]);
        // eslint-disable-next-line @typescript-eslint/no-explicit-any
        for (const rule of ingress as any[]) {
          expect(rule.from).toEqual([{ namespaceSelector: { matchLabels: { 'kubernetes.io/metadata.name': 'monitoring' } } }]);
          expect(rule.ports).toEqual([{ protocol: 'TCP', port: 9090 }]);
        }
      }
      const egress = policies.filter((p) => p.spec.policyTypes.includes('Egress') && podSelectorMatches(p.spec.podSelector, labels)).flatMap((p) => p.spec.egress ?? []);
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      const reaches = (name: string) => egress.some((rule: any) => (rule.to ?? []).some((to: any) => to.podSelector?.matchLabels?.['app.kubernetes.io/name'] === name));
      expect(reaches('nats')).toBe(true);
      expect(reaches('postgresql')).toBe(app !== 'gateway');
      // eslint-disable-next-line @typescript-eslint/no-explicit-any
      expect(egress.every((rule: any) => Array.isArray(rule.to) && rule.to.length > 0)).toBe(true);
    }
    for (const [name, port] of [['nats', 4222], ['postgresql', 5432]] as const) {
      const inbound = policies.filter((p) => p.spec.podSelector.matchLabels?.['app.kubernetes.io/name'] === name);
      expect(inbound).toHaveLength(1);
      expect(inbound[0].spec.ingress).toHaveLength(1);
      const rule = inbound[0].spec.ingress[0];
      expect(rule.ports).toEqual([{ protocol: 'TCP', port }]);
      for (const from of rule.from) {
        expect(from.namespaceSelector).toBeUndefined();
        for (const app of APPS) {
          expect(podSelectorMatches(from.podSelector, podLabels(app))).toBe(name === 'nats' || SERVICES.includes(app));
        }
        expect(podSelectorMatches(from.podSelector, { 'app.kubernetes.io/name': 'something-else' })).toBe(false);
      }
    }
  });
});

describe('deploy/kubernetes overlays', () => {
  it('dev and prod set their namespace and image, and prod runs at least three replicas', () => {
    const dev = renderKustomization(RENDERINGS.dev);
    const prod = renderKustomization(RENDERINGS.prod);
    expect(new Set(dev.map((m) => m.metadata.namespace))).toEqual(new Set(['iam-dev']));
    expect(new Set(prod.map((m) => m.metadata.namespace))).toEqual(new Set(['iam']));
    expect(new Set(dev.flatMap(containersOf).map((c) => c.image))).toEqual(new Set(['iam:dev']));
    const prodImages = new Set(prod.flatMap(containersOf).map((c) => c.image));
    expect(prodImages.size).toBe(1);
    expect([...prodImages][0]).toMatch(/:\d+\.\d+\.\d+$/);
    for (const deployment of prod.filter((m) => m.kind === 'Deployment')) expect(deployment.spec.replicas).toBeGreaterThanOrEqual(3);
    for (const hpa of prod.filter((m) => m.kind === 'HorizontalPodAutoscaler')) expect(hpa.spec.minReplicas).toBeGreaterThanOrEqual(3);
  });

  it('commits no Secret manifest anywhere under deploy/', () => {
    const files = (folder: string): string[] =>
      readdirSync(folder, { withFileTypes: true }).flatMap((e) => (e.isDirectory() ? files(join(folder, e.name)) : [join(folder, e.name)]));
    for (const file of files(KUBERNETES).filter((f) => /\.ya?ml$/.test(f))) {
      expect(readFileSync(file, 'utf8')).not.toMatch(/^kind:\s*Secret\b/m);
    }
  });

  it('refuses what the renderer does not implement instead of rendering it wrongly', () => {
    expect(() => renderKustomization(join(__dirname, 'fixtures/unsupported'))).toThrow('configMapGenerator is not supported by this renderer');
  });
});
