import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { AuthorizationPatterns as P, ReplyOf, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { AccessService } from './access.service';

/** Bus handlers for the who-can and effective-permissions views. */
@Controller()
export class AccessController {
  constructor(private readonly access: AccessService) {}

  @MessagePattern(P.WhoCan)
  whoCan(@Payload(contract(P.WhoCan)) request: RequestOf<typeof P.WhoCan>): Promise<ReplyOf<typeof P.WhoCan>> {
    return this.access.whoCan(request);
  }

  @MessagePattern(P.UserPermissions)
  userPermissions(@Payload(contract(P.UserPermissions)) request: RequestOf<typeof P.UserPermissions>): Promise<ReplyOf<typeof P.UserPermissions>> {
    return this.access.userPermissions(request);
  }
}
