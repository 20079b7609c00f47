import { AuthorizationPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { Client } from 'pg';
import { allow, deny, failure, Harness, policy, policyArn, startAuthorization } from '../../test-support/harness';

describeWithServices('managed policies over NATS and PostgreSQL', () => {
  let h: Harness;

  beforeAll(async () => {
    h = await startAuthorization();
  });

  afterAll(async () => {
    await h?.close();
  });

  const create = (name: string, document = policy(allow('s3:GetObject')), extra: object = {}) =>
    h.bus.send(P.CreatePolicy, { PolicyName: name, PolicyDocument: document, ...extra });

  describe('CreatePolicy and GetPolicy', () => {
    it('creates a policy with AWS shapes, v1 as its default version', async () => {
      const { Policy } = await create('ReadObjects', policy(allow('s3:GetObject')), {
        Path: '/team/',
        Description: 'Reads objects',
        Tags: [{ Key: 'owner', Value: 'data' }],
      });
      expect(Policy).toMatchObject({
        PolicyName: 'ReadObjects',
        Arn: 'arn:aws:iam::123456789012:policy/team/ReadObjects',
        Path: '/team/',
        DefaultVersionId: 'v1',
        AttachmentCount: 0,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        Tags: [{ Key: 'owner', Value: 'data' }],
      });
      // CreatePolicy's reply has no Description, as AWS's; GetPolicy's has it.
      expect(Policy.Description).toBeUndefined();
      expect(Policy.PolicyId).toMatch(/^ANPA[A-Z2-7]{17}$/);
      expect(new Date(Policy.CreateDate).toISOString()).toBe(Policy.CreateDate);
      expect(Policy.UpdateDate).toBe(Policy.CreateDate);

      await expect(h.bus.send(P.GetPolicy, { PolicyArn: Policy.Arn })).resolves.toEqual({ Policy: { ...Policy, Description: 'Reads objects' } });
      const plain = (await create('NoTags')).Policy;
      expect(plain.Tags).toBeUndefined();
      expect((await h.bus.send(P.GetPolicy, { PolicyArn: plain.Arn })).Policy.Tags).toEqual([]);
    });

    it('refuses a second policy of the same name, regardless of case and path', async () => {
      await create('Unique');
      await expect(failure(create('UNIQUE', undefined, { Path: '/other/' }))).resolves.toEqual({
        code: 'EntityAlreadyExists',
        message: 'A policy called UNIQUE already exists. Duplicate names are not allowed.',
      });
    });

    it('refuses a malformed document with IAM\'s message, and stores nothing', async () => {
      const error = await failure(create('Broken', JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Permit', Action: 's3:*', Resource: '*' }] })));
      expect(error.code).toBe('MalformedPolicyDocument');
      expect(error.message).toBe('Syntax errors in policy.');
      await expect(failure(h.bus.send(P.GetPolicy, { PolicyArn: policyArn('Broken') }))).resolves.toMatchObject({ code: 'NoSuchEntity' });

      const notJson = await failure(create('Broken', '{"Version": "2012-10-17", "Statement": ['));
      expect(notJson.code).toBe('MalformedPolicyDocument');
      expect(notJson.message).toBe('Syntax errors in policy.');
      const noVersion = await failure(create('Broken', JSON.stringify({ Statement: [{ Effect: 'Allow', Action: 's3:*', Resource: '*' }] })));
      expect(noVersion).toEqual({ code: 'MalformedPolicyDocument', message: 'Policy document must be version 2012-10-17 or greater.' });
    });

    it('refuses a document over 6,144 characters without white space with LimitExceeded', async () => {
      const actions = Array.from({ length: 500 }, (_, i) => `s3:Action${i}`);
      const big = policy(allow(actions));
      expect(big.length).toBeGreaterThan(6144);
      await expect(failure(create('TooBig', big))).resolves.toEqual({ code: 'LimitExceeded', message: 'Cannot exceed quota for PolicySize: 6144' });
      // White space does not count.
      const spaced = JSON.stringify(JSON.parse(policy(allow(actions.slice(0, 300)))), null, 40);
      expect(spaced.length).toBeGreaterThan(6144);
      await expect(create('Spaced', spaced)).resolves.toBeDefined();
    });

    it('answers NoSuchEntity for an unknown policy and InvalidInput for a string that is not a policy ARN', async () => {
      await expect(failure(h.bus.send(P.GetPolicy, { PolicyArn: policyArn('Nothing') }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: 'Policy arn:aws:iam::123456789012:policy/Nothing was not found.',
      });
      await expect(failure(h.bus.send(P.GetPolicy, { PolicyArn: 'arn:aws:iam::123456789012:user/alice' }))).resolves.toEqual({
        code: 'InvalidInput',
        message: 'ARN arn:aws:iam::123456789012:user/alice is not valid.',
      });
    });

    it('refuses bad input as ValidationError worded as AWS does', async () => {
      const error = await failure(create('bad name'));
      expect(error.code).toBe('ValidationError');
      expect(error.message).toContain("at 'policyName' failed to satisfy constraint: Member must satisfy regular expression pattern");
      const document = await failure(create('Emoji', policy(allow('s3:GetObject', 'arn:aws:s3:::b/\u{1F600}'))));
      expect(document.code).toBe('ValidationError');
      expect(document.message).toContain("at 'policyDocument'");
    });

    it("refuses a tag key given twice with AWS's words for a policy; keys differing in case are two tags", async () => {
      await expect(failure(create('Tagged', undefined, { Tags: [{ Key: '0', Value: '' }, { Key: '0', Value: '' }] }))).resolves.toEqual({
        code: 'InvalidInput',
        message: 'Duplicate tag keys found.',
      });
      const { Policy } = await create('CaseTagged', undefined, { Tags: [{ Key: 'a', Value: 'lowercase' }, { Key: 'A', Value: 'uppercase' }] });
      expect(Policy.Tags).toEqual([
        { Key: 'a', Value: 'lowercase' },
        { Key: 'A', Value: 'uppercase' },
      ]);
    });
  });

  describe('AWS managed policies', () => {
    it.each([
      ['AdministratorAccess', 'ANPAIWMBCKSKIEE64ZLYK', 'v1'],
      ['IAMFullAccess', 'ANPAI7XKCFMBPM3QQRRVQ', 'v2'],
      ['IAMReadOnlyAccess', 'ANPAJKSO7NDY4T57MWDSQ', 'v4'],
      ['IAMUserChangePassword', 'ANPAJ4L4MM2A7QIEB56MS', 'v3'],
    ])('offers %s with AWS id, default version and document', async (name, id, version) => {
      const arn = `arn:aws:iam::aws:policy/${name}`;
      const { Policy } = await h.bus.send(P.GetPolicy, { PolicyArn: arn });
      expect(Policy).toMatchObject({ PolicyName: name, PolicyId: id, Arn: arn, Path: '/', DefaultVersionId: version, IsAttachable: true });
      const { PolicyVersion } = await h.bus.send(P.GetPolicyVersion, { PolicyArn: arn, VersionId: version });
      expect(PolicyVersion.IsDefaultVersion).toBe(true);
      expect(JSON.parse(PolicyVersion.Document as string).Version).toBe('2012-10-17');
    });

    it('publishes the documents AWS publishes', async () => {
      const read = async (name: string, version: string) =>
        JSON.parse((await h.bus.send(P.GetPolicyVersion, { PolicyArn: `arn:aws:iam::aws:policy/${name}`, VersionId: version })).PolicyVersion.Document as string);
      expect(await read('AdministratorAccess', 'v1')).toEqual({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] });
      expect((await read('IAMReadOnlyAccess', 'v4')).Statement[0].Action).toEqual([
        'iam:GenerateCredentialReport',
        'iam:GenerateServiceLastAccessedDetails',
        'iam:Get*',
        'iam:List*',
        'iam:SimulateCustomPolicy',
        'iam:SimulatePrincipalPolicy',
      ]);
      expect((await read('IAMUserChangePassword', 'v3')).Statement[0].Resource).toEqual([
        'arn:aws:iam::*:user/${aws:username}',
        'arn:aws:iam::*:user/*/${aws:username}',
      ]);
      expect((await read('IAMFullAccess', 'v2')).Statement[0].Action[0]).toBe('iam:*');
    });

    it('refuses every change with AccessDenied', async () => {
      const PolicyArn = 'arn:aws:iam::aws:policy/AdministratorAccess';
      const calls = [
        h.bus.send(P.DeletePolicy, { PolicyArn }),
        h.bus.send(P.CreatePolicyVersion, { PolicyArn, PolicyDocument: policy(allow('s3:*')) }),
        h.bus.send(P.SetDefaultPolicyVersion, { PolicyArn, VersionId: 'v1' }),
        h.bus.send(P.DeletePolicyVersion, { PolicyArn, VersionId: 'v1' }),
        h.bus.send(P.TagPolicy, { PolicyArn, Tags: [{ Key: 'a', Value: 'b' }] }),
        h.bus.send(P.UntagPolicy, { PolicyArn, TagKeys: ['a'] }),
      ];
      for (const call of calls) {
        const error = await failure(call);
        expect(error.code).toBe('AccessDenied');
        expect(error.message).toContain(PolicyArn);
      }
      await expect(h.bus.send(P.GetPolicy, { PolicyArn })).resolves.toMatchObject({ Policy: { DefaultVersionId: 'v1' } });
    });
  });

  describe('ListPolicies', () => {
    let list: Harness;

    beforeAll(async () => {
      list = await startAuthorization();
      for (const name of ['Zeta', 'alpha', 'Beta', 'gamma']) {
        await list.bus.send(P.CreatePolicy, { PolicyName: name, PolicyDocument: policy(allow('s3:*')), Path: name === 'gamma' ? '/ops/' : '/' });
      }
      const user = list.identity.create('lister');
      await list.bus.send(P.AttachUserPolicy, { UserName: user.UserName, PolicyArn: 'arn:aws:iam::123456789012:policy/Beta' });
    });

    afterAll(async () => {
      await list?.close();
    });

    const names = async (request: object) => (await list.bus.send(P.ListPolicies, request)).Policies.map((p) => p.PolicyName);

    it('lists local and AWS policies by name regardless of case, without description and tags', async () => {
      expect(await names({ Scope: 'Local' })).toEqual(['alpha', 'Beta', 'gamma', 'Zeta']);
      expect(await names({ Scope: 'AWS' })).toEqual(['AdministratorAccess', 'IAMFullAccess', 'IAMReadOnlyAccess', 'IAMUserChangePassword']);
      expect(await names({})).toHaveLength(8);
      const { Policies } = await list.bus.send(P.ListPolicies, { Scope: 'AWS' });
      expect(Policies[0].Description).toBeUndefined();
    });

    it('filters attached policies, path prefixes and usage', async () => {
      expect(await names({ OnlyAttached: true })).toEqual(['Beta']);
      const [beta] = (await list.bus.send(P.ListPolicies, { OnlyAttached: true })).Policies;
      expect(beta.AttachmentCount).toBe(1);
      expect(await names({ PathPrefix: '/ops/' })).toEqual(['gamma']);
      expect(await names({ PolicyUsageFilter: 'PermissionsBoundary' })).toEqual([]);
      expect(await names({ Scope: 'Local', PolicyUsageFilter: 'PermissionsPolicy' })).toHaveLength(4);
    });

    it('pages with MaxItems and Marker', async () => {
      const first = await list.bus.send(P.ListPolicies, { MaxItems: 3 });
      expect(first.IsTruncated).toBe(true);
      expect(first.Marker).toBeDefined();
      const second = await list.bus.send(P.ListPolicies, { MaxItems: 3, Marker: first.Marker });
      const third = await list.bus.send(P.ListPolicies, { MaxItems: 3, Marker: second.Marker });
      expect(third.IsTruncated).toBe(false);
      expect(third.Marker).toBeUndefined();
      const all = [...first.Policies, ...second.Policies, ...third.Policies].map((p) => p.PolicyName);
      expect(all).toEqual(await names({}));
      await expect(failure(list.bus.send(P.ListPolicies, { Marker: 'not-a-marker' }))).resolves.toMatchObject({ code: 'InvalidInput' });
    });

    it('orders names byte by byte after lower-casing, whatever the database locale, and pages the same way', async () => {
      for (const name of ['x_1', 'X0', 'x1', 'x-1']) {
        await list.bus.send(P.CreatePolicy, { PolicyName: name, PolicyDocument: policy(allow('s3:*')), Path: '/sorted/' });
      }
      expect(await names({ PathPrefix: '/sorted/' })).toEqual(['x-1', 'X0', 'x1', 'x_1']);
      const paged: string[] = [];
      let marker: string | undefined;
      do {
        const reply = await list.bus.send(P.ListPolicies, { PathPrefix: '/sorted/', MaxItems: 1, ...(marker ? { Marker: marker } : {}) });
        paged.push(...reply.Policies.map((p) => p.PolicyName));
        marker = reply.IsTruncated ? reply.Marker : undefined;
      } while (marker);
      expect(paged).toEqual(['x-1', 'X0', 'x1', 'x_1']);
    });

    it('refuses an unknown scope as ValidationError', async () => {
      const error = await failure(list.bus.send(P.ListPolicies, { Scope: 'Mine' } as never));
      expect(error.code).toBe('ValidationError');
      expect(error.message).toContain('Member must satisfy enum value set: [All, AWS, Local]');
    });
  });

  describe('versions', () => {
    it('creates versions v2… (default when asked), lists them newest first and returns documents raw', async () => {
      const { Policy } = await create('Versioned', '{\n  "Version": "2012-10-17",\n  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}\n}');
      const arn = Policy.Arn;
      const v2 = await h.bus.send(P.CreatePolicyVersion, { PolicyArn: arn, PolicyDocument: policy(allow('s3:PutObject')) });
      expect(v2.PolicyVersion).toMatchObject({ VersionId: 'v2', IsDefaultVersion: false });
      const v3 = await h.bus.send(P.CreatePolicyVersion, { PolicyArn: arn, PolicyDocument: policy(allow('s3:*')), SetAsDefault: true });
      expect(v3.PolicyVersion).toMatchObject({ VersionId: 'v3', IsDefaultVersion: true });

      const { Policy: after } = await h.bus.send(P.GetPolicy, { PolicyArn: arn });
      expect(after.DefaultVersionId).toBe('v3');
      expect(after.UpdateDate >= Policy.UpdateDate).toBe(true);

      const { Versions } = await h.bus.send(P.ListPolicyVersions, { PolicyArn: arn });
      expect(Versions.map((v) => [v.VersionId, v.IsDefaultVersion])).toEqual([
        ['v3', true],
        ['v2', false],
        ['v1', false],
      ]);
      expect(Versions[0].Document).toBeUndefined();

      const v1 = await h.bus.send(P.GetPolicyVersion, { PolicyArn: arn, VersionId: 'v1' });
      expect(v1.PolicyVersion.Document).toBe('{\n  "Version": "2012-10-17",\n  "Statement": {"Effect": "Allow", "Action": "s3:GetObject", "Resource": "*"}\n}');
    });

    it('keeps at most five versions and never reuses a version id', async () => {
      const { Policy } = await create('FiveVersions');
      const arn = Policy.Arn;
      for (let i = 2; i <= 5; i++) await h.bus.send(P.CreatePolicyVersion, { PolicyArn: arn, PolicyDocument: policy(allow(`s3:Action${i}`)) });
      await expect(failure(h.bus.send(P.CreatePolicyVersion, { PolicyArn: arn, PolicyDocument: policy(allow('s3:Six')) }))).resolves.toEqual({
        code: 'LimitExceeded',
        message: 'A managed policy can have up to 5 versions. Before you create a new version, you must delete an existing version.',
      });
      await h.bus.send(P.DeletePolicyVersion, { PolicyArn: arn, VersionId: 'v5' });
      const next = await h.bus.send(P.CreatePolicyVersion, { PolicyArn: arn, PolicyDocument: policy(allow('s3:Six')) });
      expect(next.PolicyVersion.VersionId).toBe('v6');
      const page1 = await h.bus.send(P.ListPolicyVersions, { PolicyArn: arn, MaxItems: 2 });
      const page2 = await h.bus.send(P.ListPolicyVersions, { PolicyArn: arn, MaxItems: 2, Marker: page1.Marker });
      const page3 = await h.bus.send(P.ListPolicyVersions, { PolicyArn: arn, MaxItems: 2, Marker: page2.Marker });
      expect([...page1.Versions, ...page2.Versions, ...page3.Versions].map((v) => v.VersionId)).toEqual(['v6', 'v4', 'v3', 'v2', 'v1']);
      expect(page3.IsTruncated).toBe(false);
    });

    it('sets the default version, refuses to delete it, and answers NoSuchEntity for unknown versions', async () => {
      const { Policy } = await create('Defaults');
      const arn = Policy.Arn;
      await h.bus.send(P.CreatePolicyVersion, { PolicyArn: arn, PolicyDocument: policy(allow('s3:PutObject')) });
      await h.bus.send(P.SetDefaultPolicyVersion, { PolicyArn: arn, VersionId: 'v2' });
      expect((await h.bus.send(P.GetPolicy, { PolicyArn: arn })).Policy.DefaultVersionId).toBe('v2');
      await expect(failure(h.bus.send(P.DeletePolicyVersion, { PolicyArn: arn, VersionId: 'v2' }))).resolves.toEqual({
        code: 'DeleteConflict',
        message: 'Cannot delete the default version of a policy.',
      });
      await expect(failure(h.bus.send(P.SetDefaultPolicyVersion, { PolicyArn: arn, VersionId: 'v9' }))).resolves.toEqual({
        code: 'NoSuchEntity',
        message: `Policy ${arn} version v9 does not exist or is not attachable.`,
      });
      await expect(failure(h.bus.send(P.GetPolicyVersion, { PolicyArn: arn, VersionId: 'v9' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
      await expect(failure(h.bus.send(P.DeletePolicyVersion, { PolicyArn: arn, VersionId: 'v9' }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
      const bad = await failure(h.bus.send(P.GetPolicyVersion, { PolicyArn: arn, VersionId: 'version1' }));
      expect(bad.code).toBe('ValidationError');
    });

    it('refuses a malformed version document and keeps the versions as they were', async () => {
      const { Policy } = await create('StrictVersions');
      const error = await failure(h.bus.send(P.CreatePolicyVersion, { PolicyArn: Policy.Arn, PolicyDocument: policy(deny('s3', '*')), SetAsDefault: true }));
      expect(error.code).toBe('MalformedPolicyDocument');
      expect(error.message).toBe('Actions/Conditions must be prefaced by a vendor, e.g., iam, sdb, ec2, etc.');
      const { Versions } = await h.bus.send(P.ListPolicyVersions, { PolicyArn: Policy.Arn });
      expect(Versions.map((v) => v.VersionId)).toEqual(['v1']);
    });
  });

  describe('DeletePolicy', () => {
    it('refuses while attached or while other versions exist, then deletes', async () => {
      const { Policy } = await create('Deletable');
      const arn = Policy.Arn;
      const user = h.identity.create('holder');
      await h.bus.send(P.AttachUserPolicy, { UserName: 'holder', PolicyArn: arn });
      await expect(failure(h.bus.send(P.DeletePolicy, { PolicyArn: arn }))).resolves.toEqual({
        code: 'DeleteConflict',
        message: 'Cannot delete a policy attached to entities.',
      });
      await h.bus.send(P.DetachUserPolicy, { UserName: user.UserName, PolicyArn: arn });
      await h.bus.send(P.CreatePolicyVersion, { PolicyArn: arn, PolicyDocument: policy(allow('s3:*')) });
      await expect(failure(h.bus.send(P.DeletePolicy, { PolicyArn: arn }))).resolves.toEqual({
        code: 'DeleteConflict',
        message:
          "This policy has more than one version. Before you delete a policy, you must delete the policy's versions. The default version is deleted with the policy.",
      });
      await h.bus.send(P.DeletePolicyVersion, { PolicyArn: arn, VersionId: 'v2' });
      await h.bus.send(P.DeletePolicy, { PolicyArn: arn });
      await expect(failure(h.bus.send(P.GetPolicy, { PolicyArn: arn }))).resolves.toMatchObject({ code: 'NoSuchEntity' });
      await expect(failure(h.bus.send(P.DeletePolicy, { PolicyArn: arn }))).resolves.toMatchObject({ code: 'NoSuchEntity' });

      const client = new Client({ connectionString: h.database.url });
      await client.connect();
      try {
        const { rows } = await client.query('SELECT count(*)::int AS n FROM "authorization".policy_versions WHERE policy_id = $1', [Policy.PolicyId]);
        expect(rows[0].n).toBe(0);
      } finally {
        await client.end();
      }
    });
  });

  describe('tags', () => {
    it('lists by key length, then key as written, while GetPolicy shows them as written (AWS: a, b, z, abc)', async () => {
      const written = [
        { Key: 'abc', Value: 'first' },
        { Key: 'b', Value: 'second' },
        { Key: 'z', Value: 'third' },
        { Key: 'a', Value: 'fourth' },
      ];
      const { Policy } = await create('TagOrder', undefined, { Tags: written });
      expect(Policy.Tags).toEqual(written);
      expect((await h.bus.send(P.GetPolicy, { PolicyArn: Policy.Arn })).Policy.Tags).toEqual(written);
      const all = await h.bus.send(P.ListPolicyTags, { PolicyArn: Policy.Arn });
      expect(all).toEqual({
        Tags: [
          { Key: 'a', Value: 'fourth' },
          { Key: 'b', Value: 'second' },
          { Key: 'z', Value: 'third' },
          { Key: 'abc', Value: 'first' },
        ],
        IsTruncated: false,
      });
      // Page by page, the same order, whatever the page size.
      for (const MaxItems of [1, 2, 3]) {
        const pages: string[] = [];
        let Marker: string | undefined;
        do {
          const page = await h.bus.send(P.ListPolicyTags, { PolicyArn: Policy.Arn, MaxItems, ...(Marker ? { Marker } : {}) });
          pages.push(...page.Tags.map((t) => t.Key));
          Marker = page.Marker;
        } while (Marker);
        expect(pages).toEqual(['a', 'b', 'z', 'abc']);
      }
    });

    it('tags, replaces the very key in its place, keeps keys differing in case apart, untags as written', async () => {
      const { Policy } = await create('TagMe');
      const arn = Policy.Arn;
      await h.bus.send(P.TagPolicy, { PolicyArn: arn, Tags: [{ Key: 'somekey', Value: 'somevalue' }, { Key: 'someotherkey', Value: 'someothervalue' }] });
      await h.bus.send(P.TagPolicy, { PolicyArn: arn, Tags: [{ Key: 'somekey', Value: '' }] });
      expect((await h.bus.send(P.GetPolicy, { PolicyArn: arn })).Policy.Tags).toEqual([
        { Key: 'somekey', Value: '' },
        { Key: 'someotherkey', Value: 'someothervalue' },
      ]);
      await h.bus.send(P.UntagPolicy, { PolicyArn: arn, TagKeys: ['somekey', 'SOMEOTHERKEY', 'missing'] });
      expect((await h.bus.send(P.ListPolicyTags, { PolicyArn: arn })).Tags).toEqual([{ Key: 'someotherkey', Value: 'someothervalue' }]);
      await h.bus.send(P.UntagPolicy, { PolicyArn: arn, TagKeys: ['someotherkey'] });

      await h.bus.send(P.TagPolicy, { PolicyArn: arn, Tags: [{ Key: 'a', Value: 'lowercase' }, { Key: 'A', Value: 'uppercase' }] });
      expect((await h.bus.send(P.ListPolicyTags, { PolicyArn: arn })).Tags).toEqual([
        { Key: 'A', Value: 'uppercase' },
        { Key: 'a', Value: 'lowercase' },
      ]);
      await h.bus.send(P.UntagPolicy, { PolicyArn: arn, TagKeys: ['a'] });
      expect((await h.bus.send(P.ListPolicyTags, { PolicyArn: arn })).Tags).toEqual([{ Key: 'A', Value: 'uppercase' }]);
      await expect(failure(h.bus.send(P.TagPolicy, { PolicyArn: arn, Tags: [{ Key: '0', Value: '' }, { Key: '0', Value: '' }] }))).resolves.toEqual({
        code: 'InvalidInput',
        message: 'Duplicate tag keys found.',
      });
    });

    it('keeps at most 50 tags', async () => {
      const { Policy } = await create('ManyTags');
      const tags = Array.from({ length: 50 }, (_, i) => ({ Key: `k${i}`, Value: 'v' }));
      await h.bus.send(P.TagPolicy, { PolicyArn: Policy.Arn, Tags: tags });
      await expect(failure(h.bus.send(P.TagPolicy, { PolicyArn: Policy.Arn, Tags: [{ Key: 'one-more', Value: 'v' }] }))).resolves.toEqual({
        code: 'LimitExceeded',
        message: 'The number of tags has reached the maximum limit.',
      });
    });

    it('keeps the 50-tag limit when many clients tag one policy at once', async () => {
      const { Policy } = await create('Crowded');
      // Ten clients add six tags each: eight fit (48 tags), the last two would pass 50.
      const results = await Promise.allSettled(
        Array.from({ length: 10 }, (_, client) =>
          h.bus.send(P.TagPolicy, { PolicyArn: Policy.Arn, Tags: Array.from({ length: 6 }, (_, i) => ({ Key: `c${client}-${i}`, Value: 'v' })) }),
        ),
      );
      expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(8);
      const refused = results.flatMap((r) => (r.status === 'rejected' ? [r.reason as { code: string; message: string }] : []));
      expect(refused.map((e) => [e.code, e.message])).toEqual([
        ['LimitExceeded', 'The number of tags has reached the maximum limit.'],
        ['LimitExceeded', 'The number of tags has reached the maximum limit.'],
      ]);
      const { Tags } = await h.bus.send(P.GetPolicy, { PolicyArn: Policy.Arn }).then((r) => r.Policy);
      expect(Tags).toHaveLength(48);
      const perClient = new Map<string, number>();
      for (const tag of Tags ?? []) perClient.set(tag.Key.split('-')[0], (perClient.get(tag.Key.split('-')[0]) ?? 0) + 1);
      expect([...perClient.values()]).toEqual(Array(8).fill(6));
    });
  });

  it('answers NoSuchEntity from every pattern for an unknown policy, and InvalidInput for a string that is not a policy ARN', async () => {
    const PolicyArn = policyArn('Unknown');
    const calls: [string, () => Promise<unknown>][] = [
      ['DeletePolicy', () => h.bus.send(P.DeletePolicy, { PolicyArn })],
      ['TagPolicy', () => h.bus.send(P.TagPolicy, { PolicyArn, Tags: [{ Key: 'a', Value: 'b' }] })],
      ['UntagPolicy', () => h.bus.send(P.UntagPolicy, { PolicyArn, TagKeys: ['a'] })],
      ['ListPolicyTags', () => h.bus.send(P.ListPolicyTags, { PolicyArn })],
      ['CreatePolicyVersion', () => h.bus.send(P.CreatePolicyVersion, { PolicyArn, PolicyDocument: policy(allow('s3:*')) })],
      ['GetPolicyVersion', () => h.bus.send(P.GetPolicyVersion, { PolicyArn, VersionId: 'v1' })],
      ['ListPolicyVersions', () => h.bus.send(P.ListPolicyVersions, { PolicyArn })],
      ['SetDefaultPolicyVersion', () => h.bus.send(P.SetDefaultPolicyVersion, { PolicyArn, VersionId: 'v1' })],
      ['DeletePolicyVersion', () => h.bus.send(P.DeletePolicyVersion, { PolicyArn, VersionId: 'v2' })],
      ['ListEntitiesForPolicy', () => h.bus.send(P.ListEntitiesForPolicy, { PolicyArn })],
    ];
    for (const [name, call] of calls) {
      await expect(failure(call()).then((error) => ({ name, ...error }))).resolves.toEqual({
        name,
        code: 'NoSuchEntity',
        message: `Policy ${PolicyArn} was not found.`,
      });
    }
    await expect(failure(h.bus.send(P.ListPolicyVersions, { PolicyArn: 'arn:aws:iam::123456789012:policy' }))).resolves.toEqual({
      code: 'InvalidInput',
      message: 'ARN arn:aws:iam::123456789012:policy is not valid.',
    });
  });

  it('answers its health check with its database', async () => {
    await expect(h.bus.send(P.Health, {})).resolves.toEqual({ service: 'authorization', database: 'up' });
  });
});
