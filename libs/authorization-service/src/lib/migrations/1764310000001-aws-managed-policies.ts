import { MigrationInterface, QueryRunner } from 'typeorm';
import { AWS_ACCOUNT, AWS_MANAGED_POLICIES } from '../policies/aws-managed-policies';

/** The AWS managed policies, read-only, with their default versions. */
export class AwsManagedPolicies1764310000001 implements MigrationInterface {
  name = 'AwsManagedPolicies1764310000001';

  async up(runner: QueryRunner): Promise<void> {
    for (const policy of AWS_MANAGED_POLICIES) {
      const number = Number(policy.versionId.slice(1));
      await runner.query(
        `INSERT INTO "authorization".policies
           (policy_id, account, name, name_lower, path, arn, description, default_version, next_version, create_date, update_date)
         VALUES ($1, $2, $3, $4, '/', $5, $6, $7, $8, $9, $10)`,
        [
          policy.policyId,
          AWS_ACCOUNT,
          policy.name,
          policy.name.toLowerCase(),
          `arn:aws:iam::${AWS_ACCOUNT}:policy/${policy.name}`,
          policy.description,
          policy.versionId,
          number + 1,
          policy.createDate,
          policy.updateDate,
        ],
      );
      await runner.query(
        `INSERT INTO "authorization".policy_versions (policy_id, version_id, version_number, document, create_date)
         VALUES ($1, $2, $3, $4, $5)`,
        [policy.policyId, policy.versionId, number, policy.document, policy.updateDate],
      );
    }
  }

  async down(runner: QueryRunner): Promise<void> {
    await runner.query(`DELETE FROM "authorization".policies WHERE account = $1`, [AWS_ACCOUNT]);
  }
}
