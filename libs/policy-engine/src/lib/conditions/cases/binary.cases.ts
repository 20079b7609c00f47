import { CaseTable, OPERATORS_PAGE } from './case';

export const binaryCases: CaseTable = {
  family: 'Binary',
  source: OPERATORS_PAGE,
  cases: [
    { name: 'BinaryEquals: same bytes', condition: { BinaryEquals: { 'test:blob': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, context: { 'test:blob': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' }, holds: true },
    { name: 'BinaryEquals: byte for byte, padding aside', condition: { BinaryEquals: { 'test:blob': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, context: { 'test:blob': 'QmluYXJ5VmFsdWVJbkJhc2U2NA' }, holds: true },
    { name: 'BinaryEquals: other bytes', condition: { BinaryEquals: { 'test:blob': 'QmluYXJ5VmFsdWVJbkJhc2U2NA==' } }, context: { 'test:blob': 'T3RoZXJWYWx1ZQ==' }, holds: false },
    { name: 'BinaryEquals: missing key', condition: { BinaryEquals: { 'test:blob': 'QQ==' } }, context: {}, holds: false },
    { name: 'BinaryEquals: request value that is not base64', condition: { BinaryEquals: { 'test:blob': 'QQ==' } }, context: { 'test:blob': 'not base64!' }, holds: false },
  ],
};
