import { AuthorizationPatterns as P, Policy } from '@iam/contracts';
import { describeWithServices } from '@iam/testing';
import { allow, failure, Harness, policy, startAuthorization } from '../../test-support/harness';
import { CataloguePolicy, catalogueId, PackagedPolicy, cataloguePackageVersion, loadCatalogue, toCataloguePolicy } from './aws-catalogue';
import { AwsCatalogueSync } from './aws-catalogue.sync';
import { compileDocument } from '../documents/policy-documents';

jest.setTimeout(300_000);

const ARN = 'arn:aws:iam::aws:policy/service-role/ExampleServiceRole';
const doc = (action: string) => JSON.parse(policy(allow(action))) as object;

/** A small catalogue as the package ships it: AdministratorAccess, a service role with two versions, a job function. */
const first = (): CataloguePolicy[] =>
  (<PackagedPolicy[]>[
    {
      arn: 'arn:aws:iam::aws:policy/AdministratorAccess',
      latestVersionId: 'v1',
      createdDate: '2015-02-06T18:39:46.000Z',
      lastUpdatedDate: '2015-02-06T18:39:46.000Z',
      versions: { v1: { createdDate: '2015-02-06T18:39:46.000Z', document: { Version: '2012-10-17', Statement: [{ Effect: 'Allow', Action: '*', Resource: '*' }] } } },
    },
    {
      arn: ARN,
      latestVersionId: 'v2',
      createdDate: '2019-01-01T00:00:00.000Z',
      lastUpdatedDate: '2020-01-01T00:00:00.000Z',
      versions: {
        v2: { createdDate: '2020-01-01T00:00:00.000Z', document: doc('s3:GetObject') },
        v1: { createdDate: '2019-01-01T00:00:00.000Z', document: doc('s3:ListBucket') },
      },
    },
    {
      arn: 'arn:aws:iam::aws:policy/job-function/ExampleViewer',
      latestVersionId: 'v1',
      createdDate: '2016-11-10T17:00:00.000Z',
      lastUpdatedDate: '2016-11-10T17:00:00.000Z',
      versions: { v1: { document: doc('ec2:Describe*') } },
    },
  ]).map(toCataloguePolicy);

/** The next package: a third version becomes the default, a stored version's text differs, the job function is gone. */
const second = (): CataloguePolicy[] =>
  (<PackagedPolicy[]>[
    {
      arn: ARN,
      latestVersionId: 'v3',
      createdDate: '2019-01-01T00:00:00.000Z',
      lastUpdatedDate: '2021-06-01T00:00:00.000Z',
      versions: {
        v1: { createdDate: '2019-01-01T00:00:00.000Z', document: doc('s3:DeleteBucket') },
        v2: { createdDate: '2020-01-01T00:00:00.000Z', document: doc('s3:GetObject') },
        v3: { createdDate: '2021-06-01T00:00:00.000Z', document: doc('s3:PutObject') },
      },
    },
  ]).map(toCataloguePolicy);

