import { CaseTable, VARIABLES_PAGE } from './case';

export const variableCases: CaseTable = {
  family: 'Policy variables in conditions',
  source: VARIABLES_PAGE,
  cases: [
    { name: '${aws:username} resolves', condition: { StringEquals: { 's3:prefix': 'home/${aws:username}' } }, context: { 's3:prefix': 'home/alice', 'aws:username': 'alice' }, holds: true },
    { name: '${aws:PrincipalTag/Team} compares tag with tag', condition: { StringEquals: { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' } }, context: { 's3:ExistingObjectTag/Team': 'red', 'aws:PrincipalTag/Team': 'red' }, holds: true },
    { name: 'variable with no value: StringEquals does not match', condition: { StringEquals: { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' } }, context: { 's3:ExistingObjectTag/Team': 'red' }, holds: false },
    { name: 'variable with no value: StringNotEquals matches ("do match against a null value")', condition: { StringNotEquals: { 's3:ExistingObjectTag/Team': '${aws:PrincipalTag/Team}' } }, context: { 's3:ExistingObjectTag/Team': 'red' }, holds: true },
    { name: 'variable with no value: StringNotLike matches', condition: { StringNotLike: { 'aws:username': 'x${aws:PrincipalTag/Team}*' } }, context: { 'aws:username': 'alice' }, holds: true },
    { name: 'other values still match when one has no value', condition: { StringEquals: { 'aws:username': ['${aws:PrincipalTag/Team}', 'alice'] } }, context: { 'aws:username': 'alice' }, holds: true },
    { name: "default value: ${aws:PrincipalTag/team, 'company-wide'}", condition: { StringEquals: { 's3:prefix': "${aws:PrincipalTag/team, 'company-wide'}" } }, context: { 's3:prefix': 'company-wide' }, holds: true },
    { name: 'default value unused when the key has a value', condition: { StringEquals: { 's3:prefix': "${aws:PrincipalTag/team, 'company-wide'}" } }, context: { 's3:prefix': 'company-wide', 'aws:PrincipalTag/team': 'yellow' }, holds: false },
    { name: 'a multivalued key cannot be a variable', condition: { StringEquals: { 'aws:username': '${aws:TagKeys}' } }, context: { 'aws:username': 'a', 'aws:TagKeys': ['a'] }, holds: false },
    { name: 'resolved value is literal, not a wildcard', condition: { StringLike: { 'aws:username': '${aws:PrincipalTag/pattern}' } }, context: { 'aws:username': 'alice', 'aws:PrincipalTag/pattern': 'a*' }, holds: false },
    { name: '${*} is a literal *', condition: { StringLike: { 'aws:username': 'a${*}' } }, context: { 'aws:username': 'a*' }, holds: true },
    { name: '${*} does not act as a wildcard', condition: { StringLike: { 'aws:username': 'a${*}' } }, context: { 'aws:username': 'alice' }, holds: false },
    { name: '${?} is a literal ?', condition: { StringLike: { 'aws:username': 'a${?}' } }, context: { 'aws:username': 'a?' }, holds: true },
    { name: '${$} is a literal $', condition: { StringEquals: { 'aws:username': '${$}{aws:username}' } }, context: { 'aws:username': '${aws:username}' }, holds: true },
    { name: 'variable names are case-insensitive', condition: { StringEquals: { 'aws:username': '${AWS:UserName}' } }, context: { 'aws:username': 'alice' }, holds: true },
    { name: '2008-10-17: ${aws:username} is literal text', version: '2008-10-17', condition: { StringEquals: { 'aws:username': '${aws:username}' } }, context: { 'aws:username': 'alice' }, holds: false },
    { name: '2008-10-17: literal text can match', version: '2008-10-17', condition: { StringEquals: { 'aws:username': '${aws:username}' } }, context: { 'aws:username': '${aws:username}' }, holds: true },
    { name: 'Numeric operators take no variables', condition: { NumericEquals: { 's3:max-keys': '${aws:PrincipalTag/n}' } }, context: { 's3:max-keys': '5', 'aws:PrincipalTag/n': '5' }, holds: false },
    { name: 'Bool takes variables', condition: { Bool: { 'aws:SecureTransport': '${aws:PrincipalTag/tls}' } }, context: { 'aws:SecureTransport': 'true', 'aws:PrincipalTag/tls': 'TRUE' }, holds: true },
    { name: 'ArnLike takes variables', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:${aws:username}-*' } }, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-1:123456789012:alice-topic', 'aws:username': 'alice' }, holds: true },
    { name: 'StringEqualsIgnoreCase lower-cases resolved values', condition: { StringEqualsIgnoreCase: { 'aws:username': '${aws:PrincipalTag/Owner}' } }, context: { 'aws:username': 'alice', 'aws:PrincipalTag/Owner': 'ALICE' }, holds: true },
  ],
};
