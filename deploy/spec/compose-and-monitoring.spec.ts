import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { BUS_APPS } from '@iam/contracts';
import { enableMetrics, metricsRegistry } from '@iam/platform';
import { parse } from 'yaml';
import { KUBERNETES, REPOSITORY, renderKustomization } from './kustomize';

const APPS = ['identity', 'directory', 'authorization', 'gateway'];
/** An NKey seed (user): never in a committed file. */
const SEED = /\bSU[A-Z2-7]{56}\b/;
const SERVICES = ['identity', 'directory', 'authorization'];
// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Anything = any;

describe('docker-compose.yml', () => {
  const compose = parse(readFileSync(join(REPOSITORY, 'docker-compose.yml'), 'utf8'), { merge: true }) as Anything;
  const services = compose.services as Record<string, Anything>;

  it('runs the same apps as deploy/kubernetes, plus NATS and PostgreSQL', () => {
    const kubernetesApps = renderKustomization(join(KUBERNETES, 'base'))
      .filter((m) => m.kind === 'Deployment')
      .map((m) => m.metadata.labels?.['app.kubernetes.io/component']);
    expect(Object.keys(services).sort()).toEqual([...APPS, 'nats', 'postgres'].sort());
    expect([...kubernetesApps].sort()).toEqual([...APPS].sort());
    for (const app of APPS) expect(services[app].command).toEqual(['node', `dist/apps/${app}/main.js`]);
  });

  it('publishes the gateway only; NATS, PostgreSQL and the services sit on an internal network', () => {
    expect(compose.networks.backend.internal).toBe(true);
    for (const [name, service] of Object.entries(services)) {
      if (name === 'gateway') {
        expect(service.ports).toEqual(['${IAM_PORT:-8080}:8080']);
        expect(service.networks.sort()).toEqual(['backend', 'edge']);
      } else {
        expect(service.ports).toBeUndefined();
        expect(service.networks).toEqual(['backend']);
      }
    }
  });

  it('hardens every app container and stops it after its drain', () => {
    for (const app of APPS) {
      const service = services[app];
      expect(service.read_only).toBe(true);
      expect(service.cap_drop).toEqual(['ALL']);
      expect(service.security_opt).toContain('no-new-privileges:true');
      expect(parseInt(service.stop_grace_period, 10)).toBeGreaterThan(15);
    }
  });

  it('checks every app on its readiness endpoint: the services on their health port, the gateway on its own', () => {
    for (const app of SERVICES) {
      expect(services[app].environment.IAM_HEALTH_PORT).toBe('9090');
      expect(services[app].healthcheck.test.join(' ')).toContain('http://127.0.0.1:9090/health/ready');
    }
    expect(services.gateway.healthcheck.test.join(' ')).toContain('http://127.0.0.1:8080/health/ready');
    for (const app of SERVICES) expect(services.gateway.depends_on[app]).toEqual({ condition: 'service_healthy' });
  });

  it('takes every secret from the environment, required, and gives the gateway no database', () => {
    const text = JSON.stringify(services);
    for (const [name, value] of Object.entries({ ...services.identity.environment, ...services.postgres.environment }) as Array<[string, string]>) {
      if (/SECRET|MASTER_KEY|PASSWORD/.test(name) && name !== 'IAM_ROOT_PASSWORD') expect(value).toMatch(/^\$\{[A-Z_]+:\?/);
    }
    expect(services.identity.environment.DATABASE_URL).toContain('${POSTGRES_PASSWORD:?');
    expect(services.gateway.environment.DATABASE_URL).toBeUndefined();
    expect(text).not.toMatch(/postgres:\/\/[^:]+:[a-z0-9]+@/);
  });

  it('runs NATS with the generated config; each app reads only its own NKey seed from a compose secret', () => {
    const text = readFileSync(join(REPOSITORY, 'docker-compose.yml'), 'utf8');
    expect(text).not.toMatch(SEED);
    expect(services.nats.command.slice(-2)).toEqual(['-c', '/etc/nats/nats-server.conf']);
    expect(services.nats.volumes).toContain('./nats/nats-server.conf:/etc/nats/nats-server.conf:ro');
    for (const app of BUS_APPS) {
      expect(services[app].environment.IAM_NATS_NKEY_SEED_FILE).toBe('/run/secrets/nats_seed');
      expect(services[app].secrets).toEqual([{ source: `nats_${app}`, target: 'nats_seed' }]);
      expect(compose.secrets[`nats_${app}`]).toEqual({ file: `./nats/seeds/${app}.nk` });
    }
  });

  it('keeps generated NATS credentials out of git', () => {
    expect(readFileSync(join(REPOSITORY, '.gitignore'), 'utf8').split('\n')).toContain('/nats/');
  });
});

describe('deploy/monitoring', () => {
  enableMetrics();
  const known = new Set(
    metricsRegistry
      .getMetricsAsArray()
      .flatMap((metric) => {
        const name = (metric as unknown as { name: string }).name;
        const type = (metric as unknown as { type?: string }).type;
        return type === 'histogram' ? [`${name}_bucket`, `${name}_sum`, `${name}_count`] : [name];
      }),
  );
  known.add('up');
  /** The metric names an expression reads (identifiers followed by a selector or a range). */
  const metricsIn = (expr: string) =>
    [...expr.replace(/"[^"]*"/g, '""').matchAll(/\b([a-zA-Z_:][a-zA-Z0-9_:]*)\s*(?=\{|\[|\)|$|\s*[=<>!]=?\s*\d)/g)]
      .map((m) => m[1])
      .filter((name) => !['by', 'without', 'le', 'sum', 'rate', 'max', 'clamp_min', 'histogram_quantile'].includes(name) && /^(iam_|up$)/.test(name));
  const balanced = (expr: string) => {
    let depth = 0;
    for (const c of expr.replace(/"[^"]*"/g, '""')) {
      if ('([{'.includes(c)) depth++;
      if (')]}'.includes(c)) depth--;
      if (depth < 0) return false;
    }
    return depth === 0;
  };

  it('alert rules are well formed and read only metrics the apps export', () => {
    const rules = parse(readFileSync(join(REPOSITORY, 'deploy/monitoring/alerts.yaml'), 'utf8')) as Anything;
    const all = rules.groups.flatMap((group: Anything) => group.rules);
    expect(all.length).toBeGreaterThanOrEqual(6);
    const names = all.map((rule: Anything) => rule.alert);
    expect(new Set(names).size).toBe(names.length);
    for (const rule of all) {
      expect(Object.keys(rule).sort()).toEqual(['alert', 'annotations', 'expr', 'for', 'labels']);
      expect(rule.alert).toMatch(/^Iam[A-Za-z]+$/);
      expect(rule.for).toMatch(/^\d+[smh]$/);
      expect(['page', 'ticket']).toContain(rule.labels.severity);
      expect(rule.annotations.summary).toBeTruthy();
      expect(balanced(rule.expr)).toBe(true);
      const used = metricsIn(rule.expr);
      expect(used.length).toBeGreaterThan(0);
      for (const metric of used) expect({ rule: rule.alert, metric, known: known.has(metric) }).toEqual({ rule: rule.alert, metric, known: true });
    }
  });

  it('the Grafana dashboard is one JSON model whose panels read only metrics the apps export', () => {
    const dashboard = JSON.parse(readFileSync(join(REPOSITORY, 'deploy/monitoring/grafana-dashboard.json'), 'utf8'));
    expect(dashboard).toMatchObject({ uid: 'iam-overview', title: expect.any(String), schemaVersion: expect.any(Number) });
    const ids = dashboard.panels.map((panel: Anything) => panel.id);
    expect(new Set(ids).size).toBe(ids.length);
    for (const panel of dashboard.panels) {
      expect(panel.gridPos).toEqual({ h: expect.any(Number), w: expect.any(Number), x: expect.any(Number), y: expect.any(Number) });
      expect(panel.targets.length).toBeGreaterThan(0);
      for (const target of panel.targets) {
        expect(balanced(target.expr)).toBe(true);
        const used = metricsIn(target.expr.replace(/\$__rate_interval/g, '5m'));
        expect(used.length).toBeGreaterThan(0);
        for (const metric of used) expect({ panel: panel.title, metric, known: known.has(metric) }).toEqual({ panel: panel.title, metric, known: true });
      }
    }
  });
});
