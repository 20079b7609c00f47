import { z } from 'zod';
import { ExistingUserName, Page, PageRequest } from '../common';
import { pattern, reply } from '../pattern';
import { awsList } from '../validation';
import { ActionName, ContextEntry, PolicySourceType, ResourceName } from './shared';

// Who can, and a user's effective permissions: `libs/authorization-service/src/lib/access`.

export type AccessVerdict = 'allowed' | 'denied' | 'conditional';

export const WhoCanRequest = z.strictObject({
  ActionName,
  /** An ARN, or an ARN pattern with `*` and `?`. */
  ResourceArn: ResourceName,
  /** When given, conditions are evaluated against these values. */
  ContextEntries: awsList(ContextEntry, 0, 256).optional(),
  /** Only users with these verdicts (all when absent). */
  Verdicts: awsList(z.enum(['allowed', 'denied', 'conditional']), 1, 3).optional(),
  ...PageRequest.shape,
});
export type WhoCanRequest = z.infer<typeof WhoCanRequest>;

/** A policy that bears on a user, and how the user has it. */
export interface UserPolicySource {
  /** `direct`: the user's own policy; `group`: through that group. */
  Via: 'direct' | 'group';
  GroupName?: string;
  GroupId?: string;
  PolicyType: PolicySourceType;
  /** The managed policy id, or the inline policy's name. */
  PolicyId: string;
  PolicyName: string;
  PolicyArn?: string;
  VersionId?: string;
}

/** A statement that grants or denies access to a user, and how the user has it. */
export interface AccessGrant extends UserPolicySource {
  Sid?: string;
  StatementIndex: number;
  /** True when it applies only in some cases (a condition, a variable, part of a resource pattern). */
  Conditional: boolean;
}

export interface AccessPrincipal {
  UserName: string;
  UserId: string;
  Path: string;
  Arn: string;
  Verdict: AccessVerdict;
  /** Allow statements that apply. */
  Grants: AccessGrant[];
  /** Deny statements that apply. */
  Denials: AccessGrant[];
}

export interface WhoCanReply extends Page {
  ActionName: string;
  ResourceArn: string;
  Principals: AccessPrincipal[];
  Counts: { Allowed: number; Denied: number; Conditional: number };
}

export const UserPermissionsRequest = z.strictObject({ UserName: ExistingUserName });
export type UserPermissionsRequest = z.infer<typeof UserPermissionsRequest>;

export interface PermissionSource extends UserPolicySource {
  Statements: {
    StatementIndex: number;
    Sid?: string;
    Effect: 'Allow' | 'Deny';
    /** The statement's JSON text as written in the document. */
    Statement: string;
  }[];
}

export interface UserPermissionsReply {
  User: { UserName: string; UserId: string; Path: string; Arn: string };
  Groups: { GroupName: string; GroupId: string }[];
  Sources: PermissionSource[];
}

export const AccessPatterns = {
  /**
   * Who can do `ActionName` on `ResourceArn` (an ARN, or an ARN pattern with
   * `*`/`?`): every user with an applicable statement, its `Verdict`
   * (`allowed`, `denied` by an explicit Deny, or `conditional` when a
   * condition, a policy variable or partial resource coverage leaves it
   * open) and the statements that grant or deny it, each with the group it
   * comes through (or direct). With `ContextEntries` conditions are
   * evaluated. Users with no applicable statement are not listed. Ordered by
   * user name regardless of case, then user id (keyset pages: a user created
   * or renamed before the marker is not shown on later pages, none is shown
   * twice); `Verdicts` filters; `Counts` covers every user identity knows,
   * regardless of the filter and the page. A marker no page issued →
   * `InvalidInput` ("Invalid Marker."). A page may hold fewer than
   * `MaxItems` users (still truncated, with a marker) so that the reply fits
   * in one bus message. Reads committed state on every call, like `Authorize`.
   */
  WhoCan: pattern('authorization.access.who-can', WhoCanRequest, reply<WhoCanReply>()),
  /**
   * A user's effective permissions by source: every policy that applies to
   * it (its own inline and attached ones, then each group's in directory's
   * order), with the group it comes through and its statements as written.
   * Unknown user → `NoSuchEntity`.
   */
  UserPermissions: pattern('authorization.access.user', UserPermissionsRequest, reply<UserPermissionsReply>()),
} as const;
