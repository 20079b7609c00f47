import { Injectable, Logger, OnApplicationBootstrap } from '@nestjs/common';
import { PolicyAttachmentRef, PolicyDocumentWritten, PolicySourceType } from '@iam/contracts';
import { CompiledPolicy, PolicySource } from '@iam/policy-engine';
import { CompiledPolicies } from '../documents/compiled-policies';
import { CompiledDocument } from '../documents/policy-documents';
import { inlineSource } from '../inline/inline-policies.service';
import { managedSource } from '../policies/policies.service';
import { AuthorizationErrors } from '../shared/errors';
import { PrincipalType } from '../principals/named-principal';
import { HeldPolicyRow, PolicySetsStore } from './policy-sets.store';

/** A principal whose policies are loaded: a user, or a group. */
export interface PolicyHolder {
  readonly type: PrincipalType;
  readonly id: string;
  /** For groups, to explain where a policy comes from. */
  readonly name?: string;
}

/** One policy that applies, compiled, with where it comes from. */
export interface AppliedPolicy {
  readonly kind: 'managed' | 'inline';
  readonly type: PolicySourceType;
  /** The managed policy id, or the inline policy's name. */
  readonly policyId: string;
  readonly name: string;
  readonly arn?: string;
  readonly versionId?: string;
  readonly attachedTo: PolicyAttachmentRef[];
  readonly document: CompiledDocument;
}

/** The policies of a principal (with its groups) in evaluation order, each once. */
export interface PolicySet {
  readonly applied: readonly AppliedPolicy[];
  readonly compiled: readonly CompiledPolicy[];
}

/** The policies one holder has itself, in evaluation order. */
export interface HolderPolicies {
  readonly holder: PolicyHolder;
  readonly policies: readonly AppliedPolicy[];
}

export const EMPTY_POLICY_SET: PolicySet = { applied: [], compiled: [] };

function byOrder(a: HeldPolicyRow, b: HeldPolicyRow): number {
  if (a.kind !== b.kind) return a.kind === 'inline' ? -1 : 1;
  if (a.kind === 'managed') return Number(a.ord) - Number(b.ord);
  return a.ord < b.ord ? -1 : a.ord > b.ord ? 1 : 0;
}

/**
 * Which policies apply to principals, read from committed state on every
 * call (one indexed query), compiled from the content-keyed cache (a second
 * query only for documents this replica has not compiled yet).
 *
 * Order: for each holder in the order given, its inline policies by name,
 * then its managed policies in the order attached.
 */
@Injectable()
export class PolicySets implements OnApplicationBootstrap {
  private readonly logger = new Logger(PolicySets.name);

  constructor(
    private readonly store: PolicySetsStore,
    private readonly compiled: CompiledPolicies,
  ) {}

  /** Compiles every document in use when the replica starts, ahead of the decisions that need them. */
  async onApplicationBootstrap(): Promise<void> {
    try {
      await this.loadEach();
    } catch (error) {
      this.logger.warn(`Could not compile the policies in use at start: ${(error as Error).message}`);
    }
  }

  /** Compiles a document another replica wrote (see `authorization.policy-document.written`). */
  async precompile(written: PolicyDocumentWritten): Promise<void> {
    if (written.Kind === 'managed') {
      if (this.compiled.get(CompiledPolicies.managedKey(written.PolicyId, written.VersionId))) return;
      const row = await this.store.managedDocument({ policyId: written.PolicyId, versionId: written.VersionId });
      if (row) {
        this.compile(
          CompiledPolicies.managedKey(written.PolicyId, written.VersionId),
          row.document,
          managedSource({ policyId: written.PolicyId, name: row.name, account: row.account }, written.VersionId),
        );
      }
      return;
    }
    const row = await this.store.inlineDocument({ principalId: written.PrincipalId, nameLower: written.PolicyName.toLowerCase() });
    if (row && !this.compiled.get(CompiledPolicies.inlineKey(written.PrincipalId, row.name, row.contentHash))) {
      this.compile(CompiledPolicies.inlineKey(written.PrincipalId, row.name, row.contentHash), row.document, inlineSource(row.principalType, row.name));
    }
  }

  /**
   * The policies of `holders` (a user and its groups) for one evaluation: a
   * managed policy that several holders have appears once, where it first
   * appears, naming every holder in `attachedTo`. Throws when a stored
   * document cannot be compiled (`ServiceFailure`) or the state keeps changing
   * under the read; the decision path turns that into a deny.
   */
  async load(holders: readonly PolicyHolder[]): Promise<PolicySet> {
    if (holders.length === 0) return EMPTY_POLICY_SET;
    const each = await this.loadEach(holders);
    const applied: AppliedPolicy[] = [];
    const managed = new Map<string, AppliedPolicy>();
    for (const { policies } of each) {
      for (const policy of policies) {
        if (policy.kind === 'managed') {
          const seen = managed.get(policy.policyId);
          if (seen) {
            seen.attachedTo.push(...policy.attachedTo);
            continue;
          }
          const copy = { ...policy, attachedTo: [...policy.attachedTo] };
          managed.set(policy.policyId, copy);
          applied.push(copy);
        } else {
          applied.push(policy);
        }
      }
    }
    return { applied, compiled: applied.map((policy) => policy.document.policy) };
  }

