import { CaseTable, OPERATORS_PAGE } from './case';

// "the requester can list up to 10 objects": NumericLessThanEquals s3:max-keys 10
const maxKeys = { NumericLessThanEquals: { 's3:max-keys': '10' } };

export const numericCases: CaseTable = {
  family: 'Numeric',
  source: OPERATORS_PAGE,
  cases: [
    { name: 'NumericLessThanEquals: 10 <= 10', condition: maxKeys, context: { 's3:max-keys': '10' }, holds: true },
    { name: 'NumericLessThanEquals: 7 <= 10', condition: maxKeys, context: { 's3:max-keys': '7' }, holds: true },
    { name: 'NumericLessThanEquals: 11 > 10', condition: maxKeys, context: { 's3:max-keys': '11' }, holds: false },
    { name: 'NumericLessThanEquals: missing key', condition: maxKeys, context: {}, holds: false },
    { name: 'NumericLessThanEquals: JSON number in the policy', condition: { NumericLessThanEquals: { 's3:max-keys': 10 } }, context: { 's3:max-keys': '10' }, holds: true },
    { name: 'NumericEquals: decimal and integer forms', condition: { NumericEquals: { 's3:max-keys': '10.0' } }, context: { 's3:max-keys': '10' }, holds: true },
    { name: 'NumericEquals: different numbers', condition: { NumericEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '100' }, holds: false },
    { name: 'NumericEquals: compares numbers, not text', condition: { NumericEquals: { 's3:max-keys': '007' } }, context: { 's3:max-keys': '7' }, holds: true },
    { name: 'NumericNotEquals: different', condition: { NumericNotEquals: { 's3:max-keys': ['1', '2'] } }, context: { 's3:max-keys': '3' }, holds: true },
    { name: 'NumericNotEquals: equal to one value', condition: { NumericNotEquals: { 's3:max-keys': ['1', '2'] } }, context: { 's3:max-keys': '2' }, holds: false },
    { name: 'NumericNotEquals: missing key is true', condition: { NumericNotEquals: { 's3:max-keys': '1' } }, context: {}, holds: true },
    { name: 'NumericLessThan: 9 < 10', condition: { NumericLessThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '9' }, holds: true },
    { name: 'NumericLessThan: 10 is not < 10', condition: { NumericLessThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '10' }, holds: false },
    { name: 'NumericGreaterThan: 10.5 > 10', condition: { NumericGreaterThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': '10.5' }, holds: true },
    { name: 'NumericGreaterThan: negative numbers', condition: { NumericGreaterThan: { 'test:n': '-5' } }, context: { 'test:n': '-4' }, holds: true },
    { name: 'NumericGreaterThanEquals: equal', condition: { NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }, context: { 'aws:MultiFactorAuthAge': '3600' }, holds: true },
    { name: 'NumericGreaterThanEquals: smaller', condition: { NumericGreaterThanEquals: { 'aws:MultiFactorAuthAge': '3600' } }, context: { 'aws:MultiFactorAuthAge': '3599' }, holds: false },
    { name: 'a request value that is not a number never matches', condition: { NumericLessThan: { 's3:max-keys': '10' } }, context: { 's3:max-keys': 'five' }, holds: false },
    { name: 'NumericNotEquals: a value that is not a number is not "not equal"', condition: { NumericNotEquals: { 's3:max-keys': '10' } }, context: { 's3:max-keys': 'five' }, holds: false },
    { name: 'a policy value that is not a number never matches', condition: { NumericEquals: { 's3:max-keys': 'ten' } }, context: { 's3:max-keys': '10' }, holds: false },
  ],
};
