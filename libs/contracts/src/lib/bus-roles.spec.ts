import { readdirSync, readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { AuthorizationEvents, AuthorizationPatterns } from './authorization';
import { BUS_ROLES, BusApp, busPermissions, SERVICE_ONLY_PATTERNS } from './bus-roles';
import { DirectoryEvents, DirectoryPatterns } from './directory';
import { IdentityEvents, IdentityPatterns } from './identity';

const TABLES: Record<string, Record<string, string>> = {
  IdentityPatterns,
  IdentityEvents,
  DirectoryPatterns,
  DirectoryEvents,
  AuthorizationPatterns,
  AuthorizationEvents,
};

const LIBS: Record<BusApp, string> = {
  gateway: 'gateway-http',
  identity: 'identity-service',
  directory: 'directory-service',
  authorization: 'authorization-service',
};

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const path = join(dir, entry.name);
    if (entry.isDirectory()) return sources(path);
    return /\.ts$/.test(entry.name) && !/\.spec\.ts$/.test(entry.name) ? [path] : [];
  });
}

/** Every bus subject an app's library names in its code (not its specs). */
function subjectsNamedBy(app: BusApp): { patterns: string[]; events: string[] } {
  const patterns = new Set<string>();
  const events = new Set<string>();
  for (const file of sources(resolve(__dirname, '../../..', LIBS[app], 'src'))) {
    for (const [, table, key] of readFileSync(file, 'utf8').matchAll(/\b((?:Identity|Directory|Authorization)(?:Patterns|Events))\.(\w+)/g)) {
      const subject = TABLES[table][key];
      if (subject === undefined) continue;
      (table.endsWith('Events') ? events : patterns).add(subject);
    }
  }
  return { patterns: [...patterns], events: [...events] };
}

describe('bus roles', () => {
  it.each(Object.keys(LIBS) as BusApp[])('allow %s every neighbour pattern and event its code names', (app) => {
    const role = BUS_ROLES[app];
    const { patterns, events } = subjectsNamedBy(app);
    expect(patterns.length).toBeGreaterThan(0);
    const own = (subject: string) => subject.startsWith(`${app}.`);
    expect(patterns.filter((p) => !own(p) && !role.requests.includes(p))).toEqual([]);
    expect(events.filter((e) => !own(e) && !role.listens.includes(e))).toEqual([]);
  });

  it('let only the owner answer its patterns and publish its events', () => {
    for (const [app, role] of Object.entries(BUS_ROLES)) {
      for (const subject of [...role.serves, ...role.publishes]) expect(subject.startsWith(`${app}.`)).toBe(true);
      for (const subject of role.requests) expect(subject.startsWith(`${app}.`)).toBe(false);
    }
    const events: string[] = [...Object.values(IdentityEvents), ...Object.values(DirectoryEvents), ...Object.values(AuthorizationEvents)];
    for (const role of Object.values(BUS_ROLES)) expect(role.requests.filter((subject) => events.includes(subject))).toEqual([]);
  });

  it('keep the two-phase delete steps from the gateway', () => {
    expect(SERVICE_ONLY_PATTERNS.filter((pattern) => BUS_ROLES.gateway.requests.includes(pattern))).toEqual([]);
    expect(BUS_ROLES.gateway.requests).toContain(IdentityPatterns.SignIn);
  });

  it('give the gateway no subscription but its inbox and its replicas\' coherence subjects, under the subject prefix', () => {
    expect(busPermissions('gateway', 'p1')).toEqual({
      publish: ['p1.gateway.cache.lease', 'p1.gateway.cache.invalidate', ...BUS_ROLES.gateway.requests.map((pattern) => `p1.${pattern}`)],
      subscribe: ['p1.gateway.cache.lease', 'p1.gateway.cache.invalidate', '_INBOX.p1.gateway.>'],
      allowResponses: true,
    });
    expect(busPermissions('directory').allowResponses).toBe(true);
    expect(busPermissions('directory').subscribe).not.toContain('gateway.cache.invalidate');
    expect(busPermissions('identity').subscribe).toContain(IdentityPatterns.SignIn);
    expect(busPermissions('directory').subscribe).not.toContain(IdentityPatterns.SignIn);
    expect(busPermissions('identity').allowResponses).toBe(true);
  });
});
