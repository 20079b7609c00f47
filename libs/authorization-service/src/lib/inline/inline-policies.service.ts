import { Injectable } from '@nestjs/common';
import { IamError, PageRequest, PolicyNamesPage } from '@iam/contracts';
import { Clock, Listing } from '@iam/platform';
import { GROUP_INLINE_POLICIES_MAX_SIZE, policyDocumentSize, USER_INLINE_POLICIES_MAX_SIZE } from '@iam/policy-engine';
import { createHash } from 'node:crypto';
import { DataSource } from 'typeorm';
import { CompiledPolicies } from '../documents/compiled-policies';
import { DocumentEvents } from '../documents/document-events';
import { compileDocument } from '../documents/policy-documents';
import { Principals } from '../neighbours/principals';
import { changed, isTombstoned, lockPrincipal, rows } from '../persistence/sql';

const INLINE_POLICIES = new Listing<[nameLower: string]>('inline-policies', 1);
import { NamedPrincipal, noSuchPrincipal, PrincipalType, resolvePrincipal } from '../principals/named-principal';

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
    private readonly principals: Principals,
    private readonly clock: Clock,
    private readonly compiled: CompiledPolicies,
    private readonly events: DocumentEvents,
  ) {}

  private notFound(type: PrincipalType, policyName: string): IamError {
    return new IamError('NoSuchEntity', `The ${type} policy with name ${policyName} cannot be found.`);
  }

  /** Creates or replaces the inline policy of that name (regardless of case). */
  async put(type: PrincipalType, name: string, policyName: string, document: string): Promise<void> {
    const compiled = compileDocument(document, inlineSource(type, policyName), { kind: 'inline' });
    const principal = await resolvePrincipal(this.principals, type, name);
    const size = policyDocumentSize(document);
    const hash = contentHash(document);
    const limit = aggregateLimit(type);
    const now = this.clock.now();
    await this.db.transaction(async (manager) => {
      await lockPrincipal(manager, principal.id);
      if (await isTombstoned(manager, principal.id)) throw noSuchPrincipal(type, name);
      const [{ others }] = await rows<{ others: number }>(
        manager,
        'SELECT coalesce(sum(size), 0)::int AS others FROM "authorization".inline_policies WHERE principal_id = $1 AND name_lower <> $2',
        [principal.id, policyName.toLowerCase()],
      );
      if (others + size > limit) {
        throw new IamError('LimitExceeded', `Maximum policy size of ${limit} bytes exceeded for ${type} ${principal.name}`);
      }
      await manager.query(
        `INSERT INTO "authorization".inline_policies
           (principal_id, principal_type, name, name_lower, document, content_hash, size, create_date, update_date)
         VALUES ($1, $2, $3, $4, $5, $6, $7, $8, $8)
         ON CONFLICT (principal_id, name_lower) DO UPDATE
           SET name = EXCLUDED.name, document = EXCLUDED.document, content_hash = EXCLUDED.content_hash,
               size = EXCLUDED.size, update_date = EXCLUDED.update_date`,
        [principal.id, type, policyName, policyName.toLowerCase(), document, hash, size, now],
      );
    });
    this.compiled.put(CompiledPolicies.inlineKey(principal.id, policyName, hash), compiled);
    await this.events.written({ Kind: 'inline', PrincipalId: principal.id, PolicyName: policyName });
  }

  async get(type: PrincipalType, name: string, policyName: string): Promise<{ principal: NamedPrincipal; PolicyName: string; PolicyDocument: string }> {
    const principal = await resolvePrincipal(this.principals, type, name);
    const [row] = await rows<{ name: string; document: string }>(
      this.db,
      'SELECT name, document FROM "authorization".inline_policies WHERE principal_id = $1 AND name_lower = $2',
      [principal.id, policyName.toLowerCase()],
    );
    if (!row) throw this.notFound(type, policyName);
    return { principal, PolicyName: row.name, PolicyDocument: row.document };
  }

  async delete(type: PrincipalType, name: string, policyName: string): Promise<void> {
    const principal = await resolvePrincipal(this.principals, type, name);
    const removed = await changed(
      this.db,
      'DELETE FROM "authorization".inline_policies WHERE principal_id = $1 AND name_lower = $2 RETURNING name',
      [principal.id, policyName.toLowerCase()],
    );
    if (removed.length === 0) throw this.notFound(type, policyName);
  }

  async list(type: PrincipalType, name: string, request: PageRequest): Promise<PolicyNamesPage> {
    const principal = await resolvePrincipal(this.principals, type, name);
    const page = INLINE_POLICIES.query(request);
    const found = await rows<{ name: string; name_lower: string }>(
      this.db,
      `SELECT name, name_lower FROM "authorization".inline_policies
        WHERE principal_id = $1 AND ($2::text IS NULL OR name_lower COLLATE "C" > $2::text COLLATE "C")
        ORDER BY name_lower COLLATE "C" LIMIT $3`,
      [principal.id, page.after?.[0] ?? null, page.limit],
    );
    const { items, page: shown } = INLINE_POLICIES.page(found, page, (row) => [row.name_lower]);
    return { PolicyNames: items.map((row) => row.name), ...shown };
  }
}
