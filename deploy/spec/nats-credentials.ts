import { BUS_APPS, type BusApp, busPermissions } from '@iam/contracts';
import { containersOf, type Manifest } from './kustomize';

/**
 * The NATS credential checks of the deployment files, as functions that name every problem they
 * find (an empty list when there is none), so the specs can run them on the committed files and
 * on broken copies of them.
 */

/** An NKey seed (user): never in a committed file. */
export const SEED = /\bSU[A-Z2-7]{56}\b/;
/** The Secret holding one NKey seed per app (`<app>.nk`), created beside the manifests. */
export const NATS_SECRET = 'iam-nats';

// eslint-disable-next-line @typescript-eslint/no-explicit-any
type Anything = any;

/** Problems with a NATS URL an app is given: none when it names a NATS server without credentials in it. */
function natsUrlProblems(where: string, url: unknown): string[] {
  if (typeof url !== 'string' || url === '') return [`${where}: NATS_URL is not set`];
  let parsed: URL;
  try {
    parsed = new URL(url);
  } catch {
    return [`${where}: NATS_URL ${url} is not a URL`];
  }
  const problems: string[] = [];
  if (!['nats:', 'tls:'].includes(parsed.protocol)) problems.push(`${where}: NATS_URL ${url} is not a nats:// or tls:// URL`);
  // A user, password or token in the URL is a credential in plain configuration, shared by every app.
  if (parsed.username || parsed.password) problems.push(`${where}: NATS_URL carries credentials in plain configuration; each app authenticates with its own NKey seed`);
  return problems;
}

/** Problems with the variables that would let an app connect without its credential. */
function unauthenticatedProblems(where: string, env: Record<string, unknown>): string[] {
  const problems: string[] = [];
  if (env['IAM_BUS_ALLOW_UNAUTHENTICATED'] === 'true') problems.push(`${where}: IAM_BUS_ALLOW_UNAUTHENTICATED=true lets the app connect to NATS without credentials`);
  // The image sets NODE_ENV=production, which makes an app refuse NATS without credentials.
  if (env['NODE_ENV'] !== undefined && env['NODE_ENV'] !== 'production') problems.push(`${where}: NODE_ENV=${String(env['NODE_ENV'])} turns off the refusal of NATS without credentials`);
  return problems;
}

/**
 * Each bus app's Deployment mounts its own NKey seed, and only its own, from the `iam-nats`
 * Secret, readable by the pod's group and no one else, at the path `IAM_NATS_NKEY_SEED_FILE`
 * names; its NATS URL carries no credentials and nothing lets it connect without one; its pods
 * may reach NATS and NATS takes them; no seed and no Secret is in the manifests.
 */
