import { restDriver, type Credentials, type Outcome } from './gateway';

/**
 * A steady mix of writes, reads and decisions, through the REST front, as several principals with
 * different permissions, while the spec breaks things. Every call is classified as it comes:
 * success; `ServiceUnavailable` (503), timed; no answer from the gateway (its process is down);
 * no answer at all within `hangMs` (a hang); or anything else, which is a problem unless the
 * worker expects it (a limited user's AccessDenied). Writes are recorded only when acknowledged;
 * a write that failed may or may not have happened, and the user it concerns is left alone from then on.
 */

export const ACCOUNT_ARN = (account: string, name: string) => `arn:aws:iam::${account}:user/${name}`;

/** What one fault window gave. */
export class Tally {
  calls = 0;
  ok = 0;
  unavailable = 0;
  /** The gateway did not answer the connection (it was killed). */
  unreachable = 0;
  hung = 0;
  /** Failures (503s) that took longer than the bus timeout plus the margin. */
  slowFailures = 0;
  maxFailureMs = 0;
  maxMs = 0;
  problems: string[] = [];
  problemCount = 0;
  wrongAllows: string[] = [];
  writes: Record<string, number> = {};
  users = new Map<string, UserRecord>();
  decisions: DecisionRecord[] = [];

  problem(line: string): void {
    this.problemCount++;
    if (this.problems.length < 50) this.problems.push(line);
  }
}

export interface UserRecord {
  name: string;
  userId?: string;
  group?: string;
  groupRemoved: boolean;
  keys: Map<string, string>;
  keysDeleted: Set<string>;
  policy: boolean;
  policyDeleted: boolean;
  deleted: boolean;
  /**
   * Deletes that failed (a 503): they may have happened all the same (a paused service finishes
   * what was queued for it after its caller gave up), so what they would remove is not checked.
   */
  deletesTried: Set<string>;
}

export interface DecisionCase {
  principal: string;
  action: string;
  resource: string;
}

export interface DecisionRecord extends DecisionCase {
  decision: string;
}

export type Result = Outcome & { ms: number; kind: 'ok' | 'unavailable' | 'unreachable' | 'hung' | 'other' };

const GROUPS = ['fl-g0', 'fl-g1'];
const INLINE = 'fl-inline';
const REPORT = (id: string) => `arn:aws:myapp:::report/${id}`;

/** The decisions asked during the load: fixed principals whose policies never change during the run. */
export const DECISION_CASES: DecisionCase[] = ['fl-app-reader', 'fl-app-grouped', 'fl-app-attached', 'fl-app-nobody'].flatMap((principal) =>
  ['myapp:ReadReport', 'myapp:WriteReport', 'myapp:DeleteReport'].flatMap((action) =>
    [REPORT('1'), REPORT('2'), 'arn:aws:myapp:::other/1'].map((resource) => ({ principal, action, resource })),
  ),
);

/** What the policies set up by `FaultLoad.setUp` give for each decision case. */
export function expectedDecision(c: DecisionCase): string {
  const onReport = c.resource.startsWith('arn:aws:myapp:::report/');
  switch (c.principal) {
    case 'fl-app-reader':
      return onReport && c.action === 'myapp:ReadReport' ? 'allowed' : 'implicitDeny';
    case 'fl-app-grouped':
      // Its own Deny of myapp:DeleteReport is on every resource.
      if (c.action === 'myapp:DeleteReport') return 'explicitDeny';
      return onReport ? 'allowed' : 'implicitDeny';
    case 'fl-app-attached':
      return c.resource === REPORT('1') && c.action === 'myapp:ReadReport' ? 'allowed' : 'implicitDeny';
    default:
      return 'implicitDeny';
  }
}

const caseKey = (c: DecisionCase) => `${c.principal} ${c.action} ${c.resource}`;
const policy = (statements: unknown[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements });

export interface LoadShape {
  /** Writers as root and as an admin user, each creating, changing and deleting its own users. */
  writers: number;
  /** Callers of POST /v1/authorize about the decision principals. */
  deciders: number;
  /** Limited users (GetUser on themselves) and readers (iam:Get*, iam:List*), calling IAM directly. */
  limited: number;
}

export class FaultLoad {
  private readonly driver;
  private tally = new Tally();
  private running = false;
  private workers: Promise<void>[] = [];
  private serial = 0;
  private admin!: Credentials;
  private limitedKeys: { name: string; credentials: Credentials }[] = [];
  private readerKey!: Credentials;

