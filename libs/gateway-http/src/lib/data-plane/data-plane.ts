import { createHash } from 'node:crypto';
import { Inject, Injectable, Logger, type OnApplicationShutdown, type OnModuleInit } from '@nestjs/common';
import {
  AuthorizationPatterns,
  BusClient,
  DirectoryPatterns,
  IamError,
  IdentityPatterns,
  type AccessKeyUse,
  type GetPolicySetReply,
  type GroupRef,
  type PolicySetEntry,
  type Principal,
  type ResolvedUser,
  type SessionReply,
} from '@iam/contracts';
import { compilePolicy, type CompiledPolicy } from '@iam/policy-engine';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.options';
import { CoherentCache } from './cache';
import { coherenceChannel } from './channels';
import { Coherence, Dependency, type Invalidation } from './coherence';

/** A user's policies, compiled, as the gateway evaluates them. */
export interface LocalPolicySet {
  readonly entries: readonly PolicySetEntry[];
  readonly compiled: readonly CompiledPolicy[];
}

/** A derived SigV4 signing key and whose key it is. */
export interface SigningKey {
  readonly key: Buffer;
  readonly principal: Principal;
}

/** How the data plane caches (`GatewayOptions.cache`). */
export interface DataPlaneOptions {
  /** How long a lease beat lets a replica answer from its caches, as writers count it. */
  leaseMs: number;
  /** The longest any entry is kept. */
  ttlMs: number;
  /** Entries per cache at most. */
  capacity: number;
  /** How often verified key uses are reported to identity. */
  keyUseFlushMs?: number;
}

/** The digest a session token is known by in the caches (the token itself is never a key). */
export function sessionDigest(token: string): string {
  return createHash('sha256').update(token).digest('base64url');
}

/** Compiled documents by content: a document never changes under its key, so these need no invalidation. */
class CompiledDocuments {
  private readonly entries = new Map<string, CompiledPolicy>();

  constructor(private readonly capacity: number) {}

  of(entry: PolicySetEntry): CompiledPolicy {
    const key = `${entry.PolicyType}\u0000${entry.PolicyId}\u0000${entry.VersionId ?? ''}\u0000${entry.Document}`;
    let compiled = this.entries.get(key);
    if (compiled === undefined) {
      compiled = compilePolicy(entry.Document, { id: entry.PolicyId, type: entry.PolicyType, name: entry.PolicyName, ...(entry.VersionId ? { version: entry.VersionId } : {}) }, { stored: true });
      this.entries.set(key, compiled);
      while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    }
    return compiled;
  }
}

/**
 * The data plane of one gateway replica (docs/architecture.md, "Data plane"): sessions,
 * derived signing keys, users and groups by name and users' policy sets, each read from the services
 * with one request on a miss and kept coherent with every other replica by
 * {@link Coherence}: a change that may narrow access returns only once every live replica
 * dropped what it affects.
 */
@Injectable()
export class DataPlane implements OnModuleInit, OnApplicationShutdown {
  private readonly logger = new Logger(DataPlane.name);
  readonly coherence: Coherence;
  private readonly sessions: CoherentCache<SessionReply>;
  private readonly signingKeys: CoherentCache<SigningKey>;
  private readonly users: CoherentCache<ResolvedUser>;
  private readonly groups: CoherentCache<GroupRef>;
  private readonly policySets: CoherentCache<LocalPolicySet>;
  private readonly documents: CompiledDocuments;
  private uses = new Map<string, AccessKeyUse>();
  private timer: NodeJS.Timeout | undefined;

  constructor(
    private readonly bus: BusClient,
    @Inject(GATEWAY_OPTIONS) private readonly gateway: GatewayOptions,
  ) {
    const options = gateway.cache as DataPlaneOptions;
    this.coherence = new Coherence(coherenceChannel(gateway.bus.transport), { leaseMs: options.leaseMs });
    const cache = { ttlMs: options.ttlMs, capacity: options.capacity };
    this.sessions = new CoherentCache('gateway_sessions', this.coherence, cache);
    this.signingKeys = new CoherentCache('gateway_signing_keys', this.coherence, cache);
    this.users = new CoherentCache('gateway_users', this.coherence, cache);
    this.groups = new CoherentCache('gateway_groups', this.coherence, cache);
    this.policySets = new CoherentCache('gateway_policy_sets', this.coherence, cache);
    this.documents = new CompiledDocuments(options.capacity);
  }

  async onModuleInit(): Promise<void> {
    await this.coherence.start();
    const options = this.gateway.cache as DataPlaneOptions;
    this.timer = setInterval(() => void this.reportKeyUses(), options.keyUseFlushMs ?? 1_000);
    this.timer.unref();
  }

