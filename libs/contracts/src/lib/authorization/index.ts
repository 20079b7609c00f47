import type { HealthReply } from '../common';
import { MessagesOf, NoInput, pattern, PayloadsOf, reply, requestSchemasOf, subjectsOf } from '../pattern';
import { AccessPatterns } from './access';
import { AttachmentPatterns } from './attachments';
import { DecisionPatterns } from './decisions';
import { DocumentEvents } from './documents';
import { InlinePolicyPatterns } from './inline';
import { PolicyPatterns } from './policies';
import { PrincipalPatterns } from './principals';
import { SimulationPatterns } from './simulation';

export * from './access';
export * from './attachments';
export * from './decisions';
export * from './documents';
export * from './inline';
export * from './policies';
export * from './principals';
export * from './shared';
export * from './simulation';

/**
 * Authorization: managed policies (customer managed and AWS managed) with
 * versions, inline policies, attachments of managed policies to users and
 * groups, the decision every request goes through, the AWS policy simulation
 * APIs and the who-can view.
 *
 * Each feature declares its patterns in its own file, mirroring
 * `libs/authorization-service/src/lib/<feature>`.
 *
 * Conventions of every pattern:
 * - Policies are addressed by ARN, as AWS does:
 *   `arn:aws:iam::ACCOUNT:policy/PATH/NAME` for the account's own (customer
 *   managed) policies, `arn:aws:iam::aws:policy/NAME` for the AWS managed
 *   ones, which are read-only (changing one answers `AccessDenied`). A string
 *   that is not a policy ARN answers `InvalidInput` ("ARN x is not valid.").
 * - Users and groups are named as AWS does (`UserName`, `GroupName`, looked up
 *   regardless of case) and resolved to their immutable ids with identity and
 *   directory; attachments and inline policies are keyed by those ids, so
 *   renames change nothing here. Unknown user or group → `NoSuchEntity` with
 *   the owning service's message.
 * - Policy documents are returned exactly as they were written (raw JSON
 *   text, white space kept). AWS's Query API returns them URL-encoded
 *   (RFC 3986); that encoding belongs to the protocol front: the gateway
 *   encodes `Document`/`PolicyDocument` for the Query API and passes them raw
 *   in REST JSON.
 * - Every written document is validated and compiled by the policy engine
 *   first: a malformed one answers `MalformedPolicyDocument` naming the JSON
 *   path and the reason (`Statement[0].Effect: Effect must be "Allow" or
 *   "Deny", found "Permit"`), and nothing is stored.
 * - Pagination follows AWS: pass the reply's `Marker` back as `Marker` while
 *   `IsTruncated` is true; `MaxItems` is 1–1000, 100 by default. Markers are
 *   opaque; one that cannot be read answers `InvalidInput`. "By name" orders
 *   compare lower-cased names byte by byte, whatever the database's locale.
 * - Consistency: every reply is given after commit, and every read starts
 *   from committed state, so a change is seen by every call (decisions
 *   included) that starts after the changing call returned, on any replica.
 */
export const AuthorizationContract = {
  Health: pattern('authorization.health', NoInput, reply<HealthReply>()),
  ...PolicyPatterns,
  ...AttachmentPatterns,
  ...InlinePolicyPatterns,
  ...PrincipalPatterns,
  ...DecisionPatterns,
  ...SimulationPatterns,
  ...AccessPatterns,
} as const;

/** Events of the authorization service, published after commit to every replica that subscribes. */
export const AuthorizationEventContract = { ...DocumentEvents } as const;

export const AuthorizationPatterns = subjectsOf(AuthorizationContract);
export type AuthorizationMessages = MessagesOf<typeof AuthorizationContract>;
export const AuthorizationRequests = requestSchemasOf(AuthorizationContract);

export const AuthorizationEvents = subjectsOf(AuthorizationEventContract);
export type AuthorizationEventMap = PayloadsOf<typeof AuthorizationEventContract>;
