import type { AnyOperation } from './operation';
import { POLICY_OPERATIONS } from './authorization/policies.operations';
import { PRINCIPAL_POLICY_OPERATIONS } from './authorization/principal-policies.operations';
import { SIMULATION_OPERATIONS } from './authorization/simulation.operations';
import { GROUP_OPERATIONS } from './directory/groups.operations';
import { ABSENT_CREDENTIAL_OPERATIONS } from './identity/absent-credentials.operations';
import { CREDENTIAL_OPERATIONS } from './identity/credentials.operations';
import { SESSION_OPERATIONS } from './identity/sessions.operations';
import { USER_OPERATIONS } from './identity/users.operations';
import { STS_OPERATIONS } from './sts/sts.operations';
import { ACCOUNT_OPERATIONS } from './views/account.operations';
import { VIEW_OPERATIONS } from './views/overview.operations';

/** Every operation the gateway serves, in the order the OpenAPI document lists them. */
export const OPERATIONS: readonly AnyOperation[] = [
  ...SESSION_OPERATIONS,
  ...USER_OPERATIONS,
  ...CREDENTIAL_OPERATIONS,
  ...GROUP_OPERATIONS,
  ...POLICY_OPERATIONS,
  ...PRINCIPAL_POLICY_OPERATIONS,
  ...SIMULATION_OPERATIONS,
  ...VIEW_OPERATIONS,
  ...ACCOUNT_OPERATIONS,
  ...ABSENT_CREDENTIAL_OPERATIONS,
  ...STS_OPERATIONS,
];
