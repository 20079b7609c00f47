import * as iam from '@aws-sdk/client-iam';
import type { Credentials } from './gateway';

/**
 * Many SDK clients at once against a running system, as several principals with different
 * permissions, mixing writes (CreateUser, AddUserToGroup, CreateAccessKey, PutUserPolicy, the
 * deletes, DeleteUser) and reads (GetUser, ListGroupsForUser, ...). Every reply is checked as it
 * comes (it names the caller or the entity asked for, never another; a limited user is never
 * allowed more than its policy says; nothing answers 5xx), and afterwards every acknowledged write
 * is read back and every acknowledged delete is checked gone.
 */

/** How long and how wide: CI runs the short profile; `IAM_LOAD_SECONDS` / `IAM_LOAD_CLIENTS` make it longer or wider. */
export function loadProfile(): { clients: number; seconds: number } {
  const number = (name: string, fallback: number) => {
    const value = Number(process.env[name] ?? fallback);
    if (!Number.isInteger(value) || value < 1) throw new Error(`${name} must be a positive integer`);
    return value;
  };
  return { clients: number('IAM_LOAD_CLIENTS', 32), seconds: number('IAM_LOAD_SECONDS', 20) };
}

export interface LoadReport {
  /** Everything that broke a promise, at most 50 lines (`problemCount` has them all). */
  problems: string[];
  problemCount: number;
  calls: number;
  /** Acknowledged writes by action. */
  writes: Record<string, number>;
  /** Calls refused to the limited users, as they must be. */
  refusals: number;
  usersAlive: number;
  usersDeleted: number;
  keysVerified: number;
  seconds: number;
  /** What was acknowledged, to check again later (after a restart). */
  users: Map<string, UserRecord>;
}

const GROUPS = ['load-g0', 'load-g1', 'load-g2'];
const ADMINS = 'load-admins';
const INLINE = 'load-inline';

export interface UserRecord {
  name: string;
  userId: string;
  groups: Set<string>;
  keys: Map<string, string>;
  policy: boolean;
  deleted: boolean;
}

type Outcome<T> = { ok: true; value: T } | { ok: false; code: string; status: number; message: string };

/** One principal's SDK client: every call's outcome, a 5xx or a transport failure reported as a problem. */
class Caller {
  private readonly client: iam.IAMClient;

  constructor(
    base: string,
    readonly credentials: Credentials,
    readonly label: string,
    private readonly report: (line: string) => void,
    private readonly count: () => void,
  ) {
    this.client = new iam.IAMClient({ endpoint: base, region: 'us-east-1', credentials, maxAttempts: 1 });
  }

  async call<T>(command: { constructor: { name: string } }): Promise<Outcome<T>> {
    this.count();
    const action = command.constructor.name.replace(/Command$/, '');
    try {
      return { ok: true, value: (await this.client.send(command as never)) as T };
    } catch (error) {
      const e = error as { name: string; message: string; Code?: string; $metadata?: { httpStatusCode?: number } };
      const status = e.$metadata?.httpStatusCode ?? 0;
      const code = e.Code ?? e.name.replace(/Exception$/, '');
      if (!e.$metadata || status >= 500 || status === 0) this.report(`${this.label} ${action}: ${status || 'no reply'} ${code}: ${e.message}`);
      return { ok: false, code, status, message: e.message };
    }
  }

  close(): void {
    this.client.destroy();
  }
}