  constructor(
    private readonly base: string,
    private readonly root: Credentials,
    private readonly account: string,
    /** No answer within this long is a hang. */
    private readonly hangMs: number,
    /** A 503 slower than this is counted as slow. */
    private readonly slowMs: number,
  ) {
    this.driver = restDriver(base);
  }

  /** One call, classified and counted in the current tally. */
  async call(credentials: Credentials, action: string, params: Record<string, unknown>, tally = this.tally): Promise<Result> {
    tally.calls++;
    const started = Date.now();
    let timer: NodeJS.Timeout | undefined;
    const hang = new Promise<'hung'>((done) => (timer = setTimeout(() => done('hung'), this.hangMs)));
    // (Errors from fetch come from another realm than the spec's: `instanceof Error` does not hold.)
    let outcome: Outcome | 'hung' | { thrown: string };
    try {
      outcome = await Promise.race([this.driver(credentials, action, params), hang]);
    } catch (error) {
      outcome = { thrown: String((error as { message?: string }).message ?? error) };
    } finally {
      clearTimeout(timer);
    }
    const ms = Date.now() - started;
    tally.maxMs = Math.max(tally.maxMs, ms);
    if (outcome === 'hung') {
      tally.hung++;
      tally.problem(`${action} got no answer within ${this.hangMs} ms`);
      return { ok: false, code: 'Hung', message: 'no answer', ms, kind: 'hung' };
    }
    if ('thrown' in outcome) {
      // The gateway's process is gone (killed) or went away mid-answer.
      tally.unreachable++;
      return { ok: false, code: 'Unreachable', message: outcome.thrown, ms, kind: 'unreachable' };
    }
    if (outcome.ok) {
      tally.ok++;
      return { ...outcome, ms, kind: 'ok' };
    }
    if (outcome.status === 503 && outcome.code === 'ServiceUnavailable') {
      tally.unavailable++;
      tally.maxFailureMs = Math.max(tally.maxFailureMs, ms);
      if (ms > this.slowMs) tally.slowFailures++;
      return { ...outcome, ms, kind: 'unavailable' };
    }
    return { ...outcome, ms, kind: 'other' };
  }

  /** A call that must succeed (setting up, probing). */
  private async must(credentials: Credentials, action: string, params: Record<string, unknown>): Promise<Record<string, unknown>> {
    const outcome = await this.call(credentials, action, params, new Tally());
    if (!outcome.ok) throw new Error(`${action} ${JSON.stringify(params).slice(0, 200)} failed: ${outcome.code} ${outcome.message}`);
    return outcome.result;
  }

