/**
 * The AWS managed policies this system offers, read-only, at
 * `arn:aws:iam::aws:policy/NAME`, with the ids, default versions, dates and
 * documents AWS publishes for them (AWS Managed Policy Reference Guide).
 * Only the default version of each is kept.
 */
export interface AwsManagedPolicy {
  readonly name: string;
  readonly policyId: string;
  readonly description: string;
  readonly versionId: string;
  readonly createDate: string;
  readonly updateDate: string;
  readonly document: string;
}

const doc = (statements: object[]) => JSON.stringify({ Version: '2012-10-17', Statement: statements }, null, 4);

export const AWS_MANAGED_POLICIES: readonly AwsManagedPolicy[] = [
  {
    name: 'AdministratorAccess',
    policyId: 'ANPAIWMBCKSKIEE64ZLYK',
    description: 'Provides full access to AWS services and resources.',
    versionId: 'v1',
    createDate: '2015-02-06T18:39:46Z',
    updateDate: '2015-02-06T18:39:46Z',
    document: doc([{ Effect: 'Allow', Action: '*', Resource: '*' }]),
  },
  {
    name: 'IAMFullAccess',
    policyId: 'ANPAI7XKCFMBPM3QQRRVQ',
    description: 'Provides full access to IAM via the AWS Management Console.',
    versionId: 'v2',
    createDate: '2015-02-06T18:40:00Z',
    updateDate: '2019-06-21T19:40:00Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: [
          'iam:*',
          'organizations:DescribeAccount',
          'organizations:DescribeOrganization',
          'organizations:DescribeOrganizationalUnit',
          'organizations:DescribePolicy',
          'organizations:ListChildren',
          'organizations:ListParents',
          'organizations:ListPoliciesForTarget',
          'organizations:ListRoots',
          'organizations:ListPolicies',
          'organizations:ListTargetsForPolicy',
        ],
        Resource: '*',
      },
    ]),
  },
  {
    name: 'IAMReadOnlyAccess',
    policyId: 'ANPAJKSO7NDY4T57MWDSQ',
    description: 'Provides read only access to IAM via the AWS Management Console.',
    versionId: 'v4',
    createDate: '2015-02-06T18:40:00Z',
    updateDate: '2018-01-25T19:11:27Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: [
          'iam:GenerateCredentialReport',
          'iam:GenerateServiceLastAccessedDetails',
          'iam:Get*',
          'iam:List*',
          'iam:SimulateCustomPolicy',
          'iam:SimulatePrincipalPolicy',
        ],
        Resource: '*',
      },
    ]),
  },
  {
    name: 'IAMUserChangePassword',
    policyId: 'ANPAJ4L4MM2A7QIEB56MS',
    description: 'Provides the ability for an IAM user to change their own password.',
    versionId: 'v3',
    createDate: '2016-11-15T00:25:00Z',
    updateDate: '2025-05-29T21:52:00Z',
    document: doc([
      {
        Effect: 'Allow',
        Action: ['iam:ChangePassword'],
        Resource: ['arn:aws:iam::*:user/${aws:username}', 'arn:aws:iam::*:user/*/${aws:username}'],
      },
      { Effect: 'Allow', Action: ['iam:GetAccountPasswordPolicy'], Resource: '*' },
    ]),
  },
];

/** The pseudo account of AWS managed policies in their ARNs. */
export const AWS_ACCOUNT = 'aws';
