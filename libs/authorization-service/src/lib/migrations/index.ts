import { CreateAuthorization1764310000000 } from './1764310000000-create-authorization';
import { AwsManagedPolicies1764310000001 } from './1764310000001-aws-managed-policies';

/** Every migration of the authorization schema, oldest first. */
export const authorizationMigrations = [CreateAuthorization1764310000000, AwsManagedPolicies1764310000001];
