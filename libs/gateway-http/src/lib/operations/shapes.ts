import { defineShape, type Shape } from '@iam/aws-protocol';

/**
 * Input shapes of the IAM API model (`@length`, `@pattern`, `@range`, `@enum`), shared by the
 * operations. Both fronts validate with them: the Query front while decoding `member.N`
 * parameters, the REST front on the JSON body.
 */
const NAME = '[\\w+=,.@-]+';

export const Shapes = {
  userName: defineShape({ type: 'string', min: 1, max: 64, pattern: NAME }),
  existingUserName: defineShape({ type: 'string', min: 1, max: 128, pattern: NAME }),
  groupName: defineShape({ type: 'string', min: 1, max: 128, pattern: NAME }),
  policyName: defineShape({ type: 'string', min: 1, max: 128, pattern: NAME }),
  path: defineShape({ type: 'string', min: 1, max: 512, pattern: '(\\u002F)|(\\u002F[\\u0021-\\u007E]+\\u002F)' }),
  pathPrefix: defineShape({ type: 'string', min: 1, max: 512, pattern: '\\u002F[\\u0021-\\u007F]*' }),
  policyPath: defineShape({ type: 'string', min: 1, max: 512, pattern: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/' }),
  policyPathPrefix: defineShape({ type: 'string', min: 1, max: 512, pattern: '((/[A-Za-z0-9\\.,\\+@=_-]+)*)/' }),
  arn: defineShape({ type: 'string', min: 20, max: 2048 }),
  marker: defineShape({ type: 'string', min: 1, max: 320, pattern: '[\\u0020-\\u00FF]+' }),
  maxItems: defineShape({ type: 'integer', min: 1, max: 1000 }),
  accessKeyId: defineShape({ type: 'string', min: 16, max: 128, pattern: '[\\w]+' }),
  status: defineShape({ type: 'string', enum: ['Active', 'Inactive', 'Expired'] }),
  password: defineShape({ type: 'string', min: 1, max: 128, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+', sensitive: true }),
  policyDocument: defineShape({ type: 'string', min: 1, max: 131072, pattern: '[\\u0009\\u000A\\u000D\\u0020-\\u00FF]+' }),
  policyVersionId: defineShape({ type: 'string', pattern: 'v[1-9][0-9]*(\\.[A-Za-z0-9-]*)?' }),
  policyDescription: defineShape({ type: 'string', min: 0, max: 1000 }),
  tagKey: defineShape({ type: 'string', min: 1, max: 128, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]+' }),
  tagValue: defineShape({ type: 'string', min: 0, max: 256, pattern: '[\\p{L}\\p{Z}\\p{N}_.:/=+\\-@]*' }),
  actionName: defineShape({ type: 'string', min: 3, max: 128 }),
  resourceName: defineShape({ type: 'string', min: 1, max: 2048 }),
  contextKeyName: defineShape({ type: 'string', min: 5, max: 256 }),
} as const;

export const TagShape = defineShape({
  type: 'structure',
  members: { Key: { ...Shapes.tagKey, required: true }, Value: { ...Shapes.tagValue, required: true } },
});
export const TagList = defineShape({ type: 'list', member: TagShape, max: 50 });
export const TagKeyList = defineShape({ type: 'list', member: Shapes.tagKey, max: 50 });

/** `Marker` and `MaxItems`, the members of every paginated operation. */
export const PageMembers = {
  Marker: Shapes.marker,
  MaxItems: Shapes.maxItems,
} as const;

export const ContextEntryShape = defineShape({
  type: 'structure',
  members: {
    ContextKeyName: { ...Shapes.contextKeyName, required: true },
    ContextKeyValues: { type: 'list', member: { type: 'string', max: 4096 }, max: 256, required: true },
    ContextKeyType: {
      required: true,
      type: 'string',
      enum: ['string', 'stringList', 'numeric', 'numericList', 'boolean', 'booleanList', 'ip', 'ipList', 'binary', 'binaryList', 'date', 'dateList'],
    },
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
