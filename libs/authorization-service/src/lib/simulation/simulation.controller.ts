import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthorizationPatterns as P, ReplyOf, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { SimulationService } from './simulation.service';

/** Bus handlers for AWS's policy simulation and context-key APIs. */
@Controller()
export class SimulationController {
  constructor(private readonly simulation: SimulationService) {}

  @MessagePattern(P.SimulatePrincipalPolicy)
  simulatePrincipal(
    @Payload(contract(P.SimulatePrincipalPolicy)) request: RequestOf<typeof P.SimulatePrincipalPolicy>,
  ): Promise<ReplyOf<typeof P.SimulatePrincipalPolicy>> {
    return this.simulation.simulatePrincipal(request);
  }

  @MessagePattern(P.SimulateCustomPolicy)
  simulateCustom(
    @Payload(contract(P.SimulateCustomPolicy)) request: RequestOf<typeof P.SimulateCustomPolicy>,
  ): Promise<ReplyOf<typeof P.SimulateCustomPolicy>> {
    return this.simulation.simulateCustom(request);
  }

  @MessagePattern(P.GetContextKeysForPrincipalPolicy)
  contextKeysForPrincipal(
    @Payload(contract(P.GetContextKeysForPrincipalPolicy)) request: RequestOf<typeof P.GetContextKeysForPrincipalPolicy>,
  ): Promise<ReplyOf<typeof P.GetContextKeysForPrincipalPolicy>> {
    return this.simulation.contextKeysForPrincipal(request);
  }

  @MessagePattern(P.GetContextKeysForCustomPolicy)
  contextKeysForCustom(
    @Payload(contract(P.GetContextKeysForCustomPolicy)) request: RequestOf<typeof P.GetContextKeysForCustomPolicy>,
  ): ReplyOf<typeof P.GetContextKeysForCustomPolicy> {
    return this.simulation.contextKeysForCustom(request);
  }
}
