import { CreateAuthorization1764310000000 } from './1764310000000-create-authorization';
import { AwsManagedPolicies1764310000001 } from './1764310000001-aws-managed-policies';
import { AwsCatalogue1765000000000 } from './1765000000000-aws-catalogue';

/** Every migration of the authorization schema, oldest first. */
export const authorizationMigrations = [CreateAuthorization1764310000000, AwsManagedPolicies1764310000001, AwsCatalogue1765000000000];
