/**
 * What the data plane's caches hold in memory per 10,000 principals: each with a session, a
 * derived signing key, its user by name and its policy set (3 managed policies shared by
 * everyone, as groups share them, and one inline policy of its own), as the gateway fills them.
 * Run: `node --expose-gc libs/gateway-http/bench/memory-run.js` (prints one JSON line).
 */
import { InProcessBroker } from '@iam/platform';
import { compilePolicy } from '@iam/policy-engine';
import type { PolicySetEntry, Principal, ResolvedUser, SessionReply } from '@iam/contracts';
import { CoherentCache } from '../src/lib/data-plane/cache';
import { InProcessCoherenceChannel } from '../src/lib/data-plane/channels';
import { Coherence, Dependency } from '../src/lib/data-plane/coherence';
import type { LocalPolicySet, SigningKey } from '../src/lib/data-plane/data-plane';

const PRINCIPALS = 10_000;
const ACCOUNT = '123456789012';

function heap(): number {
  (globalThis as { gc?: () => void }).gc?.();
  return process.memoryUsage().heapUsed;
}

function document(actions: string[], resource: string): string {
  return JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: actions, Resource: resource }] });
}

async function main(): Promise<void> {
  if (!(globalThis as { gc?: () => void }).gc) throw new Error('run with node --expose-gc');
  const coherence = new Coherence(new InProcessCoherenceChannel(new InProcessBroker()), { leaseMs: 3_000 });
  await coherence.start();
  await new Promise((resolve) => setTimeout(resolve, 1_100));
  const options = { ttlMs: 600_000, capacity: 1_000_000 };
  const sessions = new CoherentCache<SessionReply>('sessions', coherence, options);
  const keys = new CoherentCache<SigningKey>('signing_keys', coherence, options);
  const users = new CoherentCache<ResolvedUser>('users', coherence, options);
  const sets = new CoherentCache<LocalPolicySet>('policy_sets', coherence, options);
  const shared: PolicySetEntry[] = ['ReadUsers', 'ReadGroups', 'Reports'].map((name, n) => ({
    Kind: 'managed',
    PolicyType: 'user-managed',
    PolicyId: `ANPASHARED${n}XXXXXXXXXX`,
    PolicyName: name,
    PolicyArn: `arn:aws:iam::${ACCOUNT}:policy/${name}`,
    VersionId: 'v1',
    AttachedTo: [{ PrincipalType: 'group', PrincipalId: `AGPAGROUP${n}XXXXXXXXXXX`, GroupName: `group-${n}` }],
    Document: document([`iam:Get*`, `iam:List*`, `myapp:Read${name}`], '*'),
  }));
  const sharedCompiled = shared.map((entry) => compilePolicy(entry.Document, { id: entry.PolicyId, type: entry.PolicyType, name: entry.PolicyName }));

  const before = heap();
  for (let i = 0; i < PRINCIPALS; i++) {
    const name = `user-${String(i).padStart(5, '0')}`;
    const userId = `AIDA${String(i).padStart(17, '0')}`;
    const principal: Principal = { Type: 'user', AccountId: ACCOUNT, UserId: userId, UserName: name, Path: '/staff/', Arn: `arn:aws:iam::${ACCOUNT}:user/staff/${name}`, Tags: [{ Key: 'team', Value: 'blue' }] };
    const deps = [Dependency.userId(userId), Dependency.userName(name)];
    await sessions.get(`session-digest-${i}`.padEnd(43, 'x'), async () => ({ value: { Principal: principal, Expiration: '2099-01-01T00:00:00Z', PasswordChangeOnly: false }, dependsOn: [Dependency.session(`d${i}`), ...deps] }));
    await keys.get(`AKIA${String(i).padStart(16, '0')}/20261207/us-east-1/iam`, async () => ({ value: { key: Buffer.alloc(32, i % 256), principal }, dependsOn: [Dependency.accessKey(`AKIA${i}`), ...deps] }));
    await users.get(name, async () => ({
      value: { UserId: userId, UserName: name, Path: '/staff/', Arn: principal.Arn, State: 'active', Tags: principal.Tags, CreateDate: '2026-01-01T00:00:00Z' },
      dependsOn: deps,
    }));
    const inline: PolicySetEntry = {
      Kind: 'inline',
      PolicyType: 'user',
      PolicyId: 'own',
      PolicyName: 'own',
      AttachedTo: [{ PrincipalType: 'user', PrincipalId: userId }],
      Document: document(['iam:ChangePassword', 'iam:GetUser'], `arn:aws:iam::${ACCOUNT}:user/staff/${name}`),
    };
    await sets.get(userId, async () => ({
      value: { entries: [inline, ...shared], compiled: [compilePolicy(inline.Document, { id: 'own', type: 'user', name: 'own' }), ...sharedCompiled] },
      dependsOn: [...deps, ...shared.map((entry) => Dependency.policyArn(entry.PolicyArn as string)), ...shared.map((_e, n) => Dependency.groupName(`group-${n}`))],
    }));
  }
  const after = heap();
  const sizes = { sessions: sessions.size, signingKeys: keys.size, users: users.size, policySets: sets.size };
  await coherence.stop();
  process.stdout.write(`${JSON.stringify({ principals: PRINCIPALS, entries: sizes, heapBytes: after - before, bytesPerPrincipal: Math.round((after - before) / PRINCIPALS) })}\n`);
}

void main();
