import { Inject, Injectable } from '@nestjs/common';
import { prepareSigV4Verification, type PreparedSigV4Verification } from '@iam/aws-protocol';
import { BusClient, IamError, IdentityPatterns, type Principal, type SessionReply } from '@iam/contracts';
import { Clock } from '@iam/platform';
import type { Caller, CredentialKind } from '../application/caller';
import type { RequestInfo } from '../application/request-info';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.options';
import { Authenticator } from './authenticator';
import { GatewayErrors } from '../http/gateway-errors';

/** The session token of `Authorization: Bearer <token>`, if that is how the request authenticates. */
export function bearerToken(request: Pick<RequestInfo, 'headers'>): string | undefined {
  const header = request.headers['authorization'];
  const values = header === undefined ? [] : typeof header === 'string' ? [header] : header;
  if (values.length !== 1) return undefined;
  const match = /^Bearer\s+(\S+)\s*$/i.exec(values[0]);
  return match ? match[1] : undefined;
}

function callerOf(principal: Principal, via: CredentialKind, extra: { accessKeyId?: string; passwordResetRequired?: boolean }): Caller {
  if (principal.Type === 'root') {
    return { type: 'root', arn: principal.Arn, accountId: principal.AccountId, via, ...(extra.accessKeyId ? { accessKeyId: extra.accessKeyId } : {}) };
  }
  return {
    type: 'user',
    arn: principal.Arn,
    accountId: principal.AccountId,
    via,
    ...(extra.accessKeyId ? { accessKeyId: extra.accessKeyId } : {}),
    userId: principal.UserId,
    userName: principal.UserName,
    path: principal.Path,
    tags: principal.Tags,
    passwordResetRequired: extra.passwordResetRequired ?? false,
  };
}

/**
 * Authenticates over the bus. A bearer token is checked by identity's `VerifySession`; anything
 * else must be SigV4 (header or presigned query, service `iam`, any region): the gateway parses
 * it, checks the clock skew and builds the string to sign, identity's `VerifySignature` checks
 * the signature with the secret it holds. A security token (`X-Amz-Security-Token`, header or
 * query) is refused with `InvalidClientTokenId`: there are no temporary credentials. Both read committed state on every request, so a
 * deleted or deactivated key and an ended session are refused at once.
 */
@Injectable()
export class BusAuthenticator extends Authenticator {
  constructor(
    protected readonly bus: BusClient,
    protected readonly clock: Clock,
    @Inject(GATEWAY_OPTIONS) protected readonly options: GatewayOptions,
  ) {
    super();
  }

  async authenticate(request: RequestInfo, service: 'iam' | 'sts' = 'iam'): Promise<Caller> {
    const token = bearerToken(request);
    if (token !== undefined) {
      const session = await this.session(token).catch(malformedAs(GatewayErrors.invalidToken));
      return callerOf(session.Principal, 'session', { passwordResetRequired: session.PasswordChangeOnly });
    }
    // There are no temporary credentials: a security token (signed or not) is never ignored.
    if (request.headers['x-amz-security-token'] !== undefined || SECURITY_TOKEN_PARAMETER.test(request.rawQuery)) {
      throw GatewayErrors.invalidClientTokenId();
    }
    const prepared = prepareSigV4Verification(
      { method: request.method, path: request.path, rawQuery: request.rawQuery, headers: request.headers, body: request.body },
      { now: this.clock.now(), service, maxClockSkewMs: this.options.maxClockSkewMs },
    );
    const principal = await this.signature(prepared).catch(malformedAs(GatewayErrors.invalidClientTokenId));
    return callerOf(principal, 'access-key', { accessKeyId: prepared.accessKeyId });
  }

  /** The session of a bearer token (identity's `VerifySession`). */
  protected session(token: string): Promise<SessionReply> {
    return this.bus.send(IdentityPatterns.VerifySession, { SessionToken: token });
  }

  /** Whose signature this is, checked by identity (`VerifySignature`). */
  protected async signature(prepared: PreparedSigV4Verification): Promise<Principal> {
    const { Principal } = await this.bus.send(IdentityPatterns.VerifySignature, {
      AccessKeyId: prepared.accessKeyId,
      Scope: { Date: prepared.scope.date, Region: prepared.scope.region, Service: prepared.scope.service },
      StringToSign: prepared.stringToSign,
      Signature: prepared.signature,
    });
    return Principal;
  }
}

/** `X-Amz-Security-Token` in a query string (names compared regardless of case and encoding of `-`). */
const SECURITY_TOKEN_PARAMETER = /(?:^|&)x(?:-|%2d)amz(?:-|%2d)security(?:-|%2d)token(?:=|&|$)/i;

/**
 * A credential identity cannot even parse (too short, wrong characters) is an
 * invalid credential to the client, not a validation error of its request.
 */
function malformedAs(refusal: () => IamError) {
  return (error: unknown): never => {
    if (error instanceof IamError && error.code === 'ValidationError') throw refusal();
    throw error;
  };
}
