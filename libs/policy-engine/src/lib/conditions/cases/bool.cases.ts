import { CaseTable, OPERATORS_PAGE } from './case';

export const boolCases: CaseTable = {
  family: 'Boolean',
  source: OPERATORS_PAGE,
  cases: [
    // BooleanExample: deny S3 when the request is not over SSL
    { name: 'Bool: aws:SecureTransport false matches "false"', condition: { Bool: { 'aws:SecureTransport': 'false' } }, context: { 'aws:SecureTransport': 'false' }, holds: true },
    { name: 'Bool: request over TLS does not match "false"', condition: { Bool: { 'aws:SecureTransport': 'false' } }, context: { 'aws:SecureTransport': 'true' }, holds: false },
    { name: 'Bool: letter case does not matter', condition: { Bool: { 'aws:SecureTransport': 'True' } }, context: { 'aws:SecureTransport': 'TRUE' }, holds: true },
    { name: 'Bool: JSON boolean in the policy', condition: { Bool: { 'aws:SecureTransport': true } }, context: { 'aws:SecureTransport': 'true' }, holds: true },
    { name: 'Bool: missing key', condition: { Bool: { 'aws:MultiFactorAuthPresent': 'false' } }, context: {}, holds: false },
    { name: 'BoolIfExists: missing key', condition: { BoolIfExists: { 'aws:MultiFactorAuthPresent': 'false' } }, context: {}, holds: true },
    { name: 'Bool: a request value that is not a boolean never matches', condition: { Bool: { 'aws:SecureTransport': 'true' } }, context: { 'aws:SecureTransport': 'yes' }, holds: false },
    { name: 'Bool: a policy value that is not a boolean never matches', condition: { Bool: { 'aws:SecureTransport': 'yes' } }, context: { 'aws:SecureTransport': 'true' }, holds: false },
  ],
};
