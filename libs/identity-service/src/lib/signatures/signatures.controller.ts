import { Controller } from '@nestjs/common';
import { EventPattern, MessagePattern, Payload } from '@nestjs/microservices';
import { IdentityEvents, IdentityPatterns as P, PayloadOf, RequestOf, VerifySignatureReply } from '@iam/contracts';
import { contract } from '@iam/platform';
import { SignaturesService } from './signatures.service';

/** Bus handlers for SigV4 verification. */
@Controller()
export class SignaturesController {
  constructor(private readonly signatures: SignaturesService) {}

  @MessagePattern(P.VerifySignature)
  async verify(@Payload(contract(P.VerifySignature)) request: RequestOf<typeof P.VerifySignature>): Promise<VerifySignatureReply> {
    return { Principal: await this.signatures.verify(request) };
  }

  /** Every replica drops the derived keys of a revoked key. Idempotent; never throws. */
  @EventPattern(IdentityEvents.CredentialsRevoked)
  revoked(@Payload() event: PayloadOf<typeof IdentityEvents.CredentialsRevoked>): void {
    if (typeof event?.AccessKeyId === 'string') this.signatures.forget(event.AccessKeyId);
  }
}