  async onApplicationShutdown(): Promise<void> {
    if (this.timer) clearInterval(this.timer);
    await this.reportKeyUses();
    await this.coherence.stop();
  }

  /** Drops what `invalidation` names on every live replica; resolves when they all have. */
  invalidate(invalidation: Invalidation): Promise<void> {
    return this.coherence.invalidate(invalidation);
  }

  /** `VerifySession`'s answer for `token`. */
  session(token: string): Promise<SessionReply> {
    const digest = sessionDigest(token);
    return this.sessions.get(digest, async () => {
      const reply = await this.bus.send(IdentityPatterns.VerifySession, { SessionToken: token });
      return { value: reply, dependsOn: [Dependency.session(digest), ...principalDependencies(reply.Principal)], ttlMs: Date.parse(reply.Expiration) - Date.now() };
    });
  }

  /** The derived signing key of an access key for one scope, and its principal. */
  signingKey(accessKeyId: string, scope: { Date: string; Region: string; Service: string }): Promise<SigningKey> {
    return this.signingKeys.get(`${accessKeyId}/${scope.Date}/${scope.Region}/${scope.Service}`, async () => {
      const reply = await this.bus.send(IdentityPatterns.GetSigningKey, { AccessKeyId: accessKeyId, Scope: scope });
      return {
        value: { key: Buffer.from(reply.SigningKey, 'hex'), principal: reply.Principal },
        dependsOn: [Dependency.accessKey(accessKeyId), ...principalDependencies(reply.Principal)],
      };
    });
  }

  /** Notes a use of an access key verified here; reported to identity within `keyUseFlushMs`. */
  recordKeyUse(use: AccessKeyUse): void {
    this.uses.set(use.AccessKeyId, use);
  }

  /** `ResolveUser` by name. */
  user(name: string): Promise<ResolvedUser> {
    return this.users.get(name.toLowerCase(), async () => {
      const user = await this.bus.send(IdentityPatterns.ResolveUser, { UserName: name });
      return { value: user, dependsOn: [Dependency.userName(user.UserName), Dependency.userName(name), Dependency.userId(user.UserId)] };
    });
  }

  /** `ResolveGroup` by name (a group that does not exist is asked for again each time). */
  group(name: string): Promise<GroupRef> {
    return this.groups.get(name.toLowerCase(), async () => {
      const group = await this.bus.send(DirectoryPatterns.ResolveGroup, { GroupName: name });
      return { value: group, dependsOn: [Dependency.groupName(group.GroupName), Dependency.groupName(name)] };
    });
  }

  /** The policies of user `userId` (named `userName`), compiled, in evaluation order. */
  policySet(userId: string, userName: string): Promise<LocalPolicySet> {
    return this.policySets.get(userId, async () => {
      const reply: GetPolicySetReply = await this.bus.send(AuthorizationPatterns.GetPolicySet, { Principal: { Type: 'user', UserId: userId } });
      return {
        value: { entries: reply.Policies, compiled: reply.Policies.map((entry) => this.documents.of(entry)) },
        dependsOn: [
          Dependency.userId(userId),
          Dependency.userName(userName),
          ...reply.Groups.map((group) => Dependency.groupName(group.GroupName)),
          ...reply.Policies.flatMap((entry) => (entry.PolicyArn ? [Dependency.policyArn(entry.PolicyArn)] : [])),
        ],
      };
    });
  }

  /**
   * Sends the uses noted since the last report. A batch identity could not
   * take because it was unavailable is kept for the next report, except for
   * keys used again meanwhile (the newer use is kept instead).
   */
  private async reportKeyUses(): Promise<void> {
    if (this.uses.size === 0) return;
    const uses = [...this.uses.values()];
    this.uses = new Map();
    for (let i = 0; i < uses.length; i += 1000) {
      const batch = uses.slice(i, i + 1000);
      await this.bus.send(IdentityPatterns.RecordAccessKeyUse, { Uses: batch }).catch((error: unknown) => {
        const retry = error instanceof IamError && error.code === 'ServiceUnavailable';
        this.logger.warn(`Could not report ${batch.length} access key uses${retry ? ' (kept for the next report)' : ''}: ${(error as Error).message}`);
        if (retry) for (const use of batch) if (!this.uses.has(use.AccessKeyId)) this.uses.set(use.AccessKeyId, use);
      });
    }
  }
}

function principalDependencies(principal: Principal): string[] {
  return principal.Type === 'user' ? [Dependency.userId(principal.UserId), Dependency.userName(principal.UserName)] : [];
}
