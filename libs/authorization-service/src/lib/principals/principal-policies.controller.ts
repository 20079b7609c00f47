import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthorizationPatterns as P, ReplyOf, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { PrincipalPoliciesService } from './principal-policies.service';

/** The policies of many users and groups in one request (the account authorization details view). */
@Controller()
export class PrincipalPoliciesController {
  constructor(private readonly policies: PrincipalPoliciesService) {}

  @MessagePattern(P.PoliciesOfPrincipals)
  policiesOf(@Payload(contract(P.PoliciesOfPrincipals)) request: RequestOf<typeof P.PoliciesOfPrincipals>): Promise<ReplyOf<typeof P.PoliciesOfPrincipals>> {
    return this.policies.policiesOf(request);
  }
}
