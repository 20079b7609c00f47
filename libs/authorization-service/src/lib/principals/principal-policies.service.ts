import { Injectable } from '@nestjs/common';
import type { PoliciesOfPrincipalsReply, PoliciesOfPrincipalsRequest, PrincipalPolicies } from '@iam/contracts';
import { AttachmentsStore } from '../attachments/attachments.store';
import { InlinePoliciesStore } from '../inline/inline-policies.store';

/**
 * The policies of many users and groups at once, for the account authorization details view:
 * one query for their attachments and one for their inline policies, whatever their number.
 */
@Injectable()
export class PrincipalPoliciesService {
  constructor(
    private readonly attachments: AttachmentsStore,
    private readonly inline: InlinePoliciesStore,
  ) {}

  async policiesOf(request: PoliciesOfPrincipalsRequest): Promise<PoliciesOfPrincipalsReply> {
    const userIds = [...new Set(request.UserIds ?? [])];
    const groupIds = [...new Set(request.GroupIds ?? [])];
    // Ids are unique across kinds (`AIDA…` users, `AGPA…` groups), so one map serves both.
    const byId = new Map<string, PrincipalPolicies>();
    for (const id of [...userIds, ...groupIds]) byId.set(id, { AttachedPolicies: [], InlinePolicies: [] });
    const ids = [...byId.keys()];
    const [attached, inline] = await Promise.all([this.attachments.attachedOf(ids), this.inline.policiesOf(ids)]);
    for (const row of attached) byId.get(row.principalId)?.AttachedPolicies.push({ PolicyName: row.name, PolicyArn: row.arn });
    for (const row of inline) byId.get(row.principalId)?.InlinePolicies.push({ PolicyName: row.name, PolicyDocument: row.document });
    const of = (list: string[]) => Object.fromEntries(list.map((id) => [id, byId.get(id) as PrincipalPolicies]));
    return { Users: of(userIds), Groups: of(groupIds) };
  }
}