  /** The principals: an admin through a group, limited users and a reader, and the decision principals with their policies. */
  async setUp(): Promise<void> {
    const must = (action: string, params: Record<string, unknown>) => this.must(this.root, action, params);
    const user = async (name: string) => {
      await must('CreateUser', { UserName: name });
      const key = (await must('CreateAccessKey', { UserName: name }))['AccessKey'] as { AccessKeyId: string; SecretAccessKey: string };
      return { accessKeyId: key.AccessKeyId, secretAccessKey: key.SecretAccessKey };
    };
    for (const group of [...GROUPS, 'fl-admins', 'fl-app-writers']) await must('CreateGroup', { GroupName: group });
    await must('AttachGroupPolicy', { GroupName: 'fl-admins', PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' });
    this.admin = await user('fl-admin');
    await must('AddUserToGroup', { GroupName: 'fl-admins', UserName: 'fl-admin' });
    for (const name of ['fl-limited-1', 'fl-limited-2']) {
      this.limitedKeys.push({ name, credentials: await user(name) });
      await must('PutUserPolicy', { UserName: name, PolicyName: 'self', PolicyDocument: policy([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: ACCOUNT_ARN(this.account, name) }]) });
    }
    this.readerKey = await user('fl-reader');
    await must('PutUserPolicy', { UserName: 'fl-reader', PolicyName: 'read', PolicyDocument: policy([{ Effect: 'Allow', Action: ['iam:Get*', 'iam:List*'], Resource: '*' }]) });

    for (const name of ['fl-app-reader', 'fl-app-grouped', 'fl-app-attached', 'fl-app-nobody']) await must('CreateUser', { UserName: name });
    await must('PutUserPolicy', { UserName: 'fl-app-reader', PolicyName: 'read', PolicyDocument: policy([{ Effect: 'Allow', Action: 'myapp:Read*', Resource: REPORT('*') }]) });
    await must('PutGroupPolicy', { GroupName: 'fl-app-writers', PolicyName: 'write', PolicyDocument: policy([{ Effect: 'Allow', Action: 'myapp:*', Resource: REPORT('*') }]) });
    await must('AddUserToGroup', { GroupName: 'fl-app-writers', UserName: 'fl-app-grouped' });
    await must('PutUserPolicy', { UserName: 'fl-app-grouped', PolicyName: 'no-delete', PolicyDocument: policy([{ Effect: 'Deny', Action: 'myapp:DeleteReport', Resource: '*' }]) });
    const created = (await must('CreatePolicy', { PolicyName: 'fl-report-1', PolicyDocument: policy([{ Effect: 'Allow', Action: 'myapp:ReadReport', Resource: REPORT('1') }]) }))['Policy'] as { Arn: string };
    await must('AttachUserPolicy', { UserName: 'fl-app-attached', PolicyArn: created.Arn });
  }

  /** Starts the workers on a fresh tally. */
  start(label: string, shape: LoadShape): Tally {
    this.tally = new Tally();
    this.running = true;
    const tally = this.tally;
    const workers: Promise<void>[] = [];
    for (let w = 0; w < shape.writers; w++) workers.push(this.writer(tally, label, w, w % 2 === 0 ? this.root : this.admin));
    for (let d = 0; d < shape.deciders; d++) workers.push(this.decider(tally, d));
    for (let l = 0; l < shape.limited; l++) workers.push(l % 2 === 0 ? this.limitedUser(tally, l) : this.reader(tally, label));
    this.workers = workers;
    return tally;
  }

  /** Stops the workers and waits for their calls in flight. */
  async stop(): Promise<void> {
    this.running = false;
    await Promise.all(this.workers);
  }

  /** An outcome a worker did not expect: a problem unless it is a counted failure kind. */
  private unexpected(tally: Tally, what: string, outcome: Result): void {
    if (!outcome.ok && outcome.kind === 'other') tally.problem(`${what}: ${outcome.status ?? '-'} ${outcome.code}: ${outcome.message}`);
  }

  private async pauseAfterFailure(): Promise<void> {
    await new Promise((r) => setTimeout(r, 50));
  }

  private async writer(tally: Tally, label: string, w: number, me: Credentials): Promise<void> {
    const wrote = (action: string) => (tally.writes[action] = (tally.writes[action] ?? 0) + 1);
    while (this.running) {
      const name = `fl-${label}-w${w}-${this.serial++}`;
      const user: UserRecord = { name, groupRemoved: false, keys: new Map(), keysDeleted: new Set(), policy: false, policyDeleted: false, deleted: false, deletesTried: new Set() };
      /** One step: true when acknowledged; a failure leaves this user as it is. */
      const step = async (action: string, params: Record<string, unknown>, acknowledged: (result: Record<string, unknown>) => void): Promise<boolean> => {
        const outcome = await this.call(me, action, params, tally);
        if (!outcome.ok) {
          if (action.startsWith('Delete') || action.startsWith('Remove')) user.deletesTried.add(action === 'DeleteAccessKey' ? `key ${String(params['AccessKeyId'])}` : action);
          this.unexpected(tally, `${action} ${name}`, outcome);
          await this.pauseAfterFailure();
          return false;
        }
        wrote(action);
        acknowledged(outcome.result);
        return true;
      };
      const created = await step('CreateUser', { UserName: name, Path: '/fl/' }, (result) => {
        user.userId = (result['User'] as { UserId: string }).UserId;
        tally.users.set(name, user);
      });
      if (!created) continue;
      const read = await this.call(me, 'GetUser', { UserName: name }, tally);
      if (read.ok && (read.result['User'] as { UserId: string }).UserId !== user.userId) tally.problem(`GetUser ${name} after its CreateUser named ${JSON.stringify(read.result['User'])}`);
      else if (!read.ok) this.unexpected(tally, `GetUser ${name} after its CreateUser`, read);
      const group = GROUPS[this.serial % GROUPS.length];
      if (!(await step('AddUserToGroup', { GroupName: group, UserName: name }, () => (user.group = group)))) continue;
      const document = policy([{ Effect: 'Allow', Action: 'iam:GetUser', Resource: ACCOUNT_ARN(this.account, `fl/${name}`) }]);
      if (!(await step('PutUserPolicy', { UserName: name, PolicyName: INLINE, PolicyDocument: document }, () => (user.policy = true)))) continue;
      let keyId = '';
      const keyed = await step('CreateAccessKey', { UserName: name }, (result) => {
        const key = result['AccessKey'] as { AccessKeyId: string; SecretAccessKey: string; UserName: string };
        if (key.UserName !== name) tally.problem(`CreateAccessKey ${name} answered a key of ${key.UserName}`);
        keyId = key.AccessKeyId;
        user.keys.set(key.AccessKeyId, key.SecretAccessKey);
      });
      if (!keyed) continue;
      const groups = await this.call(me, 'ListGroupsForUser', { UserName: name }, tally);
      if (groups.ok) {
        const listed = (groups.result['Groups'] as { GroupName: string }[]).map((g) => g.GroupName);
        if (!listed.includes(group)) tally.problem(`ListGroupsForUser ${name} after an acknowledged AddUserToGroup ${group}: ${JSON.stringify(listed)}`);
      } else this.unexpected(tally, `ListGroupsForUser ${name}`, groups);
      if (this.serial % 2 === 0) continue;
      // Everything AWS requires gone first, then the user.
      if (!(await step('DeleteAccessKey', { UserName: name, AccessKeyId: keyId }, () => user.keysDeleted.add(keyId)))) continue;
      if (!(await step('DeleteUserPolicy', { UserName: name, PolicyName: INLINE }, () => (user.policyDeleted = true)))) continue;
      if (!(await step('RemoveUserFromGroup', { GroupName: group, UserName: name }, () => (user.groupRemoved = true)))) continue;
      await step('DeleteUser', { UserName: name }, () => (user.deleted = true));
    }
  }

  private async decider(tally: Tally, d: number): Promise<void> {
    for (let i = d; this.running; i++) {
      const c = DECISION_CASES[(i * 7) % DECISION_CASES.length];
      const outcome = await this.call(this.root, 'Authorize', { Principal: c.principal, Action: c.action, Resource: c.resource }, tally);
      if (outcome.ok) tally.decisions.push({ ...c, decision: String(outcome.result['Decision']) });
      else {
        this.unexpected(tally, `Authorize ${caseKey(c)}`, outcome);
        await this.pauseAfterFailure();
      }
    }
  }

  /** A user allowed only GetUser on itself: its own reads succeed or fail as 503, every other call is refused. */
  private async limitedUser(tally: Tally, l: number): Promise<void> {
    const mine = this.limitedKeys[l % 2 === 0 ? 0 : 1];
    const other = this.limitedKeys[l % 2 === 0 ? 1 : 0];
    const forbidden: [string, Record<string, unknown>][] = [
      ['GetUser', { UserName: other.name }],
      ['ListUsers', {}],
      ['CreateUser', { UserName: `fl-forbidden-${l}`, Path: '/fl-forbidden/' }],
      ['AddUserToGroup', { GroupName: 'fl-admins', UserName: mine.name }],
      ['PutUserPolicy', { UserName: mine.name, PolicyName: 'more', PolicyDocument: policy([{ Effect: 'Allow', Action: '*', Resource: '*' }]) }],
    ];
    for (let i = 0; this.running; i++) {
      const own = await this.call(mine.credentials, 'GetUser', { UserName: mine.name }, tally);
      if (own.ok && (own.result['User'] as { UserName: string }).UserName !== mine.name) tally.problem(`${mine.name} GetUser named ${JSON.stringify(own.result['User'])}`);
      if (!own.ok) {
        this.unexpected(tally, `${mine.name} GetUser on itself`, own);
        await this.pauseAfterFailure();
      }
      const [action, params] = forbidden[i % forbidden.length];
      const refused = await this.call(mine.credentials, action, params, tally);
      if (refused.ok) tally.wrongAllows.push(`${mine.name} was allowed ${action} ${JSON.stringify(params).slice(0, 120)}`);
      else if (refused.kind === 'other' && refused.code !== 'AccessDenied') tally.problem(`${mine.name} ${action}: ${refused.status} ${refused.code} instead of AccessDenied`);
      else if (refused.kind !== 'other') await this.pauseAfterFailure();
    }
  }

  /** A user allowed iam:Get* and iam:List*: its reads succeed or fail as 503, its writes are refused. */
  private async reader(tally: Tally, label: string): Promise<void> {
    for (let i = 0; this.running; i++) {
      const read = await this.call(this.readerKey, 'ListUsers', { PathPrefix: '/fl/', MaxItems: 5 }, tally);
      if (!read.ok) {
        this.unexpected(tally, 'fl-reader ListUsers', read);
        await this.pauseAfterFailure();
      }
      const write = await this.call(this.readerKey, 'CreateUser', { UserName: `fl-${label}-by-reader-${i}`, Path: '/fl-forbidden/' }, tally);
      if (write.ok) tally.wrongAllows.push(`fl-reader was allowed CreateUser fl-${label}-by-reader-${i}`);
      else if (write.kind === 'other' && write.code !== 'AccessDenied') tally.problem(`fl-reader CreateUser: ${write.status} ${write.code} instead of AccessDenied`);
      else if (write.kind !== 'other') await this.pauseAfterFailure();
    }
  }

  /** One call that needs `app` (a read it answers, or a decision), made as root outside the load's tally. */
  probe(app: 'identity' | 'directory' | 'authorization' | 'gateway'): Promise<Result> {
    const tally = new Tally();
    switch (app) {
      case 'directory':
        return this.call(this.root, 'ListGroupsForUser', { UserName: 'fl-admin' }, tally);
      case 'authorization':
        // Not a decision: the gateway makes those from its caches, with the authorization service down or not.
        return this.call(this.root, 'ListPolicies', { Scope: 'Local', MaxItems: 1 }, tally);
      default:
        return this.call(this.root, 'GetUser', { UserName: 'fl-admin' }, tally);
    }
  }

  /**
   * After a fault: how long until a read, a write and a decision succeed again (each retried until it does,
   * up to `ms`). Returns the milliseconds, or throws when the system did not come back by itself.
   */
  async recovery(label: string, ms: number): Promise<number> {
    const started = Date.now();
    const tally = new Tally();
    const probes: [string, Record<string, unknown>][] = [
      ['GetUser', { UserName: 'fl-admin' }],
      ['Authorize', { Principal: 'fl-app-reader', Action: 'myapp:ReadReport', Resource: REPORT('1') }],
      ['CreateUser', { UserName: `fl-probe-${label}`, Path: '/fl-probe/' }],
    ];
    const last: string[] = [];
    for (const [action, params] of probes) {
      for (;;) {
        const outcome = await this.call(this.root, action, params, tally);
        // A probe write that failed may have happened: its retry may then find it.
        if (outcome.ok || (action === 'CreateUser' && outcome.code === 'EntityAlreadyExists')) break;
        last.push(`${action}: ${outcome.status ?? '-'} ${outcome.code}`);
        if (Date.now() - started > ms) throw new Error(`${label}: no recovery within ${ms} ms; last failures: ${last.slice(-5).join('; ')}`);
        await new Promise((r) => setTimeout(r, 100));
      }
    }
    return Date.now() - started;
  }

  /**
   * Every acknowledged write of the tally read back as root, every acknowledged delete checked gone;
   * a sample of acknowledged keys signs as its user. Returns the lost writes.
   */
  async lostWrites(tally: Tally, keysToSign = 10): Promise<string[]> {
    const lost: string[] = [];
    const check = new Tally();
    const read = async (action: string, params: Record<string, unknown>, credentials = this.root) => {
      for (let attempt = 0; ; attempt++) {
        const outcome = await this.call(credentials, action, params, check);
        if (outcome.kind === 'other' || outcome.ok || attempt >= 20) return outcome;
        await new Promise((r) => setTimeout(r, 250));
      }
    };
    let signed = 0;
    const verify = async (user: UserRecord) => {
      const got = await read('GetUser', { UserName: user.name });
      if (user.deleted) {
        if (got.ok || got.code !== 'NoSuchEntity') lost.push(`acknowledged DeleteUser ${user.name}, GetUser gives ${got.ok ? 'the user' : got.code}`);
        return;
      }
      // A DeleteUser that failed may have removed the user and everything below with it.
      if (user.deletesTried.has('DeleteUser') && !got.ok && got.code === 'NoSuchEntity') return;
      if (!got.ok || (got.result['User'] as { UserId: string }).UserId !== user.userId) {
        lost.push(`acknowledged CreateUser ${user.name} (${user.userId}), GetUser gives ${got.ok ? JSON.stringify(got.result['User']) : got.code}`);
        return;
      }
      if (user.group) {
        const groups = await read('ListGroupsForUser', { UserName: user.name });
        const listed = groups.ok ? (groups.result['Groups'] as { GroupName: string }[]).map((g) => g.GroupName) : [];
        if (!groups.ok) lost.push(`ListGroupsForUser ${user.name}: ${groups.code}`);
        else if (user.groupRemoved === listed.includes(user.group) && !(user.deletesTried.has('RemoveUserFromGroup') && !listed.includes(user.group))) lost.push(`acknowledged ${user.groupRemoved ? 'RemoveUserFromGroup' : 'AddUserToGroup'} ${user.group} ${user.name}, groups are ${JSON.stringify(listed)}`);
      }
      if (user.policy) {
        const inline = await read('GetUserPolicy', { UserName: user.name, PolicyName: INLINE });
        const present = inline.ok;
        if (!inline.ok && inline.code !== 'NoSuchEntity') lost.push(`GetUserPolicy ${user.name}: ${inline.code}`);
        else if (present === user.policyDeleted && !(user.deletesTried.has('DeleteUserPolicy') && !present)) lost.push(`acknowledged ${user.policyDeleted ? 'DeleteUserPolicy' : 'PutUserPolicy'} ${user.name}, GetUserPolicy gives ${present ? 'the policy' : 'NoSuchEntity'}`);
      }
      if (user.keys.size > 0) {
        const keys = await read('ListAccessKeys', { UserName: user.name });
        const ids = keys.ok ? (keys.result['AccessKeyMetadata'] as { AccessKeyId: string }[]).map((k) => k.AccessKeyId) : [];
        if (!keys.ok) lost.push(`ListAccessKeys ${user.name}: ${keys.code}`);
        for (const id of user.keys.keys()) {
          if (user.deletesTried.has(`key ${id}`) && !ids.includes(id)) continue;
          if (ids.includes(id) === user.keysDeleted.has(id)) lost.push(`acknowledged ${user.keysDeleted.has(id) ? 'DeleteAccessKey' : 'CreateAccessKey'} ${id} of ${user.name}, ListAccessKeys gives ${JSON.stringify(ids)}`);
          if (user.keysDeleted.has(id) || signed >= keysToSign) continue;
          signed++;
          const asKey = await read('GetUser', { UserName: user.name }, { accessKeyId: id, secretAccessKey: user.keys.get(id) as string });
          if (!asKey.ok || (asKey.result['User'] as { UserId: string }).UserId !== user.userId) lost.push(`the acknowledged key ${id} of ${user.name} does not sign as it: ${asKey.ok ? 'another user' : asKey.code}`);
        }
      }
    };
    const queue = [...tally.users.values()];
    await Promise.all(
      Array.from({ length: 4 }, async () => {
        for (let user = queue.shift(); user; user = queue.shift()) await verify(user);
      }),
    );
    if (check.problemCount > 0) lost.push(...check.problems);
    return lost;
  }

  /**
   * Each decision recorded during the load against what the stored policies give now: an allow the
   * final state does not give is a wrong allow; a denial the final state would allow is a wrong deny.
   */
  async wrongDecisions(tally: Tally): Promise<{ wrongAllows: string[]; wrongDenies: string[]; finals: Map<string, string> }> {
    const finals = await this.decideAll();
    const wrongAllows: string[] = [];
    const wrongDenies: string[] = [];
    for (const d of tally.decisions) {
      const final = finals.get(caseKey(d));
      if (d.decision === 'allowed' && final !== 'allowed') wrongAllows.push(`${caseKey(d)}: allowed during the fault, ${final} now`);
      if (d.decision !== 'allowed' && final === 'allowed') wrongDenies.push(`${caseKey(d)}: ${d.decision} during the fault, allowed now`);
    }
    return { wrongAllows, wrongDenies, finals };
  }

  /** Every decision case asked once, in the steady state. */
  async decideAll(): Promise<Map<string, string>> {
    const finals = new Map<string, string>();
    for (const c of DECISION_CASES) {
      const reply = await this.must(this.root, 'Authorize', { Principal: c.principal, Action: c.action, Resource: c.resource });
      finals.set(caseKey(c), String(reply['Decision']));
    }
    return finals;
  }
}

export { caseKey };