export async function runMixedLoad(base: string, root: Credentials, options: { clients: number; seconds: number }): Promise<LoadReport> {
  const problems: string[] = [];
  let problemCount = 0;
  const problem = (line: string) => {
    problemCount++;
    if (problems.length < 50) problems.push(line);
  };
  let calls = 0;
  const count = () => calls++;
  const writes: Record<string, number> = {};
  const wrote = (action: string) => (writes[action] = (writes[action] ?? 0) + 1);
  let refusals = 0;
  const callers: Caller[] = [];
  const caller = (credentials: Credentials, label: string) => {
    const made = new Caller(base, credentials, label, problem, count);
    callers.push(made);
    return made;
  };
  const must = <T>(outcome: Outcome<T>, what: string): T => {
    if (!outcome.ok) throw new Error(`setting up the load: ${what} failed with ${outcome.code}: ${outcome.message}`);
    return outcome.value;
  };

  // ── The account: an admin through a group with AdministratorAccess, two users limited to GetUser on themselves.
  const asRoot = caller(root, 'root');
  const rootUser = must(await asRoot.call<iam.GetUserResponse>(new iam.GetUserCommand({})), 'GetUser as root').User;
  const rootArn = rootUser?.Arn as string;
  const account = rootArn.split(':')[4];
  /** How a GetUser reply names the caller: its user name, or root's ARN. */
  const identity = (user: iam.User | undefined) => (user?.Arn === rootArn ? rootArn : user?.UserName);
  for (const group of [ADMINS, ...GROUPS]) must(await asRoot.call(new iam.CreateGroupCommand({ GroupName: group })), `CreateGroup ${group}`);
  must(await asRoot.call(new iam.AttachGroupPolicyCommand({ GroupName: ADMINS, PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })), 'AttachGroupPolicy');
  const member = async (name: string) => {
    must(await asRoot.call(new iam.CreateUserCommand({ UserName: name })), `CreateUser ${name}`);
    const key = must(await asRoot.call<iam.CreateAccessKeyResponse>(new iam.CreateAccessKeyCommand({ UserName: name })), `CreateAccessKey ${name}`).AccessKey;
    return { accessKeyId: key?.AccessKeyId as string, secretAccessKey: key?.SecretAccessKey as string };
  };
  const adminKeys = await member('load-admin');
  must(await asRoot.call(new iam.AddUserToGroupCommand({ GroupName: ADMINS, UserName: 'load-admin' })), 'AddUserToGroup load-admin');
  const limited = ['load-limited-1', 'load-limited-2'];
  const limitedKeys: Credentials[] = [];
  for (const name of limited) {
    limitedKeys.push(await member(name));
    const document = { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${account}:user/${name}` }] };
    must(await asRoot.call(new iam.PutUserPolicyCommand({ UserName: name, PolicyName: 'self', PolicyDocument: JSON.stringify(document) })), `PutUserPolicy ${name}`);
  }

  const users = new Map<string, UserRecord>();
  const deadline = Date.now() + options.seconds * 1000;
  const started = Date.now();
  /** Each new user may list users and read itself, so that its key can be checked to sign as it. */
  const documentFor = (path: string, name: string) =>
    JSON.stringify({
      Version: '2012-10-17',
      Statement: [
        { Effect: 'Allow', Action: 'iam:ListUsers', Resource: '*' },
        { Effect: 'Allow', Action: 'iam:GetUser', Resource: `arn:aws:iam::${account}:user${path}${name}` },
      ],
    });

  /** Root or the admin, writing and reading its own users. */
  const writer = async (w: number, me: Caller, myName: string) => {
    for (let i = 0; Date.now() < deadline; i++) {
      const name = `load-w${w}-u${i}`;
      const path = `/load/w${w}/`;
      const created = await me.call<iam.CreateUserResponse>(new iam.CreateUserCommand({ UserName: name, Path: path }));
      if (!created.ok) {
        problem(`${me.label} CreateUser ${name}: ${created.code} ${created.message}`);
        continue;
      }
      if (created.value.User?.UserName !== name || created.value.User?.Path !== path) problem(`${me.label} CreateUser ${name} answered ${JSON.stringify(created.value.User)}`);
      wrote('CreateUser');
      const user: UserRecord = { name, userId: created.value.User?.UserId as string, groups: new Set(), keys: new Map(), policy: false, deleted: false };
      users.set(name, user);

      const read = await me.call<iam.GetUserResponse>(new iam.GetUserCommand({ UserName: name }));
      if (!read.ok || read.value.User?.UserName !== name || read.value.User?.UserId !== user.userId) problem(`${me.label} GetUser ${name} after its CreateUser: ${JSON.stringify(read.ok ? read.value.User : read)}`);

      const group = GROUPS[(w + i) % GROUPS.length];
      const added = await me.call(new iam.AddUserToGroupCommand({ GroupName: group, UserName: name }));
      if (added.ok) {
        user.groups.add(group);
        wrote('AddUserToGroup');
      } else problem(`${me.label} AddUserToGroup ${group} ${name}: ${added.code} ${added.message}`);

      const key = await me.call<iam.CreateAccessKeyResponse>(new iam.CreateAccessKeyCommand({ UserName: name }));
      if (key.ok && key.value.AccessKey?.UserName === name) {
        user.keys.set(key.value.AccessKey.AccessKeyId as string, key.value.AccessKey.SecretAccessKey as string);
        wrote('CreateAccessKey');
      } else problem(`${me.label} CreateAccessKey ${name}: ${JSON.stringify(key.ok ? key.value.AccessKey?.UserName : key)}`);

      const put = await me.call(new iam.PutUserPolicyCommand({ UserName: name, PolicyName: INLINE, PolicyDocument: documentFor(path, name) }));
      if (put.ok) {
        user.policy = true;
        wrote('PutUserPolicy');
      } else problem(`${me.label} PutUserPolicy ${name}: ${put.code} ${put.message}`);

      const groups = await me.call<iam.ListGroupsForUserResponse>(new iam.ListGroupsForUserCommand({ UserName: name }));
      const listed = groups.ok ? (groups.value.Groups ?? []).map((g) => g.GroupName).sort() : groups;
      if (JSON.stringify(listed) !== JSON.stringify([...user.groups].sort())) problem(`${me.label} ListGroupsForUser ${name}: ${JSON.stringify(listed)}, expected ${JSON.stringify([...user.groups])}`);

      const whoami = await me.call<iam.GetUserResponse>(new iam.GetUserCommand({}));
      const caller = whoami.ok ? identity(whoami.value.User) : whoami;
      if (caller !== myName) problem(`${me.label} GetUser (the caller) named ${JSON.stringify(caller)}`);

      // Half the writers delete the user of their odd iterations, the other half of their even ones:
      // however slow the machine, every writer's first user is either deleted or kept.
      if ((w + i) % 2 === 0) {
        // Everything AWS requires gone first, then the user.
        let ready = true;
        const refused = (what: string, outcome: Outcome<unknown>) => {
          if (outcome.ok) return false;
          ready = false;
          problem(`${me.label} ${what}: ${outcome.code} ${outcome.message}`);
          return true;
        };
        for (const id of [...user.keys.keys()]) {
          if (refused(`DeleteAccessKey ${id}`, await me.call(new iam.DeleteAccessKeyCommand({ UserName: name, AccessKeyId: id })))) continue;
          user.keys.delete(id);
          wrote('DeleteAccessKey');
        }
        if (!refused(`DeleteUserPolicy ${name}`, await me.call(new iam.DeleteUserPolicyCommand({ UserName: name, PolicyName: INLINE })))) {
          user.policy = false;
          wrote('DeleteUserPolicy');
        }
        for (const g of [...user.groups]) {
          if (refused(`RemoveUserFromGroup ${g} ${name}`, await me.call(new iam.RemoveUserFromGroupCommand({ GroupName: g, UserName: name })))) continue;
          user.groups.delete(g);
          wrote('RemoveUserFromGroup');
        }
        if (!ready) continue;
        const deleted = await me.call(new iam.DeleteUserCommand({ UserName: name }));
        if (deleted.ok) {
          user.deleted = true;
          wrote('DeleteUser');
          const after = await me.call(new iam.GetUserCommand({ UserName: name }));
          if (after.ok || after.code !== 'NoSuchEntity') problem(`${me.label} GetUser ${name} after its DeleteUser: ${JSON.stringify(after.ok ? 'found' : after.code)}`);
        } else problem(`${me.label} DeleteUser ${name}: ${deleted.code} ${deleted.message}`);
      }
    }
  };

  /** A user allowed only iam:GetUser on itself: every other call must be refused. */
  const limitedUser = async (w: number, me: Caller, myName: string, otherName: string) => {
    const refused = async (what: string, outcome: Outcome<unknown>) => {
      if (outcome.ok) problem(`${me.label} was ALLOWED ${what}: ${JSON.stringify(outcome.value).slice(0, 200)}`);
      else if (outcome.code === 'AccessDenied') refusals++;
      else if (outcome.status < 500) problem(`${me.label} ${what}: ${outcome.code} instead of AccessDenied`);
    };
    for (let i = 0; Date.now() < deadline; i++) {
      const self = await me.call<iam.GetUserResponse>(new iam.GetUserCommand({}));
      if (!self.ok || self.value.User?.UserName !== myName) problem(`${me.label} GetUser (the caller): ${JSON.stringify(self.ok ? self.value.User?.UserName : self)}`);
      const named = await me.call<iam.GetUserResponse>(new iam.GetUserCommand({ UserName: myName }));
      if (!named.ok || named.value.User?.UserName !== myName) problem(`${me.label} GetUser ${myName}: ${JSON.stringify(named.ok ? named.value.User?.UserName : named)}`);
      await refused(`GetUser ${otherName}`, await me.call(new iam.GetUserCommand({ UserName: otherName })));
      await refused('CreateUser', await me.call(new iam.CreateUserCommand({ UserName: `load-forbidden-w${w}-${i}`, Path: '/load/forbidden/' })));
      await refused(`AddUserToGroup ${ADMINS}`, await me.call(new iam.AddUserToGroupCommand({ GroupName: ADMINS, UserName: myName })));
      await refused('ListUsers', await me.call(new iam.ListUsersCommand({})));
      await refused('ListGroupsForUser', await me.call(new iam.ListGroupsForUserCommand({ UserName: myName })));
    }
  };

  const admin = { credentials: adminKeys, name: 'load-admin' };
  await Promise.all(
    Array.from({ length: options.clients }, (_, w) => {
      switch (w % 3) {
        case 0:
          return writer(w, caller(root, `root#${w}`), rootArn);
        case 1:
          return writer(w, caller(admin.credentials, `load-admin#${w}`), admin.name);
        default: {
          const mine = (w / 3) % 2 < 1 ? 0 : 1;
          return limitedUser(w, caller(limitedKeys[mine], `${limited[mine]}#${w}`), limited[mine], limited[1 - mine]);
        }
      }
    }),
  );
  const seconds = (Date.now() - started) / 1000;

  // ── Afterwards, as root: every acknowledged write is there, every acknowledged delete is not.
  const alive = [...users.values()].filter((u) => !u.deleted);
  const deletedUsers = [...users.values()].filter((u) => u.deleted);
  const keysVerified = await verifyStored(base, root, users, problem, count);
  for (const made of callers) made.close();
  return { problems, problemCount, calls, writes, refusals, usersAlive: alive.length, usersDeleted: deletedUsers.length, keysVerified, seconds, users };
}

