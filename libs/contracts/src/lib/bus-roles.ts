import { AuthorizationEvents, AuthorizationPatterns } from './authorization';
import { DirectoryEvents, DirectoryPatterns } from './directory';
import { IdentityEvents, IdentityPatterns } from './identity';

/**
 * Who may do what on the bus: the one declaration the NATS server's subject
 * permissions are generated from (`npm run nats-config`).
 *
 * - A service answers its own request patterns (in its queue group) and is the
 *   only one that may subscribe to them, so nobody else can answer them or read
 *   their requests.
 * - Only the owner of an event publishes it; a listener subscribes to exactly
 *   the events it handles.
 * - Requests to another service are allowed pattern by pattern: the neighbour
 *   patterns the service really calls.
 * - Every app reads replies on its own inbox only (`_INBOX.<app>.…`), so no
 *   other credential can read the replies it gets (a new key's secret, a
 *   session token).
 *
 * All subjects are under the deployment's subject prefix when there is one.
 */
export const BUS_APPS = ['gateway', 'identity', 'directory', 'authorization'] as const;

/**
 * The subjects the gateway replicas keep their caches coherent on (every replica publishes and
 * hears both; an invalidation is answered by each replica on the writer's inbox).
 */
export const GATEWAY_COHERENCE_SUBJECTS = {
  beat: 'gateway.cache.lease',
  invalidate: 'gateway.cache.invalidate',
} as const;
export type BusApp = (typeof BUS_APPS)[number];

export interface BusRole {
  /** Request patterns this app answers (subscribes to in its queue group). */
  readonly serves: readonly string[];
  /** Events this app publishes: its own, nobody else's. */
  readonly publishes: readonly string[];
  /** Request patterns of other services this app sends. */
  readonly requests: readonly string[];
  /** Events of any service this app handles (plain subscriptions, every replica). */
  readonly listens: readonly string[];
  /** Answers its own replicas' messages on their inboxes (the gateway's invalidations). */
  readonly answersPeers?: boolean;
}

const values = (patterns: Record<string, string>): string[] => Object.values(patterns);

/**
 * Patterns that only services call, as steps of their own work (the two-phase
 * delete of a user or group). The gateway never sends them: they act without
 * any authorization check.
 */
export const SERVICE_ONLY_PATTERNS: readonly string[] = [
  DirectoryPatterns.BeginUserDelete,
  DirectoryPatterns.CancelUserDelete,
  AuthorizationPatterns.BeginPrincipalDelete,
  AuthorizationPatterns.CancelPrincipalDelete,
];

const servicePatterns = [...values(IdentityPatterns), ...values(DirectoryPatterns), ...values(AuthorizationPatterns)];

export const BUS_ROLES: Readonly<Record<BusApp, BusRole>> = {
  gateway: {
    serves: [],
    publishes: Object.values(GATEWAY_COHERENCE_SUBJECTS),
    requests: servicePatterns.filter((pattern) => !SERVICE_ONLY_PATTERNS.includes(pattern)),
    listens: Object.values(GATEWAY_COHERENCE_SUBJECTS),
    answersPeers: true,
  },
  identity: {
    serves: values(IdentityPatterns),
    publishes: values(IdentityEvents),
    requests: [
      DirectoryPatterns.BeginUserDelete,
      DirectoryPatterns.CancelUserDelete,
      AuthorizationPatterns.BeginPrincipalDelete,
      AuthorizationPatterns.CancelPrincipalDelete,
    ],
    listens: [IdentityEvents.CredentialsRevoked],
  },
  directory: {
    serves: values(DirectoryPatterns),
    publishes: values(DirectoryEvents),
    requests: [
      IdentityPatterns.ResolveUser,
      IdentityPatterns.ResolveUsers,
      AuthorizationPatterns.BeginPrincipalDelete,
      AuthorizationPatterns.CancelPrincipalDelete,
    ],
    listens: [IdentityEvents.UserDeleted],
  },
  authorization: {
    serves: values(AuthorizationPatterns),
    publishes: values(AuthorizationEvents),
    requests: [
      IdentityPatterns.ResolveUser,
      IdentityPatterns.ResolveUsers,
      IdentityPatterns.UsersInNameOrder,
      IdentityPatterns.UnknownUsers,
      DirectoryPatterns.GroupsOfUser,
      DirectoryPatterns.GroupsOfUsers,
      DirectoryPatterns.MembersOfGroups,
      DirectoryPatterns.ResolveGroup,
    ],
    listens: [IdentityEvents.UserDeleted, DirectoryEvents.GroupDeleted, AuthorizationEvents.PolicyDocumentWritten],
  },
};

/** The inbox prefix of an app's replies: `_INBOX.[<prefix>.]<app>`. */
export function busInboxPrefix(app: string, subjectPrefix?: string): string {
  return subjectPrefix ? `_INBOX.${subjectPrefix}.${app}` : `_INBOX.${app}`;
}

/** The NATS subject permissions of a role, under the deployment's subject prefix. */
export function busPermissions(app: BusApp, subjectPrefix?: string): { publish: string[]; subscribe: string[]; allowResponses: boolean } {
  const role = BUS_ROLES[app];
  const under = (subject: string) => (subjectPrefix ? `${subjectPrefix}.${subject}` : subject);
  return {
    publish: [...role.publishes, ...role.requests].map(under),
    subscribe: [...role.serves, ...role.listens].map(under).concat(`${busInboxPrefix(app, subjectPrefix)}.>`),
    // Answering a request publishes to the requester's inbox: allowed only as a reply to a request received.
    allowResponses: role.serves.length > 0 || role.answersPeers === true,
  };
}
