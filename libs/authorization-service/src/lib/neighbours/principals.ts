/**
 * The decision use case's former name for {@link DirectoryGroups} (it asks only
 * for a user's groups). To go once `decisions/decisions.service.ts` injects
 * `DirectoryGroups` from `shared/neighbours`.
 */
export { DirectoryGroups as Principals } from '../shared/neighbours';
