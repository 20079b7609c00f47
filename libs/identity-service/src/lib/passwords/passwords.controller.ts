import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IdentityPatterns as P, LoginProfileReply, PasswordPolicy, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { LoginProfilesService } from './login-profiles.service';
import { PasswordPolicyService } from './password-policy.service';

type Empty = Record<string, never>;

/** Bus handlers for console passwords and the account password policy. */
@Controller()
export class PasswordsController {
  constructor(
    private readonly profiles: LoginProfilesService,
    private readonly policy: PasswordPolicyService,
  ) {}

  @MessagePattern(P.CreateLoginProfile)
  async create(@Payload(contract(P.CreateLoginProfile)) request: RequestOf<typeof P.CreateLoginProfile>): Promise<LoginProfileReply> {
    return { LoginProfile: await this.profiles.create(request) };
  }

  @MessagePattern(P.GetLoginProfile)
  async get(@Payload(contract(P.GetLoginProfile)) request: RequestOf<typeof P.GetLoginProfile>): Promise<LoginProfileReply> {
    return { LoginProfile: await this.profiles.get(request.UserName) };
  }

  @MessagePattern(P.UpdateLoginProfile)
  async update(@Payload(contract(P.UpdateLoginProfile)) request: RequestOf<typeof P.UpdateLoginProfile>): Promise<Empty> {
    await this.profiles.update(request);
    return {};
  }

  @MessagePattern(P.DeleteLoginProfile)
  async delete(@Payload(contract(P.DeleteLoginProfile)) request: RequestOf<typeof P.DeleteLoginProfile>): Promise<Empty> {
    await this.profiles.delete(request.UserName);
    return {};
  }

  @MessagePattern(P.ChangePassword)
  async change(@Payload(contract(P.ChangePassword)) request: RequestOf<typeof P.ChangePassword>): Promise<Empty> {
    await this.profiles.change(request.Caller, request.OldPassword, request.NewPassword);
    return {};
  }

  @MessagePattern(P.GetAccountPasswordPolicy)
  async getPolicy(
    @Payload(contract(P.GetAccountPasswordPolicy)) _request: RequestOf<typeof P.GetAccountPasswordPolicy>,
  ): Promise<{ PasswordPolicy: PasswordPolicy }> {
    return { PasswordPolicy: await this.policy.get() };
  }

  @MessagePattern(P.UpdateAccountPasswordPolicy)
  async updatePolicy(
    @Payload(contract(P.UpdateAccountPasswordPolicy)) request: RequestOf<typeof P.UpdateAccountPasswordPolicy>,
  ): Promise<Empty> {
    await this.policy.update(request);
    return {};
  }

  @MessagePattern(P.DeleteAccountPasswordPolicy)
  async deletePolicy(
    @Payload(contract(P.DeleteAccountPasswordPolicy)) _request: RequestOf<typeof P.DeleteAccountPasswordPolicy>,
  ): Promise<Empty> {
    await this.policy.delete();
    return {};
  }
}
