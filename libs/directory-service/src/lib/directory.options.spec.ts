import { ConfigError, loadConfig } from '@iam/platform';
import { inProcessTransport } from '@iam/testing';
import { AWS_GROUPS_PER_ACCOUNT, AWS_GROUPS_PER_USER, DirectoryEnv, directoryOptions, directorySettings } from './directory.options';

const base = { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/iam' };

describe('directory configuration', () => {
  it("uses AWS's quotas by default: 10 groups per user, 300 groups per account", () => {
    const options = directoryOptions(loadConfig(DirectoryEnv, base), inProcessTransport());
    expect(directorySettings(options)).toMatchObject({ groupsPerUser: 10, groupsPerAccount: 300 });
    expect([AWS_GROUPS_PER_USER, AWS_GROUPS_PER_ACCOUNT]).toEqual([10, 300]);
  });

  it('reads IAM_MAX_GROUPS_PER_USER and IAM_MAX_GROUPS_PER_ACCOUNT', () => {
    const env = loadConfig(DirectoryEnv, { ...base, IAM_MAX_GROUPS_PER_USER: '25', IAM_MAX_GROUPS_PER_ACCOUNT: '1000' });
    expect(directorySettings(directoryOptions(env, inProcessTransport()))).toMatchObject({ groupsPerUser: 25, groupsPerAccount: 1000 });
  });

  it('refuses a quota that is not a positive integer, naming the variable', () => {
    const attempt = () => loadConfig(DirectoryEnv, { ...base, IAM_MAX_GROUPS_PER_USER: '0', IAM_MAX_GROUPS_PER_ACCOUNT: 'many' });
    expect(attempt).toThrow(ConfigError);
    try {
      attempt();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        "IAM_MAX_GROUPS_PER_USER must be at least 1 (got '0')",
        "IAM_MAX_GROUPS_PER_ACCOUNT must be an integer (got 'many')",
      ]);
    }
  });
});
