import { z } from 'zod';
import { Marker, MaxItems, Page } from '../common';
import { pattern, reply } from '../pattern';
import { awsList } from '../validation';
import { ActionName, ContextEntry, DecisionKind, PolicyArn, PolicyDocument, PolicySourceType, ResourceName } from './shared';

// AWS policy simulation: `libs/authorization-service/src/lib/simulation`.

const SimulationInput = {
  PermissionsBoundaryPolicyInputList: awsList(PolicyDocument, 0, 10).optional(),
  ActionNames: awsList(ActionName, 1, 1000),
  ResourceArns: awsList(ResourceName, 1, 1000).optional(),
  ContextEntries: awsList(ContextEntry, 0, 256).optional(),
  MaxItems: MaxItems.optional(),
  Marker: Marker.optional(),
};

export const SimulatePrincipalPolicyRequest = z.strictObject({
  PolicySourceArn: PolicyArn,
  PolicyInputList: awsList(PolicyDocument, 0, 50).optional(),
  ...SimulationInput,
});
export type SimulatePrincipalPolicyRequest = z.infer<typeof SimulatePrincipalPolicyRequest>;

export const SimulateCustomPolicyRequest = z.strictObject({
  PolicyInputList: awsList(PolicyDocument, 1, 50),
  ...SimulationInput,
});
export type SimulateCustomPolicyRequest = z.infer<typeof SimulateCustomPolicyRequest>;

/** AWS `Position`: 1-based line and column in the policy document text. */
export interface Position {
  Line: number;
  Column: number;
}

/** AWS `Statement` (of a simulation result). */
export interface SimulationStatement {
  /**
   * The policy's name (managed and inline), or `PolicyInputList.N` /
   * `PermissionsBoundaryPolicyInputList.N` (1-based) for a policy of the request.
   */
  SourcePolicyId: string;
  SourcePolicyType: PolicySourceType;
  /** Where the statement's `{` is. */
  StartPosition: Position;
  /** Just after the statement's `}`. */
  EndPosition: Position;
}

/** AWS `EvaluationResult`. */
export interface EvaluationResult {
  EvalActionName: string;
  EvalResourceName: string;
  EvalDecision: DecisionKind;
  MatchedStatements: SimulationStatement[];
  MissingContextValues: string[];
  /** Present when `PermissionsBoundaryPolicyInputList` was given. */
  PermissionsBoundaryDecisionDetail?: { AllowedByPermissionsBoundary: boolean };
}

export interface SimulationReply extends Page {
  EvaluationResults: EvaluationResult[];
}

export const GetContextKeysForPrincipalPolicyRequest = z.strictObject({
  PolicySourceArn: PolicyArn,
  PolicyInputList: awsList(PolicyDocument, 0, 50).optional(),
});
export type GetContextKeysForPrincipalPolicyRequest = z.infer<typeof GetContextKeysForPrincipalPolicyRequest>;
export const GetContextKeysForCustomPolicyRequest = z.strictObject({ PolicyInputList: awsList(PolicyDocument, 1, 50) });
export type GetContextKeysForCustomPolicyRequest = z.infer<typeof GetContextKeysForCustomPolicyRequest>;

export interface ContextKeysReply {
  ContextKeyNames: string[];
}

export const SimulationPatterns = {
  /**
   * AWS `SimulatePrincipalPolicy`: `PolicySourceArn` is a user ARN (its
   * inline and attached policies and its groups') or a group ARN (the
   * group's); `PolicyInputList` adds policies; `PermissionsBoundaryPolicyInputList`
   * caps the result (an action is allowed only when the boundary allows it
   * too). Each of `ActionNames` × `ResourceArns` (default `*`) is one
   * result, in that order, paginated. For a user, `aws:username`,
   * `aws:userid` and `aws:PrincipalArn` are set from the user unless given in
   * `ContextEntries`. Errors: `NoSuchEntity` (unknown principal),
   * `InvalidInput` (a context value that is not of its type, a source that is
   * not a user or group ARN), `MalformedPolicyDocument` (an input policy),
   * `ServiceFailure` (evaluation failed; AWS's `PolicyEvaluation`). Not supported: `ResourcePolicy`,
   * `ResourceOwner`, `CallerArn`, `ResourceHandlingOption` (resource-based
   * policies), `ResourceSpecificResults`, `EvalDecisionDetails`,
   * `OrganizationsDecisionDetail` (no organizations).
   */
  SimulatePrincipalPolicy: pattern('authorization.simulate.principal', SimulatePrincipalPolicyRequest, reply<SimulationReply>()),
  /** AWS `SimulateCustomPolicy`: as `SimulatePrincipalPolicy` with only `PolicyInputList`. */
  SimulateCustomPolicy: pattern('authorization.simulate.custom', SimulateCustomPolicyRequest, reply<SimulationReply>()),
  /**
   * AWS `GetContextKeysForPrincipalPolicy`: the context keys the principal's
   * policies (for a user, with its groups') and `PolicyInputList` reference,
   * as written where each first appears, without repeats regardless of case.
   */
  GetContextKeysForPrincipalPolicy: pattern('authorization.context-keys.principal', GetContextKeysForPrincipalPolicyRequest, reply<ContextKeysReply>()),
  /** AWS `GetContextKeysForCustomPolicy`: the context keys `PolicyInputList` references. */
  GetContextKeysForCustomPolicy: pattern('authorization.context-keys.custom', GetContextKeysForCustomPolicyRequest, reply<ContextKeysReply>()),
} as const;
