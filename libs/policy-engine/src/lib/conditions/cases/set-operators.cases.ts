import { CaseTable, MULTIVALUE_PAGE } from './case';

const allowed = { 'ForAllValues:StringEquals': { 'dynamodb:Attributes': ['PostDateTime', 'Message', 'Tags'] } };
const forbidden = { 'ForAnyValue:StringEquals': { 'dynamodb:Attributes': ['ID', 'PostDateTime'] } };

export const setCases: CaseTable = {
  family: 'ForAllValues / ForAnyValue',
  source: MULTIVALUE_PAGE,
  cases: [
    { name: 'ForAllValues: Message and Tags are all in the list', condition: allowed, context: { 'dynamodb:Attributes': ['Message', 'Tags'] }, holds: true },
    { name: 'ForAllValues: UserName is not in the list', condition: allowed, context: { 'dynamodb:Attributes': ['PostDateTime', 'UserName'] }, holds: false },
    { name: 'ForAllValues: no key in the request is true', condition: allowed, context: {}, holds: true },
    { name: 'ForAllValues: an empty list is true', condition: allowed, context: { 'dynamodb:Attributes': [] }, holds: true },
    { name: 'ForAllValues: a single-valued key is a set of one', condition: allowed, context: { 'dynamodb:Attributes': 'Tags' }, holds: true },
    { name: 'ForAnyValue: PostDateTime is forbidden', condition: forbidden, context: { 'dynamodb:Attributes': ['UserName', 'Message', 'PostDateTime'] }, holds: true },
    { name: 'ForAnyValue: only UserName', condition: forbidden, context: { 'dynamodb:Attributes': ['UserName'] }, holds: false },
    { name: 'ForAnyValue: no key is false', condition: forbidden, context: {}, holds: false },
    { name: 'ForAnyValue: an empty list is false', condition: forbidden, context: { 'dynamodb:Attributes': [] }, holds: false },
    { name: 'ForAllValues:StringLike with wildcards (aws:TagKeys prefixes)', condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['key1*'] } }, context: { 'aws:TagKeys': ['key1a', 'key1b'] }, holds: true },
    { name: 'ForAllValues:StringLike: one tag key without the prefix', condition: { 'ForAllValues:StringLike': { 'aws:TagKeys': ['key1*'] } }, context: { 'aws:TagKeys': ['key1a', 'other'] }, holds: false },
    { name: 'ForAllValues:StringNotEquals: no request value is in the list', condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } }, context: { 'aws:TagKeys': ['c', 'd'] }, holds: true },
    { name: 'ForAllValues:StringNotEquals: one request value is in the list', condition: { 'ForAllValues:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } }, context: { 'aws:TagKeys': ['c', 'a'] }, holds: false },
    { name: 'ForAnyValue:StringNotEquals: some request value is outside the list', condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } }, context: { 'aws:TagKeys': ['a', 'z'] }, holds: true },
    { name: 'ForAnyValue:StringNotEquals: every request value is in the list', condition: { 'ForAnyValue:StringNotEquals': { 'aws:TagKeys': ['a', 'b'] } }, context: { 'aws:TagKeys': ['a', 'b'] }, holds: false },
    { name: 'ForAnyValue:StringEqualsIfExists: missing key is true ("If the key is not present, evaluate the condition element as true")', condition: { 'ForAnyValue:StringEqualsIfExists': { 'aws:TagKeys': 'a' } }, context: {}, holds: true },
    { name: 'ForAnyValue:NumericGreaterThan on numbers', condition: { 'ForAnyValue:NumericGreaterThan': { 'test:sizes': '100' } }, context: { 'test:sizes': ['5', '500'] }, holds: true },
    { name: 'ForAllValues:IpAddress on addresses', condition: { 'ForAllValues:IpAddress': { 'test:ips': '10.0.0.0/8' } }, context: { 'test:ips': ['10.1.1.1', '192.168.0.1'] }, holds: false },
    { name: 'set operator names ignore letter case', condition: { 'forallvalues:stringequals': { 'dynamodb:Attributes': ['Tags'] } }, context: { 'dynamodb:Attributes': ['Tags'] }, holds: true },
  ],
};
