import { Inject, Injectable } from '@nestjs/common';
import { signaturesEqual, signStringToSign, type PreparedSigV4Verification } from '@iam/aws-protocol';
import { BusClient, type Principal, type SessionReply } from '@iam/contracts';
import { Clock } from '@iam/platform';
import { DataPlane } from '../data-plane/data-plane';
import { GATEWAY_OPTIONS, type GatewayOptions } from '../gateway.options';
import { GatewayErrors } from '../http/gateway-errors';
import { BusAuthenticator } from './bus-authenticator';

/**
 * Authenticates from the data plane's caches: a session as identity last verified it, a
 * signature checked here with the derived signing key identity handed out for that key and
 * scope (the secret never leaves identity). A key deactivated or deleted, a session ended or a
 * user changed is dropped from every replica before the change returns (`DataPlane`).
 */
@Injectable()
export class CachedAuthenticator extends BusAuthenticator {
  constructor(
    bus: BusClient,
    clock: Clock,
    @Inject(GATEWAY_OPTIONS) options: GatewayOptions,
    private readonly dataPlane: DataPlane,
  ) {
    super(bus, clock, options);
  }

  protected override session(token: string): Promise<SessionReply> {
    return this.dataPlane.session(token);
  }

  protected override async signature(prepared: PreparedSigV4Verification): Promise<Principal> {
    const scope = { Date: prepared.scope.date, Region: prepared.scope.region, Service: prepared.scope.service };
    const { key, principal } = await this.dataPlane.signingKey(prepared.accessKeyId, scope);
    if (!signaturesEqual(signStringToSign(key, prepared.stringToSign), prepared.signature)) throw GatewayErrors.signatureDoesNotMatch();
    this.dataPlane.recordKeyUse({ AccessKeyId: prepared.accessKeyId, At: this.clock.now().toISOString(), Service: scope.Service, Region: scope.Region });
    return principal;
  }
}
