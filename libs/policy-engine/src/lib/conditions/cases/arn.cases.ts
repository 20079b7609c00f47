import { CaseTable, OPERATORS_PAGE } from './case';

const topic = 'arn:aws:sns:us-east-2:123456789012:TOPIC-ID';

export const arnCases: CaseTable = {
  family: 'ARN',
  source: OPERATORS_PAGE,
  cases: [
    { name: 'ArnEquals: aws:SourceArn is the topic', condition: { ArnEquals: { 'aws:SourceArn': topic } }, context: { 'aws:SourceArn': topic }, holds: true },
    { name: 'ArnEquals: another topic', condition: { ArnEquals: { 'aws:SourceArn': topic } }, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-2:123456789012:OTHER' }, holds: false },
    { name: 'ArnEquals: "an IAM user attempts this directly" (key absent)', condition: { ArnEquals: { 'aws:SourceArn': topic } }, context: {}, holds: false },
    { name: 'ArnEquals and ArnLike behave identically (wildcards)', condition: { ArnEquals: { 'aws:SourceArn': 'arn:aws:sns:*:123456789012:*' } }, context: { 'aws:SourceArn': topic }, holds: true },
    { name: 'ArnLike: case-sensitive', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-2:123456789012:topic-id' } }, context: { 'aws:SourceArn': topic }, holds: false },
    { name: 'ArnLike: the documented mismatch, * stays within its component', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:someservice:*:111122223333:finance/*' } }, context: { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt' }, holds: false },
    { name: 'StringLike on the same values succeeds, as documented', condition: { StringLike: { 'aws:SourceArn': 'arn:aws:someservice:*:111122223333:finance/*' } }, context: { 'aws:SourceArn': 'arn:aws:someservice:us-east-2:999999999999:store/abc:111122223333:finance/document.txt' }, holds: true },
    { name: 'ArnLike: the resource component may contain colons', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:123456789012:log-group:*' } }, context: { 'aws:SourceArn': 'arn:aws:logs:us-east-1:123456789012:log-group:/app:log-stream:x' }, holds: true },
    { name: 'ArnLike: ? matches one character of a component', condition: { ArnLike: { 'aws:SourceArn': 'arn:aws:sns:us-east-?:123456789012:TOPIC-ID' } }, context: { 'aws:SourceArn': topic }, holds: true },
    { name: 'ArnNotEquals: other ARN', condition: { ArnNotEquals: { 'aws:SourceArn': topic } }, context: { 'aws:SourceArn': 'arn:aws:sns:us-east-2:123456789012:OTHER' }, holds: true },
    { name: 'ArnNotLike: matching ARN', condition: { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, context: { 'aws:SourceArn': topic }, holds: false },
    { name: 'ArnNotLike: missing key is true ("the condition is true")', condition: { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, context: {}, holds: true },
    { name: 'a request value that is not an ARN matches neither form', condition: { ArnNotLike: { 'aws:SourceArn': 'arn:aws:sns:*:*:*' } }, context: { 'aws:SourceArn': 'not-an-arn' }, holds: false },
  ],
};
