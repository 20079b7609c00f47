import { CreateUsers1764290000000 } from './1764290000000-create-users';
import { CreateCredentials1764300000000 } from './1764300000000-create-credentials';
import { SignInPairs1765000000000 } from './1765000000000-sign-in-pairs';
import { AccountAliasAndReport1765100000000 } from './1765100000000-account-alias-and-report';
import { PasswordPolicyHardExpiryUnset1765200000000 } from './1765200000000-password-policy-hard-expiry-unset';

/** Every migration of the identity schema, oldest first. */
export const identityMigrations = [
  CreateUsers1764290000000,
  CreateCredentials1764300000000,
  SignInPairs1765000000000,
  AccountAliasAndReport1765100000000,
  PasswordPolicyHardExpiryUnset1765200000000,
];
