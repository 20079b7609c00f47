import { Arns, Errors, IdentityPatterns, ResolvedUser } from '@iam/contracts';
import type { StubHandlers } from './stub';

/**
 * Stands in for identity on the bus in other services' specs: users kept in
 * memory, resolved by name (case-insensitive) or id, one by one or in bulk,
 * as identity's contract says. Pass `handlers()` to `startStubService`.
 */
export class FakeIdentity {
  readonly users = new Map<string, ResolvedUser>();
  /** Every `ResolveUsers` request, to check how often a caller asks. */
  readonly bulkCalls: string[][] = [];
  /** Every `UsersInNameOrder` request, to check what a caller asks. */
  readonly pageCalls: { After?: { NameLower: string; UserId: string }; UserIds?: string[]; Limit: number }[] = [];
  /** Runs before `ResolveUser` answers, to stage interleavings. */
  beforeResolve?: (user: ResolvedUser) => Promise<void>;
  private next = 0;

  constructor(private readonly account = '123456789012') {}

  create(name: string, path = '/'): ResolvedUser {
    this.next += 1;
    const user: ResolvedUser = {
      UserId: `AIDA${String(this.next).padStart(17, '0')}`,
      UserName: name,
      Path: path,
      Arn: Arns.user(this.account, path, name),
      State: 'active',
      Tags: [],
      CreateDate: new Date(Date.UTC(2026, 0, 1, 0, 0, this.next)).toISOString(),
    };
    this.users.set(user.UserId, user);
    return user;
  }

  rename(user: ResolvedUser, name: string): void {
    user.UserName = name;
    user.Arn = Arns.user(this.account, user.Path, name);
  }

  remove(userId: string): void {
    this.users.delete(userId);
  }

  /** The user of that name regardless of case, or `NoSuchEntity`. */
  byName(name: string): ResolvedUser {
    for (const user of this.users.values()) if (user.UserName.toLowerCase() === name.toLowerCase()) return user;
    throw Errors.noSuchUser(name);
  }

  handlers(): StubHandlers {
    return {
      [IdentityPatterns.ResolveUser]: async (request) => {
        const user = 'UserId' in request ? this.users.get(request.UserId) : this.byName(request.UserName);
        if (!user) throw Errors.noSuchUser('UserId' in request ? request.UserId : request.UserName);
        if (this.beforeResolve) await this.beforeResolve(user);
        return { ...user };
      },
      [IdentityPatterns.UsersInNameOrder]: (request) => {
        this.pageCalls.push(request);
        const key = (user: ResolvedUser): [string, string] => [user.UserName.toLowerCase(), user.UserId];
        const before = (a: [string, string], b: [string, string]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
        const wanted = request.UserIds ? new Set(request.UserIds) : undefined;
        const after = request.After ? ([request.After.NameLower, request.After.UserId] as [string, string]) : undefined;
        const found = [...this.users.values()]
          .filter((user) => (!wanted || wanted.has(user.UserId)) && (!after || before(after, key(user))))
          .sort((a, b) => (before(key(a), key(b)) ? -1 : before(key(b), key(a)) ? 1 : 0));
        return {
          Users: found.slice(0, request.Limit).map((user) => ({ UserId: user.UserId, UserName: user.UserName, Path: user.Path, Arn: user.Arn })),
          IsTruncated: found.length > request.Limit,
        };
      },
      [IdentityPatterns.UnknownUsers]: (request) => ({ UserIds: request.UserIds.filter((id) => !this.users.has(id)) }),
      [IdentityPatterns.ResolveUsers]: (request) => {
        this.bulkCalls.push(request.UserIds);
        return {
          Users: request.UserIds.flatMap((id) => {
            const user = this.users.get(id);
            return user ? [{ ...user }] : [];
          }),
        };
      },
    };
  }
}
