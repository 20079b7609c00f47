import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IdentityPatterns as P, RequestOf, SessionReply, SignInReply } from '@iam/contracts';
import { contract } from '@iam/platform';
import { SessionsService } from './sessions.service';

/** Bus handlers for console sign-in and sessions. */
@Controller()
export class SessionsController {
  constructor(private readonly sessions: SessionsService) {}

  @MessagePattern(P.SignIn)
  signIn(@Payload(contract(P.SignIn)) request: RequestOf<typeof P.SignIn>): Promise<SignInReply> {
    return this.sessions.signIn(request);
  }

  @MessagePattern(P.VerifySession)
  verify(@Payload(contract(P.VerifySession)) request: RequestOf<typeof P.VerifySession>): Promise<SessionReply> {
    return this.sessions.verify(request.SessionToken);
  }

  @MessagePattern(P.SignOut)
  async signOut(@Payload(contract(P.SignOut)) request: RequestOf<typeof P.SignOut>): Promise<Record<string, never>> {
    await this.sessions.signOut(request.SessionToken);
    return {};
  }
}
