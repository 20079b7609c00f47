import { CaseTable, OPERATORS_PAGE } from './case';

const instanceType = { StringLikeIfExists: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } };

export const ifExistsCases: CaseTable = {
  family: '...IfExists and Null',
  source: OPERATORS_PAGE,
  cases: [
    { name: 'StringLikeIfExists: instance type allowed', condition: instanceType, context: { 'ec2:InstanceType': 't2.micro' }, holds: true },
    { name: 'StringLikeIfExists: instance type not allowed', condition: instanceType, context: { 'ec2:InstanceType': 'c5.large' }, holds: false },
    { name: "StringLikeIfExists: resource without the key (\"don't worry about it\")", condition: instanceType, context: {}, holds: true },
    { name: 'StringLike without IfExists: resource without the key fails', condition: { StringLike: { 'ec2:InstanceType': ['t1.*'] } }, context: {}, holds: false },
    { name: 'StringNotEqualsIfExists: missing tag is still true', condition: { StringNotEqualsIfExists: { 'aws:ResourceTag/team': 'red' } }, context: {}, holds: true },
    { name: 'NumericLessThanIfExists: present and too large', condition: { NumericLessThanIfExists: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '20' }, holds: false },
    { name: 'IpAddressIfExists: missing', condition: { IpAddressIfExists: { 'aws:SourceIp': '10.0.0.0/8' } }, context: {}, holds: true },
    { name: 'operator names ignore letter case', condition: { stringlikeifexists: { 'ec2:InstanceType': 't2.*' } }, context: { 'ec2:InstanceType': 't2.nano' }, holds: true },
    // Null: "the user must not be using temporary credentials"
    { name: 'Null true: key absent (long-term credentials)', condition: { Null: { 'aws:TokenIssueTime': 'true' } }, context: {}, holds: true },
    { name: 'Null true: key present (temporary credentials)', condition: { Null: { 'aws:TokenIssueTime': 'true' } }, context: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' }, holds: false },
    { name: 'Null false: key present', condition: { Null: { 'aws:TokenIssueTime': 'false' } }, context: { 'aws:TokenIssueTime': '2020-01-01T00:00:00Z' }, holds: true },
    { name: 'Null false: key absent', condition: { Null: { 'aws:TokenIssueTime': 'false' } }, context: {}, holds: false },
    { name: 'Null: JSON boolean and letter case', condition: { Null: { 'aws:TokenIssueTime': true, 'aws:SourceIp': 'FALSE' } }, context: { 'aws:SourceIp': '10.0.0.1' }, holds: true },
    { name: 'Null false: multivalued key present', condition: { Null: { 'aws:TagKeys': 'false' } }, context: { 'aws:TagKeys': ['a', 'b'] }, holds: true },
    { name: 'Null true: an empty list is no value', condition: { Null: { 'aws:TagKeys': 'true' } }, context: { 'aws:TagKeys': [] }, holds: true },
    { name: 'several operators and keys are AND: all hold', condition: { StringEquals: { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'red' }, Bool: { 'aws:SecureTransport': 'true' } }, context: { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'red', 'aws:SecureTransport': 'true' }, holds: true },
    { name: 'several keys are AND: one fails', condition: { StringEquals: { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'red' } }, context: { 'aws:username': 'alice', 'aws:PrincipalTag/team': 'blue' }, holds: false },
    { name: 'several operators are AND: one fails', condition: { StringEquals: { 'aws:username': 'alice' }, Bool: { 'aws:SecureTransport': 'true' } }, context: { 'aws:username': 'alice', 'aws:SecureTransport': 'false' }, holds: false },
    { name: 'an empty Condition block holds', condition: {}, context: {}, holds: true },
  ],
};
