import { defineShape, type Shape } from '@iam/aws-protocol';
import { AwsStrings, CONTEXT_KEY_TYPES, MAX_ITEMS, MAX_TAGS } from '@iam/contracts';

/**
 * Input shapes of the IAM API model (`@length`, `@pattern`, `@range`, `@enum`), shared by the
 * operations. Both fronts validate with them: the Query front while decoding `member.N`
 * parameters, the REST front on the JSON body. Their rules are the contracts' `AwsStrings`, the
 * ones the services validate with: `validation-agreement.spec.ts` checks that both validators
 * answer alike on every member an operation forwards.
 */
export const Shapes = {
  userName: defineShape({ type: 'string', ...AwsStrings.userName }),
  existingUserName: defineShape({ type: 'string', ...AwsStrings.existingUserName }),
  groupName: defineShape({ type: 'string', ...AwsStrings.groupName }),
  policyName: defineShape({ type: 'string', ...AwsStrings.policyName }),
  path: defineShape({ type: 'string', ...AwsStrings.path }),
  pathPrefix: defineShape({ type: 'string', ...AwsStrings.pathPrefix }),
  policyPath: defineShape({ type: 'string', ...AwsStrings.policyPath }),
  policyPathPrefix: defineShape({ type: 'string', ...AwsStrings.policyPath }),
  arn: defineShape({ type: 'string', ...AwsStrings.arn }),
  marker: defineShape({ type: 'string', ...AwsStrings.marker }),
  maxItems: defineShape({ type: 'integer', ...MAX_ITEMS }),
  accessKeyId: defineShape({ type: 'string', ...AwsStrings.accessKeyId }),
  password: defineShape({ type: 'string', ...AwsStrings.password, sensitive: true }),
  offeredPassword: defineShape({ type: 'string', ...AwsStrings.offeredPassword, sensitive: true }),
  policyDocument: defineShape({ type: 'string', ...AwsStrings.policyDocument }),
  policyVersionId: defineShape({ type: 'string', ...AwsStrings.policyVersionId }),
  policyDescription: defineShape({ type: 'string', ...AwsStrings.policyDescription }),
  tagKey: defineShape({ type: 'string', ...AwsStrings.tagKey }),
  tagValue: defineShape({ type: 'string', ...AwsStrings.tagValue }),
  actionName: defineShape({ type: 'string', ...AwsStrings.actionName }),
  resourceName: defineShape({ type: 'string', ...AwsStrings.resourceName }),
  contextKeyName: defineShape({ type: 'string', ...AwsStrings.contextKeyName }),
  accountAlias: defineShape({ type: 'string', ...AwsStrings.accountAlias }),
} as const;

export const TagShape = defineShape({
  type: 'structure',
  members: { Key: { ...Shapes.tagKey, required: true }, Value: { ...Shapes.tagValue, required: true } },
});
export const TagList = defineShape({ type: 'list', member: TagShape, max: MAX_TAGS });
export const TagKeyList = defineShape({ type: 'list', member: Shapes.tagKey, max: MAX_TAGS });

/** `Marker` and `MaxItems`, the members of every paginated operation. */
export const PageMembers = {
  Marker: Shapes.marker,
  MaxItems: Shapes.maxItems,
} as const;

export const ContextEntryShape = defineShape({
  type: 'structure',
  members: {
    ContextKeyName: { ...Shapes.contextKeyName, required: true },
    ContextKeyValues: { type: 'list', member: { type: 'string', ...AwsStrings.contextKeyValue }, max: 256, required: true },
    ContextKeyType: { required: true, type: 'string', enum: CONTEXT_KEY_TYPES },
  },
});

/** Shapes of replies, for the OpenAPI document (the XML and JSON writers take plain values). */
const text = { type: 'string' } as const;
const timestamp = { type: 'timestamp' } as const;
const bool = { type: 'boolean' } as const;
const int = { type: 'integer' } as const;

export const Out = {
  text,
  timestamp,
  bool,
  int,
  list: <M extends Shape>(member: M) => ({ type: 'list', member }) as const,
  struct: <M extends Record<string, Shape>>(members: M) => ({ type: 'structure', members }) as const,
};

export const TagOut = Out.struct({ Key: text, Value: text });
export const UserOut = Out.struct({
  Path: text,
  UserName: text,
  UserId: text,
  Arn: text,
  CreateDate: timestamp,
  PasswordLastUsed: timestamp,
  Tags: Out.list(TagOut),
});
export const GroupOut = Out.struct({ Path: text, GroupName: text, GroupId: text, Arn: text, CreateDate: timestamp });
export const PolicyOut = Out.struct({
  PolicyName: text,
  PolicyId: text,
  Arn: text,
  Path: text,
  DefaultVersionId: text,
  AttachmentCount: int,
  PermissionsBoundaryUsageCount: int,
  IsAttachable: bool,
  Description: text,
  CreateDate: timestamp,
  UpdateDate: timestamp,
  Tags: Out.list(TagOut),
});
export const PolicyVersionOut = Out.struct({ Document: text, VersionId: text, IsDefaultVersion: bool, CreateDate: timestamp });
export const AttachedPolicyOut = Out.struct({ PolicyName: text, PolicyArn: text });
export const AccessKeyMetadataOut = Out.struct({ UserName: text, AccessKeyId: text, Status: text, CreateDate: timestamp });
export const LoginProfileOut = Out.struct({ UserName: text, CreateDate: timestamp, PasswordResetRequired: bool });
export const PageOut = { IsTruncated: bool, Marker: text, nextCursor: text } as const;