describeWithServices('the AWS managed policy catalogue over NATS and PostgreSQL', () => {
  let h: Harness;
  let sync: AwsCatalogueSync;

  beforeAll(async () => {
    h = await startAuthorization();
    sync = h.replicas[0].get(AwsCatalogueSync);
  });

  afterAll(async () => {
    await h?.close();
  });

  const authorize = (userId: string, Action: string) =>
    h.bus.send(P.Authorize, { Principal: { Type: 'user', UserId: userId }, Action, Resource: '*' }).then((reply) => reply.Decision);

  const awsPolicies = async (PathPrefix = '/'): Promise<Policy[]> => {
    const all: Policy[] = [];
    let Marker: string | undefined;
    do {
      const page = await h.bus.send(P.ListPolicies, { Scope: 'AWS', PathPrefix, MaxItems: 2, ...(Marker ? { Marker } : {}) });
      all.push(...page.Policies);
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    return all;
  };

  it('adds the catalogue\'s policies with their paths, dates, default versions and every version', async () => {
    const result = await sync.sync('1.0.0', async () => first());
    expect(result).toMatchObject({ version: '1.0.0', policiesAdded: 2, versionsAdded: 3, defaultsMoved: [], policiesKept: 3 });

    expect((await awsPolicies()).map((p) => p.Arn)).toEqual([
      'arn:aws:iam::aws:policy/AdministratorAccess',
      ARN,
      'arn:aws:iam::aws:policy/job-function/ExampleViewer',
      'arn:aws:iam::aws:policy/IAMFullAccess',
      'arn:aws:iam::aws:policy/IAMReadOnlyAccess',
      'arn:aws:iam::aws:policy/IAMUserChangePassword',
    ]);
    expect(await awsPolicies('/service-role/')).toEqual([
      {
        PolicyName: 'ExampleServiceRole',
        PolicyId: catalogueId(ARN),
        Arn: ARN,
        Path: '/service-role/',
        DefaultVersionId: 'v2',
        AttachmentCount: 0,
        PermissionsBoundaryUsageCount: 0,
        IsAttachable: true,
        CreateDate: '2019-01-01T00:00:00.000Z',
        UpdateDate: '2020-01-01T00:00:00.000Z',
      },
    ]);
    await expect(h.bus.send(P.GetPolicyVersion, { PolicyArn: ARN, VersionId: 'v1' })).resolves.toEqual({
      PolicyVersion: { VersionId: 'v1', IsDefaultVersion: false, CreateDate: '2019-01-01T00:00:00.000Z', Document: JSON.stringify(doc('s3:ListBucket'), null, 4) },
    });
    await expect(h.bus.send(P.ListPolicyVersions, { PolicyArn: ARN })).resolves.toMatchObject({
      Versions: [
        { VersionId: 'v2', IsDefaultVersion: true },
        { VersionId: 'v1', IsDefaultVersion: false },
      ],
    });
    // The built-in AdministratorAccess keeps its id; nothing of it is duplicated.
    await expect(h.bus.send(P.GetPolicy, { PolicyArn: 'arn:aws:iam::aws:policy/AdministratorAccess' })).resolves.toMatchObject({
      Policy: { PolicyId: 'ANPAIWMBCKSKIEE64ZLYK', DefaultVersionId: 'v1' },
    });
    // Still read-only.
    await expect(failure(h.bus.send(P.CreatePolicyVersion, { PolicyArn: ARN, PolicyDocument: policy(allow('*')) }))).resolves.toMatchObject({ code: 'AccessDenied' });
  });

  it('does nothing when the package version is the one recorded', async () => {
    const load = jest.fn(async () => first());
    await expect(sync.sync('1.0.0', load)).resolves.toMatchObject({ version: null, policiesAdded: 0, versionsAdded: 0 });
    expect(load).not.toHaveBeenCalled();
  });

  it('attaches catalogue policies to users and decides with their default version', async () => {
    const user = h.identity.create('catalogue-user');
    await h.bus.send(P.AttachUserPolicy, { UserName: 'catalogue-user', PolicyArn: ARN });
    await expect(authorize(user.UserId, 's3:GetObject')).resolves.toBe('allowed');
    await expect(authorize(user.UserId, 's3:ListBucket')).resolves.toBe('implicitDeny');
  });

  it('on upgrade adds versions, moves the default forward and reports it, never rewrites a version nor drops a policy', async () => {
    const user = h.identity.create('upgraded-user');
    await h.bus.send(P.AttachUserPolicy, { UserName: 'upgraded-user', PolicyArn: 'arn:aws:iam::aws:policy/job-function/ExampleViewer' });

    const result = await sync.sync('2.0.0', async () => second());
    expect(result).toEqual({
      version: '2.0.0',
      policiesAdded: 0,
      versionsAdded: 1,
      defaultsMoved: [{ arn: ARN, from: 'v2', to: 'v3', attachments: 1 }],
      policiesKept: 5,
    });
    await expect(h.bus.send(P.GetPolicy, { PolicyArn: ARN })).resolves.toMatchObject({
      Policy: { DefaultVersionId: 'v3', UpdateDate: '2021-06-01T00:00:00.000Z', AttachmentCount: 1 },
    });
    // v1 keeps the text it was stored with.
    await expect(h.bus.send(P.GetPolicyVersion, { PolicyArn: ARN, VersionId: 'v1' })).resolves.toMatchObject({
      PolicyVersion: { Document: JSON.stringify(doc('s3:ListBucket'), null, 4) },
    });
    // The dropped job function stays, attached and in force.
    await expect(authorize(user.UserId, 'ec2:DescribeInstances')).resolves.toBe('allowed');
    // The attachment now means the new default, as in AWS.
    const attached = await h.bus.send(P.ListEntitiesForPolicy, { PolicyArn: ARN });
    expect(attached.PolicyUsers.map((u) => u.UserName)).toEqual(['catalogue-user']);
  });

  it('never moves a default version backwards', async () => {
    const older = second().map((p) => ({ ...p, defaultVersionId: 'v2' }));
    const result = await sync.sync('3.0.0', async () => older);
    expect(result.defaultsMoved).toEqual([]);
    await expect(h.bus.send(P.GetPolicy, { PolicyArn: ARN })).resolves.toMatchObject({ Policy: { DefaultVersionId: 'v3' } });
  });

  it('stores the whole installed package: every policy pages out with Scope=AWS, every version compiles', async () => {
    const catalogue = await loadCatalogue();
    expect(catalogue.length).toBeGreaterThan(1000);
    // Every version compiles as decisions compile stored documents (AWS's own policies need not
    // pass the checks a customer's new document gets: root-task policies name `arn:aws:iam::*:root`).
    const refused = catalogue.flatMap((p) =>
      p.versions.flatMap((v) => {
        try {
          compileDocument(v.document, { id: p.policyId }, { stored: true });
          return [];
        } catch (error) {
          return [`${p.arn} ${v.versionId}: ${(error as Error).message}`];
        }
      }),
    );
    expect(refused).toEqual([]);

    const result = await sync.sync(cataloguePackageVersion(), async () => catalogue);
    expect(result.version).toBe(cataloguePackageVersion());
    const ids = new Set(catalogue.map((p) => p.policyId));
    expect(ids.size).toBe(catalogue.length);

    const listed: Policy[] = [];
    let Marker: string | undefined;
    do {
      const page = await h.bus.send(P.ListPolicies, { Scope: 'AWS', MaxItems: 1000, ...(Marker ? { Marker } : {}) });
      listed.push(...page.Policies);
      Marker = page.IsTruncated ? page.Marker : undefined;
    } while (Marker);
    const shipped = new Set(catalogue.map((p) => p.arn));
    // Everything shipped, plus the two test policies of the earlier cases that the package does not ship.
    expect(listed.filter((p) => shipped.has(p.Arn))).toHaveLength(catalogue.length);
    expect(listed.filter((p) => !shipped.has(p.Arn)).map((p) => p.Arn).sort()).toEqual([
      'arn:aws:iam::aws:policy/job-function/ExampleViewer',
      ARN,
    ]);
    const readOnly = catalogue.find((p) => p.name === 'ReadOnlyAccess') as CataloguePolicy;
    await expect(h.bus.send(P.GetPolicy, { PolicyArn: 'arn:aws:iam::aws:policy/ReadOnlyAccess' })).resolves.toMatchObject({
      Policy: { Path: '/', DefaultVersionId: readOnly.defaultVersionId, CreateDate: readOnly.createDate, UpdateDate: readOnly.updateDate },
    });
    const roles = await h.bus.send(P.ListPolicies, { Scope: 'AWS', PathPrefix: '/service-role/', MaxItems: 1000 });
    expect(roles.Policies.length).toBeGreaterThan(100);
    expect(roles.Policies.every((p) => p.Path === '/service-role/')).toBe(true);
    await expect(h.bus.send(P.GetPolicy, { PolicyArn: 'arn:aws:iam::aws:policy/job-function/ViewOnlyAccess' })).resolves.toMatchObject({
      Policy: { Path: '/job-function/', PolicyName: 'ViewOnlyAccess' },
    });

    const viewer = h.identity.create('power-user');
    await h.bus.send(P.AttachUserPolicy, { UserName: 'power-user', PolicyArn: 'arn:aws:iam::aws:policy/PowerUserAccess' });
    await expect(authorize(viewer.UserId, 's3:GetObject')).resolves.toBe('allowed');
    await expect(authorize(viewer.UserId, 'iam:CreateUser')).resolves.toBe('implicitDeny');
  });
});
