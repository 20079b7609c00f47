import { z } from 'zod';
import type { HealthReply } from './common';

/** Authorization: policies, attachments, decisions and simulation. */
export const AuthorizationPatterns = {
  Health: 'authorization.health',
  /**
   * Service-to-service, step 1 of `DeleteUser` (identity) and `DeleteGroup`
   * (directory): from now on no policy may be attached to or put on this
   * principal, and the reply says how many attached and inline policies remain.
   * If any remain, the caller answers `DeleteConflict` and calls
   * `CancelPrincipalDelete`.
   */
  BeginPrincipalDelete: 'authorization.principal.begin-delete',
  /** Service-to-service: undoes `BeginPrincipalDelete`. */
  CancelPrincipalDelete: 'authorization.principal.cancel-delete',
} as const;

export const PrincipalRef = z.strictObject({
  PrincipalType: z.enum(['user', 'group']),
  /** The immutable user or group id. */
  PrincipalId: z.string().min(1).max(128),
});
export type PrincipalRef = z.infer<typeof PrincipalRef>;

export interface AuthorizationMessages {
  [AuthorizationPatterns.Health]: { request: Record<string, never>; reply: HealthReply };
  [AuthorizationPatterns.BeginPrincipalDelete]: {
    request: PrincipalRef;
    reply: { AttachedPolicyCount: number; InlinePolicyCount: number };
  };
  [AuthorizationPatterns.CancelPrincipalDelete]: { request: PrincipalRef; reply: Record<string, never> };
}

export const AuthorizationRequests = {
  [AuthorizationPatterns.Health]: z.strictObject({}),
  [AuthorizationPatterns.BeginPrincipalDelete]: PrincipalRef,
  [AuthorizationPatterns.CancelPrincipalDelete]: PrincipalRef,
} satisfies { [P in keyof AuthorizationMessages]: z.ZodType<AuthorizationMessages[P]['request']> };

/** Events of the authorization service. */
export type AuthorizationEventMap = Record<never, never>;