export function kubernetesNatsProblems(manifests: Manifest[]): string[] {
  const problems: string[] = [];
  if (SEED.test(JSON.stringify(manifests))) problems.push('an NKey seed is written in the manifests');
  for (const secret of manifests.filter((m) => m.kind === 'Secret')) problems.push(`Secret ${secret.metadata.name} is in the manifests`);
  const configMaps = new Map(manifests.filter((m) => m.kind === 'ConfigMap').map((m) => [m.metadata.name, (m['data'] ?? {}) as Record<string, string>]));
  const policies = manifests.filter((m) => m.kind === 'NetworkPolicy');
  for (const app of BUS_APPS) {
    const name = `iam-${app}`;
    const deployment = manifests.find((m) => m.kind === 'Deployment' && m.metadata.name === name);
    if (!deployment) {
      problems.push(`${name}: no Deployment`);
      continue;
    }
    const pod = deployment.spec?.template?.spec ?? {};
    const container = containersOf(deployment)[0] as Anything;
    const volumes: Anything[] = pod.volumes ?? [];
    const secretVolumes = volumes.filter((v) => v.secret);
    const seedVolumes = secretVolumes.filter((v) => v.secret.secretName === NATS_SECRET);
    for (const other of secretVolumes.filter((v) => v.secret.secretName !== NATS_SECRET)) problems.push(`${name}: mounts Secret ${other.secret.secretName}`);
    const keys = seedVolumes.flatMap((v) => (v.secret.items ?? [{ key: '(every key)' }]).map((item: Anything) => item.key as string));
    for (const key of keys.filter((k) => k !== `${app}.nk`)) problems.push(`${name}: mounts ${key} of ${NATS_SECRET}, not only its own ${app}.nk`);
    const own = seedVolumes.find((v) => (v.secret.items ?? []).some((item: Anything) => item.key === `${app}.nk`));
    if (!own) {
      problems.push(`${name}: does not mount its NKey seed ${app}.nk from the ${NATS_SECRET} Secret`);
    } else {
      const mode = own.secret.items.find((item: Anything) => item.key === `${app}.nk`).mode ?? own.secret.defaultMode ?? 0o644;
      if ((mode & 0o007) !== 0) problems.push(`${name}: its NKey seed has mode 0${mode.toString(8)}, readable by others`);
      if ((mode & 0o040) === 0) problems.push(`${name}: its NKey seed has mode 0${mode.toString(8)}, not readable by the pod's group`);
      const group = pod.securityContext?.runAsGroup;
      if (pod.securityContext?.fsGroup === undefined || pod.securityContext.fsGroup !== group) {
        problems.push(`${name}: fsGroup ${String(pod.securityContext?.fsGroup)} is not the container's group ${String(group)}, so its NKey seed is not readable`);
      }
    }
    const env = Object.fromEntries(((container?.env ?? []) as Anything[]).map((e) => [e.name, e.value ?? (e.valueFrom ? '(from a reference)' : undefined)]));
    const fromConfigMaps = Object.assign(
      {},
      ...((container?.envFrom ?? []) as Anything[]).map((source) => (source.configMapRef ? configMaps.get(source.configMapRef.name) ?? {} : {})),
    );
    const effective: Record<string, unknown> = { ...fromConfigMaps, ...env };
    if (own) {
      const path = own.secret.items.find((item: Anything) => item.key === `${app}.nk`).path;
      const mount = ((container?.volumeMounts ?? []) as Anything[]).find((m) => m.name === own.name);
      if (!mount) {
        problems.push(`${name}: the ${own.name} volume (its NKey seed) is not mounted in the container`);
      } else {
        if (mount.readOnly !== true) problems.push(`${name}: its NKey seed is mounted writable`);
        const expected = `${String(mount.mountPath).replace(/\/$/, '')}/${path}`;
        if (effective['IAM_NATS_NKEY_SEED_FILE'] !== expected) {
          problems.push(`${name}: IAM_NATS_NKEY_SEED_FILE is ${String(effective['IAM_NATS_NKEY_SEED_FILE'])}, not ${expected} where its NKey seed is mounted`);
        }
      }
    }
    if (effective['IAM_NATS_NKEY_SEED'] !== undefined) problems.push(`${name}: IAM_NATS_NKEY_SEED is set in the environment; the seed is a file from the ${NATS_SECRET} Secret`);
    problems.push(...natsUrlProblems(name, effective['NATS_URL']), ...unauthenticatedProblems(name, effective));
    const labels = deployment.spec?.template?.metadata?.labels ?? {};
    const selects = (selector: Anything) => Object.entries(selector?.matchLabels ?? {}).every(([k, v]) => labels[k] === v) && !(selector?.matchExpressions?.length > 0);
    const toNats = policies
      .filter((p) => (p.spec.policyTypes ?? []).includes('Egress') && selects(p.spec.podSelector))
      .flatMap((p) => p.spec.egress ?? [])
      .some((rule: Anything) => (rule.to ?? []).some((to: Anything) => to.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'nats') && (rule.ports ?? []).some((p: Anything) => p.port === 4222));
    if (!toNats) problems.push(`${name}: no NetworkPolicy lets its pods reach NATS on 4222`);
    const natsTakes = policies
      .filter((p) => p.spec.podSelector?.matchLabels?.['app.kubernetes.io/name'] === 'nats')
      .flatMap((p) => p.spec.ingress ?? [])
      .some((rule: Anything) => (rule.from ?? []).some((from: Anything) => selects(from.podSelector)) && (rule.ports ?? []).some((p: Anything) => p.port === 4222));
    if (!natsTakes) problems.push(`${name}: no NetworkPolicy lets NATS take its connections on 4222`);
  }
  return problems;
}

/**
 * Each bus app in docker-compose.yml reads its own NKey seed from its own compose secret
 * (`./nats/seeds/<app>.nk`), at the path `IAM_NATS_NKEY_SEED_FILE` names; its NATS URL carries no
 * credentials and nothing lets it connect without one; NATS runs with the generated
 * configuration; no seed is written in the file.
 */
