import { Controller } from '@nestjs/common';
import { MessagePattern, Payload } from '@nestjs/microservices';
import { IdentityPatterns as P, RequestOf } from '@iam/contracts';
import { contract } from '@iam/platform';
import { AccountSettingsService } from './account-settings.service';

type Empty = Record<string, never>;

/** Bus handlers for the account alias and the credential report's state. */
@Controller()
export class AccountSettingsController {
  constructor(private readonly settings: AccountSettingsService) {}

  @MessagePattern(P.CreateAccountAlias)
  async createAlias(@Payload(contract(P.CreateAccountAlias)) request: RequestOf<typeof P.CreateAccountAlias>): Promise<Empty> {
    await this.settings.createAlias(request.AccountAlias);
    return {};
  }

  @MessagePattern(P.DeleteAccountAlias)
  async deleteAlias(@Payload(contract(P.DeleteAccountAlias)) request: RequestOf<typeof P.DeleteAccountAlias>): Promise<Empty> {
    await this.settings.deleteAlias(request.AccountAlias);
    return {};
  }

  @MessagePattern(P.ListAccountAliases)
  async listAliases(@Payload(contract(P.ListAccountAliases)) _request: RequestOf<typeof P.ListAccountAliases>): Promise<{ AccountAliases: string[] }> {
    return { AccountAliases: await this.settings.listAliases() };
  }

  @MessagePattern(P.GenerateCredentialReport)
  async generateReport(
    @Payload(contract(P.GenerateCredentialReport)) _request: RequestOf<typeof P.GenerateCredentialReport>,
  ): Promise<{ State: 'STARTED' | 'COMPLETE' }> {
    return { State: await this.settings.generateReport() };
  }

  @MessagePattern(P.GetCredentialReportState)
  async reportState(
    @Payload(contract(P.GetCredentialReportState)) _request: RequestOf<typeof P.GetCredentialReportState>,
  ): Promise<{ GeneratedTime: string }> {
    return this.settings.reportState();
  }
}
