import { Injectable } from '@nestjs/common';
import { IamError } from '@iam/contracts';
import { Clock } from '@iam/platform';
import { AccountStore } from './account.store';

/** How long a credential report stays current (AWS: four hours). */
export const CREDENTIAL_REPORT_LIFETIME_MS = 4 * 60 * 60 * 1000;

export const AccountSettingsErrors = {
  noSuchAlias: (alias: string) => new IamError('NoSuchEntity', `The account alias ${alias} cannot be found.`),
  reportNotPresent: () =>
    new IamError('ReportNotPresent', 'The credential report does not exist. To generate a credential report, use GenerateCredentialReport.'),
  reportExpired: () =>
    new IamError(
      'ReportExpired',
      'The most recent credential report has expired. To generate a new credential report, use GenerateCredentialReport.',
    ),
};

/** The account's alias and the state of its credential report, on the account row. */
@Injectable()
export class AccountSettingsService {
  constructor(
    private readonly store: AccountStore,
    private readonly clock: Clock,
  ) {}

  /** Sets the alias; an account has one, so a new one replaces the one before. */
  async createAlias(alias: string): Promise<void> {
    await this.store.setAlias(alias);
  }

  async deleteAlias(alias: string): Promise<void> {
    if (!(await this.store.clearAlias(alias))) throw AccountSettingsErrors.noSuchAlias(alias);
  }

  async listAliases(): Promise<string[]> {
    const alias = (await this.store.find())?.alias;
    return alias ? [alias] : [];
  }

  /** `STARTED` when a report is generated now; `COMPLETE` while the last one is younger than four hours. */
  async generateReport(): Promise<'STARTED' | 'COMPLETE'> {
    const now = this.clock.now();
    const claimed = await this.store.claimReport(now, new Date(now.getTime() - CREDENTIAL_REPORT_LIFETIME_MS));
    return claimed ? 'STARTED' : 'COMPLETE';
  }

  /** When the current report was generated. */
  async reportState(): Promise<{ GeneratedTime: string }> {
    const generated = (await this.store.find())?.credentialReportGenerated;
    if (!generated) throw AccountSettingsErrors.reportNotPresent();
    if (this.clock.now().getTime() - generated.getTime() >= CREDENTIAL_REPORT_LIFETIME_MS) throw AccountSettingsErrors.reportExpired();
    return { GeneratedTime: generated.toISOString() };
  }
}
