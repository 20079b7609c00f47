import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthorizationPatterns as P, ReplyOf, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { DecisionsService } from './decisions.service';

/** The decision pattern the gateway calls for every request. */
@Controller()
export class DecisionsController {
  constructor(private readonly decisions: DecisionsService) {}

  @MessagePattern(P.Authorize)
  authorize(@Payload(contract(P.Authorize)) request: RequestOf<typeof P.Authorize>): Promise<ReplyOf<typeof P.Authorize>> {
    return this.decisions.authorize(request);
  }
}
