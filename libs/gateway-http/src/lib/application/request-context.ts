import type { Caller } from './caller';
import type { ContextValue } from '../operations/operation';
import type { RequestInfo } from './request-info';

/**
 * The global condition keys of a request, as AWS sets them for IAM's own API:
 * who calls (`aws:username`, `aws:userid`, `aws:PrincipalArn`, `aws:PrincipalAccount`,
 * `aws:PrincipalType`, `aws:PrincipalTag/*`), from where and when (`aws:SourceIp`,
 * `aws:SecureTransport`, `aws:CurrentTime`, `aws:EpochTime`, `aws:UserAgent`) and
 * `aws:MultiFactorAuthPresent` (always false: there is no MFA).
 * Operation-specific keys (`aws:RequestTag/*`, `aws:TagKeys`, `iam:PolicyARN`) are added by
 * each operation's checks.
 */
export function globalContext(caller: Caller, request: RequestInfo, now: Date): Record<string, ContextValue> {
  const context: Record<string, ContextValue> = {
    'aws:PrincipalArn': caller.arn,
    'aws:PrincipalAccount': caller.accountId,
    'aws:SourceIp': request.sourceIp,
    'aws:SecureTransport': request.secure,
    'aws:CurrentTime': now.toISOString().replace(/\.\d{3}Z$/, 'Z'),
    'aws:EpochTime': String(Math.floor(now.getTime() / 1000)),
    'aws:MultiFactorAuthPresent': false,
  };
  if (request.userAgent) context['aws:UserAgent'] = request.userAgent;
  if (caller.type === 'root') {
    context['aws:PrincipalType'] = 'Account';
    context['aws:userid'] = caller.accountId;
  } else {
    context['aws:PrincipalType'] = 'User';
    context['aws:username'] = caller.userName;
    context['aws:userid'] = caller.userId;
    for (const tag of caller.tags) context[`aws:PrincipalTag/${tag.Key}`] = tag.Value;
  }
  return context;
}

/** `aws:RequestTag/*` and `aws:TagKeys` of an operation that sets tags. */
export function requestTagContext(tags: ReadonlyArray<{ Key: string; Value: string }> | undefined): Record<string, ContextValue> {
  if (!tags || tags.length === 0) return {};
  const context: Record<string, ContextValue> = { 'aws:TagKeys': tags.map((t) => t.Key) };
  for (const tag of tags) context[`aws:RequestTag/${tag.Key}`] = tag.Value;
  return context;
}

/** `aws:TagKeys` of an operation that removes tags. */
export function tagKeysContext(keys: readonly string[] | undefined): Record<string, ContextValue> {
  return keys && keys.length > 0 ? { 'aws:TagKeys': keys } : {};
}