export function composeNatsProblems(compose: Anything, text: string): string[] {
  const problems: string[] = [];
  if (SEED.test(text)) problems.push('an NKey seed is written in docker-compose.yml');
  const services = (compose?.services ?? {}) as Record<string, Anything>;
  const nats = services['nats'];
  if (!nats) {
    problems.push('nats: no service');
  } else {
    const command: string[] = nats.command ?? [];
    const config = command[command.indexOf('-c') + 1];
    if (command.indexOf('-c') < 0 || !config) problems.push('nats: runs without a configuration (-c), so it takes any connection');
    else if (!(nats.volumes ?? []).includes(`./nats/nats-server.conf:${config}:ro`)) problems.push(`nats: ${config} is not the generated ./nats/nats-server.conf, mounted read-only`);
  }
  for (const app of BUS_APPS) {
    const service = services[app];
    if (!service) {
      problems.push(`${app}: no service`);
      continue;
    }
    const secrets: Anything[] = service.secrets ?? [];
    const sources = secrets.map((s) => (typeof s === 'string' ? s : s.source));
    for (const source of sources.filter((s) => s !== `nats_${app}`)) problems.push(`${app}: reads compose secret ${source}, not only its own nats_${app}`);
    const own = secrets.find((s) => (typeof s === 'string' ? s : s.source) === `nats_${app}`);
    const target = own === undefined ? undefined : typeof own === 'string' ? own : own.target ?? own.source;
    if (own === undefined) problems.push(`${app}: does not read its NKey seed (compose secret nats_${app})`);
    const file = compose?.secrets?.[`nats_${app}`]?.file;
    if (file !== `./nats/seeds/${app}.nk`) problems.push(`${app}: compose secret nats_${app} is ${String(file)}, not its seed ./nats/seeds/${app}.nk`);
    const env = (service.environment ?? {}) as Record<string, unknown>;
    const expected = target === undefined ? undefined : String(target).startsWith('/') ? target : `/run/secrets/${target}`;
    if (expected !== undefined && env['IAM_NATS_NKEY_SEED_FILE'] !== expected) {
      problems.push(`${app}: IAM_NATS_NKEY_SEED_FILE is ${String(env['IAM_NATS_NKEY_SEED_FILE'])}, not ${expected} where its NKey seed is`);
    }
    if (env['IAM_NATS_NKEY_SEED'] !== undefined) problems.push(`${app}: IAM_NATS_NKEY_SEED is set in the environment; the seed is a compose secret`);
    problems.push(...natsUrlProblems(app, env['NATS_URL']), ...unauthenticatedProblems(app, env));
  }
  return problems;
}

/**
 * The NATS server configuration `npm run nats-config` writes (and the deployments include):
 * NATS accepts only the apps' NKeys, each allowed exactly the subjects of its role.
 */
export function natsServerConfigProblems(config: string, users: Record<BusApp, string>, prefix?: string): string[] {
  const match = /^authorization: (\{[\s\S]*?\n\})$/m.exec(config);
  if (!match) return ['the NATS configuration has no authorization block: NATS takes any connection'];
  let parsed: Anything;
  try {
    parsed = JSON.parse(match[1]);
  } catch {
    return ['the NATS configuration\'s authorization block cannot be read'];
  }
  const problems: string[] = [];
  const listed: Anything[] = parsed.users ?? [];
  for (const entry of listed) {
    if (!Object.values(users).includes(entry.nkey)) problems.push(`the NATS configuration lets ${entry.user ?? entry.nkey} in, which is no app's NKey`);
    if (entry.password !== undefined || entry.user !== undefined) problems.push('the NATS configuration has a user with a password');
  }
  for (const app of BUS_APPS) {
    const entry = listed.find((u) => u.nkey === users[app]);
    if (!entry) {
      problems.push(`${app}: its NKey is not in the NATS configuration`);
      continue;
    }
    const expected = busPermissions(app, prefix);
    const sorted = (list: unknown) => (Array.isArray(list) ? [...list].sort() : list);
    const got = entry.permissions ?? {};
    if (JSON.stringify(sorted(got.publish?.allow)) !== JSON.stringify(sorted(expected.publish))) {
      problems.push(`${app}: may publish ${JSON.stringify(got.publish?.allow ?? 'anything')}, not exactly its role's ${JSON.stringify(expected.publish)}`);
    }
    if (JSON.stringify(sorted(got.subscribe?.allow)) !== JSON.stringify(sorted(expected.subscribe))) {
      problems.push(`${app}: may subscribe ${JSON.stringify(got.subscribe?.allow ?? 'anything')}, not exactly its role's ${JSON.stringify(expected.subscribe)}`);
    }
    if (Boolean(got.allow_responses) !== expected.allowResponses) {
      problems.push(`${app}: ${expected.allowResponses ? 'may not answer the requests it serves' : 'may answer requests it does not serve'}`);
    }
  }
  return problems;
}
