import { AccessKeyEntity } from './access-keys/access-key.entity';
import { AccountEntity } from './account/account.entity';
import { LoginProfileEntity } from './passwords/login-profile.entity';
import { PasswordHistoryEntity } from './passwords/password-history.entity';
import { PasswordPolicyEntity } from './passwords/password-policy.entity';
import { SessionEntity } from './sessions/session.entity';
import { SignInFailureEntity } from './sessions/sign-in-failure.entity';
import { UserEntity } from './users/user.entity';

/** The identity service's PostgreSQL schema. */
export const IDENTITY_SCHEMA = 'identity';

export const identityEntities = [
  UserEntity,
  AccountEntity,
  LoginProfileEntity,
  PasswordHistoryEntity,
  PasswordPolicyEntity,
  AccessKeyEntity,
  SessionEntity,
  SignInFailureEntity,
];
