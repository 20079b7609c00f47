import { AuthorizationPatterns as P } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { contentHash } from '../inline/inline-policies.service';
import { allow, Harness, policy, startAuthorization } from '../../test-support/harness';
import { PolicySetsStore } from './policy-sets.store';

describeWithServices('PolicySetsStore', () => {
  let h: Harness;
  let store: PolicySetsStore;
  let userId: string;
  let otherId: string;
  let first: { PolicyId: string; Arn: string };
  let second: { PolicyId: string; Arn: string };
  const inlineDocument = policy(allow('sqs:SendMessage'));

  beforeAll(async () => {
    h = await startAuthorization();
    store = h.replicas[0].get(PolicySetsStore);
    userId = h.identity.create('holder').UserId;
    otherId = h.identity.create('other').UserId;
    first = (await h.bus.send(P.CreatePolicy, { PolicyName: 'First', PolicyDocument: policy(allow('s3:GetObject')) })).Policy;
    second = (await h.bus.send(P.CreatePolicy, { PolicyName: 'Second', PolicyDocument: policy(allow('s3:PutObject')) })).Policy;
    await h.bus.send(P.CreatePolicyVersion, { PolicyArn: first.Arn, PolicyDocument: policy(allow('s3:ListBucket')), SetAsDefault: true });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'holder', PolicyArn: second.Arn });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'holder', PolicyArn: first.Arn });
    await h.bus.send(P.PutUserPolicy, { UserName: 'holder', PolicyName: 'Queue', PolicyDocument: inlineDocument });
    await h.bus.send(P.AttachUserPolicy, { UserName: 'other', PolicyArn: first.Arn });
  });

  afterAll(async () => {
    await h?.close();
  });

  it('answers the policies held, managed with their default version and attachment order, inline with their content hash', async () => {
    const held = await store.held([userId]);
    const managed = held.filter((row) => row.kind === 'managed').sort((a, b) => Number(a.ord) - Number(b.ord));
    expect(managed).toEqual([
      expect.objectContaining({ principalId: userId, principalType: 'user', policyId: second.PolicyId, name: 'Second', arn: second.Arn, account: '123456789012', versionId: 'v1', nameLower: null, contentHash: null }),
      expect.objectContaining({ principalId: userId, principalType: 'user', policyId: first.PolicyId, name: 'First', arn: first.Arn, versionId: 'v2' }),
    ]);
    expect(held.filter((row) => row.kind === 'inline')).toEqual([
      { principalId: userId, principalType: 'user', kind: 'inline', policyId: null, name: 'Queue', arn: null, account: null, versionId: null, nameLower: 'queue', contentHash: contentHash(inlineDocument), ord: 'queue' },
    ]);
    expect(await store.held(['no-such-principal'])).toEqual([]);
    const everyone = await store.held(null);
    expect(new Set(everyone.map((row) => row.principalId))).toEqual(new Set([userId, otherId]));
    expect(everyone).toHaveLength(4);
  });

  it('answers one document by its key, or null', async () => {
    await expect(store.managedDocument({ policyId: first.PolicyId, versionId: 'v1' })).resolves.toEqual({
      name: 'First',
      account: '123456789012',
      document: policy(allow('s3:GetObject')),
    });
    await expect(store.managedDocument({ policyId: first.PolicyId, versionId: 'v9' })).resolves.toBeNull();
    await expect(store.inlineDocument({ principalId: userId, nameLower: 'queue' })).resolves.toMatchObject({
      principalType: 'user',
      name: 'Queue',
      contentHash: contentHash(inlineDocument),
      document: inlineDocument,
    });
    await expect(store.inlineDocument({ principalId: userId, nameLower: 'Queue' })).resolves.toBeNull();
  });

  it('answers the documents of many keys at once, leaving out those it does not find', async () => {
    const absent = Array.from({ length: 40_000 }, (_, i) => ({ policyId: `ANPAABSENT${i}`, versionId: 'v1' }));
    const versions = await store.versions([...absent, { policyId: first.PolicyId, versionId: 'v1' }, { policyId: first.PolicyId, versionId: 'v2' }, { policyId: second.PolicyId, versionId: 'v2' }]);
    expect(versions.map((v) => [v.policyId, v.versionId, v.document]).sort()).toEqual([
      [first.PolicyId, 'v1', policy(allow('s3:GetObject'))],
      [first.PolicyId, 'v2', policy(allow('s3:ListBucket'))],
    ]);
    const inlines = await store.inlines([
      ...absent.map((ref) => ({ principalId: ref.policyId, nameLower: 'queue' })),
      { principalId: userId, nameLower: 'queue' },
      { principalId: otherId, nameLower: 'queue' },
    ]);
    expect(inlines).toEqual([expect.objectContaining({ principalId: userId, principalType: 'user', name: 'Queue', contentHash: contentHash(inlineDocument), document: inlineDocument })]);
    await expect(store.versions([])).resolves.toEqual([]);
    await expect(store.inlines([])).resolves.toEqual([]);
  });
});
