import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { GetSigningKeyReply, IdentityEvents, IdentityPatterns as P, PayloadOf, RequestOf, VerifySignatureReply } from '@iam/contracts';
import { contract } from '@iam/platform';
import { SignaturesService } from './signatures.service';

type Empty = Record<string, never>;

/** Bus handlers for SigV4 verification. */
@Controller()
export class SignaturesController {
  constructor(private readonly signatures: SignaturesService) {}

  @MessagePattern(P.VerifySignature)
  async verify(@Payload(contract(P.VerifySignature)) request: RequestOf<typeof P.VerifySignature>): Promise<VerifySignatureReply> {
    return { Principal: await this.signatures.verify(request) };
  }

  @MessagePattern(P.GetSigningKey)
  signingKey(@Payload(contract(P.GetSigningKey)) request: RequestOf<typeof P.GetSigningKey>): Promise<GetSigningKeyReply> {
    return this.signatures.signingKey(request);
  }

  @MessagePattern(P.RecordAccessKeyUse)
  recordUse(@Payload(contract(P.RecordAccessKeyUse)) request: RequestOf<typeof P.RecordAccessKeyUse>): Empty {
    this.signatures.recordUses(request);
    return {};
  }

  /** Every replica drops the derived keys of a revoked key. Idempotent; never throws. */
  @EventPattern(IdentityEvents.CredentialsRevoked)
  revoked(@Payload() event: PayloadOf<typeof IdentityEvents.CredentialsRevoked>): void {
    if (typeof event?.AccessKeyId === 'string') this.signatures.forget(event.AccessKeyId);
  }
}