  /**
   * The policies each holder has itself, in the order of `holders`; without
   * `holders`, of every user and group that has any (groups are then named
   * by id only).
   */
  async loadEach(holders?: readonly PolicyHolder[]): Promise<HolderPolicies[]> {
    // A document can only be missing when it changed between the two reads
    // (a version deleted, an inline policy replaced): read again.
    for (let attempt = 0; attempt < 3; attempt++) {
      const found = await this.store.held(holders ? holders.map((holder) => holder.id) : null);
      await this.compileMissing(found);
      const result = this.assemble(holders, found);
      if (result) return result;
    }
    throw new Error('the policies kept changing while being read');
  }

  /**
   * As {@link loadEach} without holders, but only the holders of documents for which `bears`
   * is true, with those documents only: each document in use is compiled and judged once, then
   * only the attachments and inline policies of those that bear are read (the who-can view
   * reads the holders of the policies that bear on its query, not every holder).
   */
  async loadBearing(bears: (document: CompiledDocument) => boolean): Promise<HolderPolicies[]> {
    for (let attempt = 0; attempt < 3; attempt++) {
      const inUse = await this.store.documentsInUse();
      await this.compileMissing(inUse);
      const policyIds: string[] = [];
      const contentHashes: string[] = [];
      for (const row of inUse) {
        // Missing only when it changed between the two reads: judged on the next read.
        const document = this.compiled.get(this.keyOf(row));
        if (document === undefined || !bears(document)) continue;
        if (row.kind === 'managed') policyIds.push(row.policyId as string);
        else contentHashes.push(row.contentHash as string);
      }
      if (policyIds.length === 0 && contentHashes.length === 0) return [];
      const found = await this.store.heldOf(policyIds, contentHashes);
      await this.compileMissing(found);
      const result = this.assemble(undefined, found);
      if (result) return result;
    }
    throw new Error('the policies kept changing while being read');
  }

  private assemble(holders: readonly PolicyHolder[] | undefined, found: HeldPolicyRow[]): HolderPolicies[] | undefined {
    const byHolder = new Map<string, HeldPolicyRow[]>();
    for (const row of found) {
      const list = byHolder.get(row.principalId) ?? [];
      list.push(row);
      byHolder.set(row.principalId, list);
    }
    const wanted: readonly PolicyHolder[] = holders ?? [...byHolder.values()].map((list) => ({ type: list[0].principalType, id: list[0].principalId }));
    const out: HolderPolicies[] = [];
    for (const holder of wanted) {
      const ref: PolicyAttachmentRef =
        holder.type === 'group' && holder.name !== undefined
          ? { PrincipalType: holder.type, PrincipalId: holder.id, GroupName: holder.name }
          : { PrincipalType: holder.type, PrincipalId: holder.id };
      const policies: AppliedPolicy[] = [];
      for (const row of (byHolder.get(holder.id) ?? []).sort(byOrder)) {
        const document = this.compiled.get(this.keyOf(row));
        if (!document) return undefined;
        policies.push(
          row.kind === 'inline'
            ? { kind: 'inline', type: row.principalType, policyId: row.name, name: row.name, attachedTo: [ref], document }
            : {
                kind: 'managed',
                type: document.policy.source.type as PolicySourceType,
                policyId: row.policyId as string,
                name: row.name,
                arn: row.arn as string,
                versionId: row.versionId as string,
                attachedTo: [ref],
                document,
              },
        );
      }
      out.push({ holder, policies });
    }
    return out;
  }

  private keyOf(row: HeldPolicyRow): string {
    return row.kind === 'inline'
      ? CompiledPolicies.inlineKey(row.principalId, row.name, row.contentHash as string)
      : CompiledPolicies.managedKey(row.policyId as string, row.versionId as string);
  }

  /** Loads and compiles, once per replica, the documents the cache does not hold yet. */
  private async compileMissing(found: HeldPolicyRow[]): Promise<void> {
    const missing = found.filter((row) => this.compiled.get(this.keyOf(row)) === undefined);
    const managed = new Map<string, HeldPolicyRow>();
    for (const row of missing) if (row.kind === 'managed') managed.set(this.keyOf(row), row);
    const inline = missing.filter((row) => row.kind === 'inline');
    if (managed.size > 0) {
      const wanted = [...managed.values()];
      const documents = await this.store.versions(wanted.map((row) => ({ policyId: row.policyId as string, versionId: row.versionId as string })));
      for (const document of documents) {
        const key = CompiledPolicies.managedKey(document.policyId, document.versionId);
        const row = managed.get(key) as HeldPolicyRow;
        this.compile(key, document.document, managedSource({ policyId: document.policyId, name: row.name, account: row.account as string }, document.versionId));
      }
    }
    if (inline.length > 0) {
      const documents = await this.store.inlines(inline.map((row) => ({ principalId: row.principalId, nameLower: row.nameLower as string })));
      for (const document of documents) {
        this.compile(
          CompiledPolicies.inlineKey(document.principalId, document.name, document.contentHash),
          document.document,
          inlineSource(document.principalType, document.name),
        );
      }
    }
  }

  private compile(key: string, text: string, source: PolicySource): void {
    try {
      this.compiled.compile(key, text, source);
    } catch (error) {
      // Stored documents were valid when written. One that no longer compiles
      // might hold a Deny: the whole read fails rather than leave a part out.
      this.logger.error(`Stored policy ${source.id} does not compile: ${(error as Error).message}`);
      throw AuthorizationErrors.storedPolicyInvalid(source.id);
    }
  }
}
