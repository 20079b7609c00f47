/** The REST API's shapes the console reads (AWS's member names). */
export interface User {
  UserName: string;
  UserId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
  PasswordLastUsed?: string;
  Tags?: Tag[];
}
export interface Tag {
  Key: string;
  Value: string;
}
export interface Group {
  GroupName: string;
  GroupId: string;
  Path: string;
  Arn: string;
  CreateDate: string;
}
export interface AccessKey {
  UserName: string;
  AccessKeyId: string;
  Status: 'Active' | 'Inactive';
  CreateDate: string;
  SecretAccessKey?: string;
}
export interface AttachedPolicy {
  PolicyName: string;
  PolicyArn: string;
}
export interface ManagedPolicy {
  PolicyName: string;
  PolicyId: string;
  Arn: string;
  Path: string;
  DefaultVersionId: string;
  AttachmentCount: number;
  Description?: string;
  CreateDate: string;
  UpdateDate: string;
}
export interface PolicyVersion {
  VersionId: string;
  IsDefaultVersion: boolean;
  CreateDate: string;
  Document?: string;
}
export interface PermissionSource {
  Via: 'direct' | 'group';
  GroupName?: string;
  PolicyType: string;
  PolicyId: string;
  PolicyName: string;
  PolicyArn?: string;
  VersionId?: string;
  Statements: Array<{ StatementIndex: number; Sid?: string; Effect: 'Allow' | 'Deny'; Statement: string }>;
}
export interface UserOverview {
  User: User;
  Groups?: Group[];
  AccessKeys?: AccessKey[];
  LoginProfile?: { Enabled: boolean; CreateDate?: string; PasswordResetRequired?: boolean };
  AttachedPolicies?: AttachedPolicy[];
  InlinePolicyNames?: string[];
  EffectivePermissions?: PermissionSource[];
}
export interface AccessGrant {
  Via: 'direct' | 'group';
  GroupName?: string;
  PolicyType: string;
  PolicyId: string;
  PolicyName: string;
  PolicyArn?: string;
  VersionId?: string;
  Sid?: string;
  StatementIndex: number;
  Conditional: boolean;
}
export interface WhoCanPrincipal {
  UserName: string;
  UserId: string;
  Path: string;
  Arn: string;
  Verdict: 'allowed' | 'denied' | 'conditional';
  Grants?: AccessGrant[];
  Denials?: AccessGrant[];
}
