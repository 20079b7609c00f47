import { Injectable } from '@nestjs/common';
import { PageRequest, PolicyNamesPage } from '@iam/contracts';
import { Clock, Listing } from '@iam/platform';
import { GROUP_INLINE_POLICIES_MAX_SIZE, policyDocumentSize, USER_INLINE_POLICIES_MAX_SIZE } from '@iam/policy-engine';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CompiledPolicies } from '../documents/compiled-policies';
import { DocumentEvents } from '../documents/document-events';
import { compileDocument } from '../documents/policy-documents';
import { DirectoryGroups, IdentityUsers } from '../shared/neighbours';

import { NamedPrincipal, noSuchPrincipal, PrincipalType, resolvePrincipal } from '../principals/named-principal';
import { PrincipalTombstonesStore } from '../principals/principal-tombstones.store';
import { AuthorizationErrors } from '../shared/errors';
import { InlinePoliciesStore } from './inline-policies.store';

/** A principal's inline policies by name regardless of case, in byte order. */
const INLINE_POLICIES = new Listing<[nameLower: string]>('inline-policies', 1);

/** The hash that keys an inline policy's compiled form. */
export function contentHash(document: string): string {
  return createHash('sha256').update(document, 'utf8').digest('base64url');
}

/** How an inline policy is labelled in decisions: its name, its owner's kind. */
export function inlineSource(type: PrincipalType, name: string) {
  return { id: name, type, name };
}

function aggregateLimit(type: PrincipalType): number {
  return type === 'user' ? USER_INLINE_POLICIES_MAX_SIZE : GROUP_INLINE_POLICIES_MAX_SIZE;
}

/** Inline policies of users and groups. */
@Injectable()
export class InlinePoliciesService {
  constructor(
    private readonly db: DataSource,
    private readonly store: InlinePoliciesStore,
    private readonly tombstones: PrincipalTombstonesStore,
    private readonly users: IdentityUsers,
    private readonly groups: DirectoryGroups,
    private readonly clock: Clock,
    private readonly compiled: CompiledPolicies,
    private readonly events: DocumentEvents,
  ) {}

  /** Creates or replaces the inline policy of that name (regardless of case). */
  async put(type: PrincipalType, name: string, policyName: string, document: string): Promise<void> {
    const compiled = compileDocument(document, inlineSource(type, policyName), { kind: 'inline' });
    const principal = await resolvePrincipal(this.users, this.groups, type, name);
    const size = policyDocumentSize(document);
    const hash = contentHash(document);
    const limit = aggregateLimit(type);
    const nameLower = policyName.toLowerCase();
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      await this.tombstones.lock(manager, principal.id);
      if (await this.tombstones.isTombstoned(manager, principal.id)) throw noSuchPrincipal(type, name);
      const others = await this.store.sizeOfOthers(manager, principal.id, nameLower);
      if (others + size > limit) throw AuthorizationErrors.inlinePolicySize(limit, type, principal.name);
      await this.store.put(manager, {
        principalId: principal.id,
        principalType: type,
        name: policyName,
        nameLower,
        document,
        contentHash: hash,
        size,
        createDate: now,
      });
    });
    this.compiled.put(CompiledPolicies.inlineKey(principal.id, policyName, hash), compiled);
    await this.events.written({ Kind: 'inline', PrincipalId: principal.id, PolicyName: policyName });
  }

  async get(type: PrincipalType, name: string, policyName: string): Promise<{ principal: NamedPrincipal; PolicyName: string; PolicyDocument: string }> {
    const principal = await resolvePrincipal(this.users, this.groups, type, name);
    const found = await this.store.find(principal.id, policyName.toLowerCase());
    if (!found) throw AuthorizationErrors.noSuchInlinePolicy(type, policyName);
    return { principal, PolicyName: found.name, PolicyDocument: found.document };
  }

  async delete(type: PrincipalType, name: string, policyName: string): Promise<void> {
    const principal = await resolvePrincipal(this.users, this.groups, type, name);
    if (!(await this.store.delete(principal.id, policyName.toLowerCase()))) throw AuthorizationErrors.noSuchInlinePolicy(type, policyName);
  }

  async list(type: PrincipalType, name: string, request: PageRequest): Promise<PolicyNamesPage> {
    const principal = await resolvePrincipal(this.users, this.groups, type, name);
    const page = INLINE_POLICIES.query(request);
    const found = await this.store.page(principal.id, page.after?.[0], page.limit);
    const { items, page: shown } = INLINE_POLICIES.page(found, page, (row) => [row.nameLower]);
    return { PolicyNames: items.map((row) => row.name), ...shown };
  }
}