/** Reads back, as root, every acknowledged write of a load and checks every acknowledged delete; returns how many keys signed as their user. */
export async function verifyStored(
  base: string,
  root: Credentials,
  users: Map<string, UserRecord>,
  problem: (line: string) => void,
  count: () => void = () => undefined,
): Promise<number> {
  const asRoot = new Caller(base, root, 'root', problem, count);
  const must = <T>(outcome: Outcome<T>, what: string): T => {
    if (!outcome.ok) throw new Error(`${what} failed with ${outcome.code}: ${outcome.message}`);
    return outcome.value;
  };
  const alive = [...users.values()].filter((u) => !u.deleted);
  const deletedUsers = [...users.values()].filter((u) => u.deleted);
  let keysVerified = 0;
  const verify = async (user: UserRecord) => {
    const read = await asRoot.call<iam.GetUserResponse>(new iam.GetUserCommand({ UserName: user.name }));
    if (user.deleted) {
      if (read.ok || read.code !== 'NoSuchEntity') problem(`acknowledged DeleteUser ${user.name}, but GetUser gives ${read.ok ? 'the user' : read.code}`);
      return;
    }
    if (!read.ok || read.value.User?.UserId !== user.userId) {
      problem(`acknowledged CreateUser ${user.name}, but GetUser gives ${JSON.stringify(read.ok ? read.value.User : read.code)}`);
      return;
    }
    const groups = await asRoot.call<iam.ListGroupsForUserResponse>(new iam.ListGroupsForUserCommand({ UserName: user.name }));
    const listed = groups.ok ? (groups.value.Groups ?? []).map((g) => g.GroupName).sort() : groups;
    if (JSON.stringify(listed) !== JSON.stringify([...user.groups].sort())) problem(`memberships of ${user.name}: ${JSON.stringify(listed)}, acknowledged ${JSON.stringify([...user.groups])}`);
    const keys = await asRoot.call<iam.ListAccessKeysResponse>(new iam.ListAccessKeysCommand({ UserName: user.name }));
    const ids = keys.ok ? (keys.value.AccessKeyMetadata ?? []).map((k) => k.AccessKeyId).sort() : keys;
    if (JSON.stringify(ids) !== JSON.stringify([...user.keys.keys()].sort())) problem(`access keys of ${user.name}: ${JSON.stringify(ids)}, acknowledged ${JSON.stringify([...user.keys.keys()])}`);
    const policy = await asRoot.call<iam.GetUserPolicyResponse>(new iam.GetUserPolicyCommand({ UserName: user.name, PolicyName: INLINE }));
    if (user.policy && (!policy.ok || policy.value.UserName !== user.name)) problem(`acknowledged PutUserPolicy on ${user.name}, but GetUserPolicy gives ${policy.ok ? policy.value.UserName : policy.code}`);
    // Each acknowledged key signs as its own user, and no other.
    for (const [accessKeyId, secretAccessKey] of user.keys) {
      const asKey = new Caller(base, { accessKeyId, secretAccessKey }, `key of ${user.name}`, problem, count);
      const who = await asKey.call<iam.GetUserResponse>(new iam.GetUserCommand({}));
      asKey.close();
      if (!who.ok || who.value.User?.UserName !== user.name || who.value.User?.UserId !== user.userId) {
        problem(`the access key ${accessKeyId} of ${user.name} signed as ${JSON.stringify(who.ok ? who.value.User : who.message)}`);
        continue;
      }
      keysVerified++;
    }
  };
  const queue = [...alive, ...deletedUsers];
  await Promise.all(
    Array.from({ length: 8 }, async () => {
      for (let user = queue.shift(); user; user = queue.shift()) await verify(user);
    }),
  );
  // Nothing else under /load/: no user the limited principals were refused, none of those deleted.
  const listed: string[] = [];
  let marker: string | undefined;
  do {
    const page = must(await asRoot.call<iam.ListUsersResponse>(new iam.ListUsersCommand({ PathPrefix: '/load/', Marker: marker })), 'ListUsers');
    listed.push(...(page.Users ?? []).map((u) => u.UserName as string));
    marker = page.IsTruncated ? page.Marker : undefined;
  } while (marker);
  const expected = alive.map((u) => u.name).sort();
  if (JSON.stringify(listed.sort()) !== JSON.stringify(expected)) {
    const extra = listed.filter((n) => !expected.includes(n));
    const missing = expected.filter((n) => !listed.includes(n));
    problem(`ListUsers /load/: ${extra.length} users never acknowledged or deleted (${extra.slice(0, 5).join(', ')}), ${missing.length} acknowledged missing (${missing.slice(0, 5).join(', ')})`);
  }
  const admins = must(await asRoot.call<iam.GetGroupResponse>(new iam.GetGroupCommand({ GroupName: ADMINS })), 'GetGroup').Users?.map((u) => u.UserName);
  if (JSON.stringify(admins) !== JSON.stringify(['load-admin'])) problem(`${ADMINS} has members ${JSON.stringify(admins)}`);
  asRoot.close();
  return keysVerified;
}
