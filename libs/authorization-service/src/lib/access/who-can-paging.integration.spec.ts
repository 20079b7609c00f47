import { AuthorizationPatterns as P, ResolvedUser, WhoCanReply, WhoCanRequest } from '@iam/contracts';
import { Listing } from '@iam/platform';
import { describeWithServices } from '@iam/testing';
import { HolderPolicies, PolicySets } from '../decisions/policy-sets';
import { CompiledDocument } from '../documents/policy-documents';
import { allow, deny, failure, Harness, policy, policyArn, startAuthorization } from '../../test-support/harness';
import { AccessService, WHO_CAN_BY_IDS, WHO_CAN_WALK_ROWS } from './access.service';

/**
 * Who-can paging: keyset pages in (lower-cased name, id) order through identity, whichever way a
 * page is read (by id for few matching users, a walk of identity's name order for many, a walk
 * that falls back to ids), with exact counts and changes under way.
 */
describeWithServices('who-can paging over NATS and PostgreSQL', () => {
  let h: Harness;
  let access: AccessService;
  const RESOURCE = 'arn:aws:s3:::paging/object';
  /** Every user in `readers` or `blocked` or `maybe`, by id, with the verdict the query gives it. */
  const expected = new Map<string, string>();

  const key = (user: { UserName: string; UserId: string }) => [user.UserName.toLowerCase(), user.UserId] as const;
  const before = (a: readonly [string, string], b: readonly [string, string]) => a[0] < b[0] || (a[0] === b[0] && a[1] < b[1]);
  const sorted = (users: ResolvedUser[]) => [...users].sort((a, b) => (before(key(a), key(b)) ? -1 : 1));
  const whoCan = (request: Partial<WhoCanRequest>) => h.bus.send(P.WhoCan, { ActionName: 's3:GetObject', ResourceArn: RESOURCE, ...request });

  /** Every page of a listing; checks each page's order and that no user comes twice. */
  async function walk(request: Partial<WhoCanRequest>, between?: (page: WhoCanReply, index: number) => void | Promise<void>) {
    const listed: WhoCanReply['Principals'] = [];
    const pages: WhoCanReply[] = [];
    let marker = request.Marker;
    do {
      const page = await whoCan({ ...request, Marker: marker });
      pages.push(page);
      for (const principal of page.Principals) {
        const last = listed[listed.length - 1];
        if (last) expect(before(key(last), key(principal))).toBe(true);
        expect(listed.some((p) => p.UserId === principal.UserId)).toBe(false);
        listed.push(principal);
      }
      marker = page.IsTruncated ? page.Marker : undefined;
      if (marker) expect(page.Principals.length).toBeGreaterThan(0);
      await between?.(page, pages.length - 1);
    } while (marker);
    return { listed, pages };
  }

  let readers: string;
  let blocked: string;
  let maybe: string;
  const join = (user: ResolvedUser, group: string, verdict: string) => {
    h.directory.add(user.UserId, group);
    expected.set(user.UserId, verdict);
  };

  beforeAll(async () => {
    h = await startAuthorization();
    access = h.replicas[0].get(AccessService);
    readers = h.directory.create('readers').GroupId;
    blocked = h.directory.create('blocked').GroupId;
    maybe = h.directory.create('maybe').GroupId;
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'readers', PolicyName: 'Read', PolicyDocument: policy(allow('s3:GetObject', 'arn:aws:s3:::paging/*')) });
    await h.bus.send(P.PutGroupPolicy, { GroupName: 'blocked', PolicyName: 'Block', PolicyDocument: policy(deny('s3:*', 'arn:aws:s3:::paging/*')) });
    await h.bus.send(P.PutGroupPolicy, {
      GroupName: 'maybe',
      PolicyName: 'Office',
      PolicyDocument: policy(allow('s3:GetObject', '*', { Condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/8' } } })),
    });
    // Names equal regardless of case (identity's fake keeps them; ids break the tie), and names
    // that sort apart from their ids.
    for (const name of ['amy', 'AMY', 'Amy', 'zoe', 'Bea', 'bea-2', 'bea_1', 'bea0']) join(h.identity.create(name), readers, 'allowed');
    for (const name of ['amy', 'Cid', 'dan']) join(h.identity.create(name), blocked, 'denied');
    for (let i = 0; i < 40; i++) join(h.identity.create(`m${String((i * 37) % 40).padStart(2, '0')}`), maybe, 'conditional');
    // Users with no verdict, and a member identity no longer knows.
    for (let i = 0; i < 60; i++) h.identity.create(`other-${i}`);
    const gone = h.identity.create('gone');
    h.directory.add(gone.UserId, readers);
    h.identity.remove(gone.UserId);
  });

  afterAll(async () => {
    await h?.close();
  });

  afterEach(() => {
    access.byIdsMax = WHO_CAN_BY_IDS;
    access.walkRows = WHO_CAN_WALK_ROWS;
    h.identity.pageCalls.length = 0;
  });

  const listedUsers = () => sorted([...h.identity.users.values()].filter((user) => expected.has(user.UserId)));
  const names = (principals: { UserName: string; UserId: string }[]) => principals.map((p) => `${p.UserName}/${p.UserId}`);

  it.each([
    ['by id (few matching users)', () => undefined, (calls: { UserIds?: string[] }[]) => calls.every((call) => call.UserIds !== undefined)],
    [
      'walking the name order (many matching users)',
      () => {
        access.byIdsMax = 5;
      },
      (calls: { UserIds?: string[] }[]) => calls.every((call) => call.UserIds === undefined),
    ],
    [
      'walking, then by id when the walk reads too many users',
      () => {
        access.byIdsMax = 5;
        access.walkRows = 3;
      },
      (calls: { UserIds?: string[] }[]) => calls.some((call) => call.UserIds === undefined) && calls.some((call) => call.UserIds !== undefined),
    ],
  ])('pages %s in (lower-cased name, id) order across markers, with exact counts', async (_label, setUp, path) => {
    setUp();
    for (const maxItems of [1, 3, 7, 100]) {
      const { listed, pages } = await walk({ MaxItems: maxItems });
      expect(names(listed)).toEqual(names(listedUsers()));
      expect(listed.map((p) => p.Verdict)).toEqual(listedUsers().map((user) => expected.get(user.UserId)));
      for (const page of pages) expect(page.Counts).toEqual({ Allowed: 8, Denied: 3, Conditional: 40 });
      expect(pages.length).toBe(Math.max(1, Math.ceil(listed.length / maxItems)));
    }
    // The three users named amy regardless of case: in id order, also one per page.
    const amys = listedUsers().filter((user) => user.UserName.toLowerCase() === 'amy');
    expect(amys.map((user) => user.UserId)).toEqual([...amys.map((user) => user.UserId)].sort());
    expect(amys).toHaveLength(4);
    expect(path(h.identity.pageCalls)).toBe(true);
  });

  it.each([
    ['by id', () => undefined],
    [
      'walking',
      () => {
        access.byIdsMax = 5;
      },
    ],
  ])('filters by verdict %s: sparse and dense matches page alike, counts cover everyone', async (_label, setUp) => {
    setUp();
    const denied = await walk({ MaxItems: 2, Verdicts: ['denied'] });
    expect(names(denied.listed)).toEqual(names(listedUsers().filter((user) => expected.get(user.UserId) === 'denied')));
    expect(denied.pages.map((page) => page.Counts)).toEqual(denied.pages.map(() => ({ Allowed: 8, Denied: 3, Conditional: 40 })));
    const notDenied = await walk({ MaxItems: 9, Verdicts: ['allowed', 'conditional'] });
    expect(names(notDenied.listed)).toEqual(names(listedUsers().filter((user) => expected.get(user.UserId) !== 'denied')));
  });

  it('never shows again a user whose name sorts before the marker, and counts it', async () => {
    const first = await whoCan({ MaxItems: 5 });
    const early = h.identity.create('aaa');
    join(early, readers, 'allowed');
    try {
      const rest = await walk({ MaxItems: 5, Marker: first.Marker });
      expect(rest.listed.map((p) => p.UserId)).not.toContain(early.UserId);
      for (const shown of first.Principals) expect(rest.listed.map((p) => p.UserId)).not.toContain(shown.UserId);
      expect(rest.pages[0].Counts).toEqual({ Allowed: 9, Denied: 3, Conditional: 40 });
      expect(names([...first.Principals, ...rest.listed])).toEqual(names(listedUsers().filter((user) => user.UserId !== early.UserId)));
    } finally {
      h.identity.remove(early.UserId);
      h.directory.removeMember(early.UserId, readers);
      expected.delete(early.UserId);
    }
  });

  it.each([
    ['by id', () => undefined],
    [
      'walking',
      () => {
        access.byIdsMax = 5;
        access.walkRows = 20;
      },
    ],
  ])('pages %s while users are created and deleted: every page in order, no user twice, no failure', async (_label, setUp) => {
    setUp();
    const added: ResolvedUser[] = [];
    let n = 0;
    const churn = async () => {
      for (let i = 0; i < 3; i++) {
        const user = h.identity.create(`${'abcmz'[(n + i) % 5]}-churn-${n++}`);
        join(user, [readers, blocked, maybe][n % 3], ['allowed', 'denied', 'conditional'][n % 3]);
        added.push(user);
      }
      const victim = [...h.identity.users.values()].find((user) => user.UserName.startsWith('m') && expected.has(user.UserId));
      if (victim) {
        h.identity.remove(victim.UserId);
        expected.delete(victim.UserId);
      }
    };
    const before = new Map([...h.identity.users].filter(([id]) => expected.has(id)));
    try {
      const running = Promise.all(Array.from({ length: 3 }, () => walk({ MaxItems: 4 })));
      const { listed } = await walk({ MaxItems: 4 }, churn);
      await running;
      // Users there throughout are all listed once; no user that is gone since before the walk began.
      const stayed = [...before.values()].filter((user) => h.identity.users.has(user.UserId));
      expect(listed.map((p) => p.UserId)).toEqual(expect.arrayContaining(stayed.map((user) => user.UserId)));
      const final = await whoCan({ MaxItems: 1 });
      const byVerdict = [...h.identity.users.keys()].filter((id) => expected.has(id)).map((id) => expected.get(id));
      expect(final.Counts).toEqual({
        Allowed: byVerdict.filter((v) => v === 'allowed').length,
        Denied: byVerdict.filter((v) => v === 'denied').length,
        Conditional: byVerdict.filter((v) => v === 'conditional').length,
      });
    } finally {
      for (const user of added) {
        h.identity.remove(user.UserId);
        expected.delete(user.UserId);
      }
    }
  });

  it('reads only the holders of the documents that bear on the query, with those documents', async () => {
    // A managed policy on paging/* held by a user with no verdict (it allows another action), and one on something else.
    await h.bus.send(P.CreatePolicy, { PolicyName: 'PagingPut', PolicyDocument: policy(allow('s3:PutObject', 'arn:aws:s3:::paging/*')) });
    await h.bus.send(P.CreatePolicy, { PolicyName: 'Elsewhere', PolicyDocument: policy(allow('s3:PutObject', 'arn:aws:s3:::elsewhere/*')) });
    for (const name of ['PagingPut', 'Elsewhere']) await h.bus.send(P.AttachUserPolicy, { UserName: 'other-0', PolicyArn: policyArn(name) });
    const sets = h.replicas[0].get(PolicySets);
    const onPaging = (document: CompiledDocument) => document.text.includes('arn:aws:s3:::paging/*');
    const shape = (each: HolderPolicies[]) =>
      each.map(({ holder, policies }) => `${holder.type}:${holder.id}:${policies.map((p) => p.name).join(',')}`).sort();
    const all = await sets.loadEach();
    const expected = all
      .map(({ holder, policies }) => ({ holder, policies: policies.filter((p) => onPaging(p.document)) }))
      .filter(({ policies }) => policies.length > 0);
    expect(shape(await sets.loadBearing(onPaging))).toEqual(shape(expected));
    expect(shape(expected)).toEqual(
      [`group:${readers}:Read`, `group:${blocked}:Block`, `user:${[...h.identity.users.values()].find((u) => u.UserName === 'other-0')?.UserId}:PagingPut`].sort(),
    );
    expect(await sets.loadBearing(() => false)).toEqual([]);
  });

  it('refuses a marker no who-can page issued with AWS’s error', async () => {
    const other = new Listing<[string, string]>('users', 2);
    const crafted = new Listing<[string | number, string | number]>('who-can', 2);
    for (const marker of ['garbage', other.encode(['amy', 'AIDA1']), crafted.encode([5, 'AIDA1']), crafted.encode(['x'.repeat(129), 'AIDA1']), `${(await whoCan({ MaxItems: 1 })).Marker}x`]) {
      expect(await failure(whoCan({ Marker: marker }))).toEqual({ code: 'InvalidInput', message: 'Invalid Marker.' });
    }
  });
});
