import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthorizationPatterns as P, ReplyOf, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { DecisionsService } from './decisions.service';

/**
 * The decision patterns the gateway calls for every request (one check, or several at once for a
 * view), and the policy set it decides from in process.
 */
@Controller()
export class DecisionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @MessagePattern(P.Authorize)
  authorize(@Payload(contract(P.Authorize)) request: RequestOf<typeof P.Authorize>): Promise<ReplyOf<typeof P.Authorize>> {
    return this.decisions.authorize(request);
  }

  @MessagePattern(P.AuthorizeBatch)
  authorizeBatch(@Payload(contract(P.AuthorizeBatch)) request: RequestOf<typeof P.AuthorizeBatch>): Promise<ReplyOf<typeof P.AuthorizeBatch>> {
    return this.decisions.authorizeBatch(request);
  }

  @MessagePattern(P.GetPolicySet)
  getPolicySet(@Payload(contract(P.GetPolicySet)) request: RequestOf<typeof P.GetPolicySet>): Promise<ReplyOf<typeof P.GetPolicySet>> {
    return this.decisions.getPolicySet(request);
  }
}
