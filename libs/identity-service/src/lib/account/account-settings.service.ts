import { Injectable } from '@nestjs/common';
import { IamError } from '@iam/contracts';
import { Clock } from '@iam/platform';
import { DataSource } from 'typeorm';

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
    private readonly db: DataSource,
    private readonly clock: Clock,
  ) {}

  /** Sets the alias; an account has one, so a new one replaces the one before. */
  async createAlias(alias: string): Promise<void> {
    await this.db.query('UPDATE identity.account SET alias = $1 WHERE id = 1', [alias]);
  }

  async deleteAlias(alias: string): Promise<void> {
    const [rows] = (await this.db.query('UPDATE identity.account SET alias = NULL WHERE id = 1 AND alias = $1 RETURNING id', [alias])) as [
      unknown[],
      number,
    ];
    if (rows.length === 0) throw AccountSettingsErrors.noSuchAlias(alias);
  }

  async listAliases(): Promise<string[]> {
    const [row] = (await this.db.query('SELECT alias FROM identity.account WHERE id = 1')) as { alias: string | null }[];
    return row?.alias ? [row.alias] : [];
  }

  /** `STARTED` when a report is generated now; `COMPLETE` while the last one is younger than four hours. */
  async generateReport(): Promise<'STARTED' | 'COMPLETE'> {
    const now = this.clock.now();
    const threshold = new Date(now.getTime() - CREDENTIAL_REPORT_LIFETIME_MS);
    const [rows] = (await this.db.query(
      `UPDATE identity.account SET credential_report_generated = $1
        WHERE id = 1 AND (credential_report_generated IS NULL OR credential_report_generated <= $2) RETURNING id`,
      [now, threshold],
    )) as [unknown[], number];
    return rows.length > 0 ? 'STARTED' : 'COMPLETE';
  }

  /** When the current report was generated. */
  async reportState(): Promise<{ GeneratedTime: string }> {
    const [row] = (await this.db.query('SELECT credential_report_generated FROM identity.account WHERE id = 1')) as {
      credential_report_generated: Date | null;
    }[];
    const generated = row?.credential_report_generated;
    if (!generated) throw AccountSettingsErrors.reportNotPresent();
    if (this.clock.now().getTime() - new Date(generated).getTime() >= CREDENTIAL_REPORT_LIFETIME_MS) throw AccountSettingsErrors.reportExpired();
    return { GeneratedTime: new Date(generated).toISOString() };
  }
}
