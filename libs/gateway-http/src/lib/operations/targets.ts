import { Arns, IamError, type Tag } from '@iam/contracts';
import type { ContextValue, OperationContext } from './operation';

/** An existing (or not) user or group as the authorization check names it. */
export interface Target {
  readonly arn: string;
  readonly path: string;
  /** Whether the entity exists; an ARN with path `/` stands in for one that does not. */
  readonly exists: boolean;
  readonly tags: readonly Tag[];
}

export function isNotFound(error: unknown): boolean {
  return error instanceof IamError && error.code === 'NoSuchEntity';
}

/**
 * The ARN of the user `name` for an authorization check. AWS puts the user's path in the ARN,
 * so the user is resolved first; an unknown user is named with path `/` (the owning service
 * then answers `NoSuchEntity` to a caller allowed to ask).
 */
export async function userTarget(context: OperationContext, name: string): Promise<Target> {
  try {
    const user = await context.resolveUser(name);
    return { arn: user.Arn, path: user.Path, exists: true, tags: user.Tags };
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return { arn: Arns.user(context.accountId, '/', name), path: '/', exists: false, tags: [] };
  }
}

/** The ARN of the group `name` for an authorization check, as {@link userTarget}. */
export async function groupTarget(context: OperationContext, name: string): Promise<Target> {
  try {
    const group = await context.resolveGroup(name);
    return { arn: group.Arn, path: group.Path, exists: true, tags: [] };
  } catch (error) {
    if (!isNotFound(error)) throw error;
    return { arn: Arns.group(context.accountId, '/', name), path: '/', exists: false, tags: [] };
  }
}

/** `iam:ResourceTag/*` and `aws:ResourceTag/*` of a tagged target. */
export function resourceTagContext(target: Target): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {};
  for (const tag of target.tags) {
    context[`aws:ResourceTag/${tag.Key}`] = tag.Value;
    context[`iam:ResourceTag/${tag.Key}`] = tag.Value;
  }
  return context;
}

/** The caller as identity's contract names it (`Caller`), never taken from the client's input. */
export function callerRef(context: OperationContext): { Type: 'root' } | { Type: 'user'; UserId: string } {
  return context.caller.type === 'root' ? { Type: 'root' } : { Type: 'user', UserId: context.caller.userId };
}

/** The user `name`, or the caller when absent, for operations whose `UserName` defaults to the caller. */
export async function userOrCaller(context: OperationContext, name: string | undefined): Promise<Target> {
  if (name !== undefined) return userTarget(context, name);
  const caller = context.caller;
  return caller.type === 'root'
    ? { arn: caller.arn, path: '/', exists: true, tags: [] }
    : { arn: caller.arn, path: caller.path, exists: true, tags: caller.tags };
}
