import type { AnyOperation } from './operation';
import { GROUP_OPERATIONS } from './directory/groups.operations';
import { USER_OPERATIONS } from './identity/users.operations';

/** Every operation the gateway serves, in the order the OpenAPI document lists them. */
export const OPERATIONS: readonly AnyOperation[] = [...USER_OPERATIONS, ...GROUP_OPERATIONS];
