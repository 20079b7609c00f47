import { CaseTable, OPERATORS_PAGE } from './case';

export const stringCases: CaseTable = {
  family: 'String',
  source: OPERATORS_PAGE,
  cases: [
    // "the principal making the request must be tagged with the iamuser-admin job category"
    { name: 'StringEquals: tag equals', condition: { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, context: { 'aws:PrincipalTag/job-category': 'iamuser-admin' }, holds: true },
    { name: 'StringEquals: other value', condition: { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, context: { 'aws:PrincipalTag/job-category': 'developer' }, holds: false },
    { name: 'StringEquals: case-sensitive', condition: { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, context: { 'aws:PrincipalTag/job-category': 'IAMUser-Admin' }, holds: false },
    { name: 'StringEquals: "a user without the tag ... the condition returns false"', condition: { StringEquals: { 'aws:PrincipalTag/job-category': 'iamuser-admin' } }, context: {}, holds: false },
    { name: 'StringEquals: key names are case-insensitive', condition: { StringEquals: { 'AWS:PRINCIPALTAG/JOB-CATEGORY': 'iamuser-admin' } }, context: { 'aws:PrincipalTag/job-category': 'iamuser-admin' }, holds: true },
    { name: 'StringEquals: several values are OR', condition: { StringEquals: { 'aws:username': ['bob', 'alice'] } }, context: { 'aws:username': 'alice' }, holds: true },
    { name: 'StringEquals: no wildcards', condition: { StringEquals: { 'aws:username': 'al*' } }, context: { 'aws:username': 'alice' }, holds: false },
    { name: 'StringEquals: literal star', condition: { StringEquals: { 'aws:username': 'al*' } }, context: { 'aws:username': 'al*' }, holds: true },
    { name: 'StringEquals: multivalued key without set operator does not match', condition: { StringEquals: { 'aws:TagKeys': 'a' } }, context: { 'aws:TagKeys': ['a'] }, holds: false },
    // StringNotEquals
    { name: 'StringNotEquals: different value', condition: { StringNotEquals: { 'aws:username': 'bob' } }, context: { 'aws:username': 'alice' }, holds: true },
    { name: 'StringNotEquals: same value', condition: { StringNotEquals: { 'aws:username': 'alice' } }, context: { 'aws:username': 'alice' }, holds: false },
    { name: 'StringNotEquals: missing key is true ("the condition is true")', condition: { StringNotEquals: { 'aws:username': 'alice' } }, context: {}, holds: true },
    { name: 'StringNotEquals: several values must all differ (logical AND)', condition: { StringNotEquals: { 'aws:PrincipalAccount': ['111122223333', '444455556666'] } }, context: { 'aws:PrincipalAccount': '444455556666' }, holds: false },
    { name: 'StringNotEquals: differs from every value', condition: { StringNotEquals: { 'aws:PrincipalAccount': ['111122223333', '444455556666'] } }, context: { 'aws:PrincipalAccount': '777788889999' }, holds: true },
    { name: 'StringNotEquals: multivalued key without set operator does not match', condition: { StringNotEquals: { 'aws:TagKeys': 'x' } }, context: { 'aws:TagKeys': ['a', 'b'] }, holds: false },
    // IgnoreCase (Condition element page: users named john or John)
    { name: 'StringEqualsIgnoreCase: John matches john', condition: { StringEqualsIgnoreCase: { 'aws:username': 'john' } }, context: { 'aws:username': 'John' }, holds: true },
    { name: 'StringEqualsIgnoreCase: other name', condition: { StringEqualsIgnoreCase: { 'aws:username': 'john' } }, context: { 'aws:username': 'Joan' }, holds: false },
    { name: 'StringNotEqualsIgnoreCase: same name in other case', condition: { StringNotEqualsIgnoreCase: { 'aws:username': 'JOHN' } }, context: { 'aws:username': 'john' }, holds: false },
    { name: 'StringNotEqualsIgnoreCase: other name', condition: { StringNotEqualsIgnoreCase: { 'aws:username': 'JOHN' } }, context: { 'aws:username': 'mary' }, holds: true },
    { name: 'StringNotEqualsIgnoreCase: missing key', condition: { StringNotEqualsIgnoreCase: { 'aws:username': 'JOHN' } }, context: {}, holds: true },
    // StringLike: home directory example with a policy variable
    { name: 'StringLike: s3:prefix "" matches', condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/'] } }, context: { 's3:prefix': '', 'aws:username': 'alice' }, holds: true },
    { name: 'StringLike: s3:prefix home/alice/ with ${aws:username}', condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/'] } }, context: { 's3:prefix': 'home/alice/', 'aws:username': 'alice' }, holds: true },
    { name: "StringLike: s3:prefix home/bob/ is not alice's", condition: { StringLike: { 's3:prefix': ['', 'home/', 'home/${aws:username}/'] } }, context: { 's3:prefix': 'home/bob/', 'aws:username': 'alice' }, holds: false },
    { name: 'StringLike: * matches any run', condition: { StringLike: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } }, context: { 'ec2:InstanceType': 't2.micro' }, holds: true },
    { name: 'StringLike: * does not make a partial match without it', condition: { StringLike: { 'ec2:InstanceType': ['t1.*', 't2.*', 'm3.*'] } }, context: { 'ec2:InstanceType': 'c5.large' }, holds: false },
    { name: 'StringLike: ? matches one character', condition: { StringLike: { 'aws:username': 'al?ce' } }, context: { 'aws:username': 'alice' }, holds: true },
    { name: 'StringLike: ? needs exactly one character', condition: { StringLike: { 'aws:username': 'al?ce' } }, context: { 'aws:username': 'alce' }, holds: false },
    { name: 'StringLike: case-sensitive', condition: { StringLike: { 'aws:username': 'Al*' } }, context: { 'aws:username': 'alice' }, holds: false },
    { name: 'StringLike: missing key', condition: { StringLike: { 'aws:username': '*' } }, context: {}, holds: false },
    { name: 'StringNotLike: matching value', condition: { StringNotLike: { 'aws:username': 'a*' } }, context: { 'aws:username': 'alice' }, holds: false },
    { name: 'StringNotLike: value matching none of the patterns', condition: { StringNotLike: { 'aws:username': ['a*', 'b*'] } }, context: { 'aws:username': 'carol' }, holds: true },
    { name: 'StringNotLike: missing key is true', condition: { StringNotLike: { 'aws:username': 'a*' } }, context: {}, holds: true },
  ],
};
