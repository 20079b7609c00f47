import { CaseTable, OPERATORS_PAGE } from './case';

// "the temporary security credentials used to make the request were issued in 2020"
const issued = { DateGreaterThan: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' } };

export const dateCases: CaseTable = {
  family: 'Date',
  source: OPERATORS_PAGE,
  cases: [
    { name: 'DateGreaterThan: issued later', condition: issued, context: { 'aws:TokenIssueTime': '2020-06-01T12:00:00Z' }, holds: true },
    { name: 'DateGreaterThan: issued earlier', condition: issued, context: { 'aws:TokenIssueTime': '2019-12-31T23:59:59Z' }, holds: false },
    { name: 'DateGreaterThan: same instant is not greater', condition: issued, context: { 'aws:TokenIssueTime': '2020-01-01T00:00:01Z' }, holds: false },
    { name: 'DateGreaterThan: key absent with access keys ("the request is denied")', condition: issued, context: {}, holds: false },
    { name: 'epoch (UNIX) time in the request', condition: issued, context: { 'aws:TokenIssueTime': '1577836802' }, holds: true },
    { name: 'epoch (UNIX) time in the policy', condition: { DateLessThan: { 'aws:CurrentTime': '1577836800' } }, context: { 'aws:CurrentTime': '2019-12-31T23:59:59Z' }, holds: true },
    { name: 'DateEquals: epoch and ISO 8601 of the same instant', condition: { DateEquals: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' } }, context: { 'aws:CurrentTime': '1577836800' }, holds: true },
    { name: 'DateEquals: time zone offsets', condition: { DateEquals: { 'aws:CurrentTime': '2020-01-01T02:00:00+02:00' } }, context: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' }, holds: true },
    { name: 'DateEquals: date-only is midnight UTC', condition: { DateEquals: { 'aws:CurrentTime': '2020-01-01' } }, context: { 'aws:CurrentTime': '2020-01-01T00:00:00Z' }, holds: true },
    { name: 'DateEquals: fractional seconds', condition: { DateEquals: { 'aws:CurrentTime': '2020-01-01T00:00:00.500Z' } }, context: { 'aws:CurrentTime': '2020-01-01T00:00:00.5Z' }, holds: true },
    { name: 'DateNotEquals: another day', condition: { DateNotEquals: { 'aws:CurrentTime': ['2020-01-01', '2020-01-02'] } }, context: { 'aws:CurrentTime': '2020-01-03T00:00:00Z' }, holds: true },
    { name: 'DateNotEquals: one of the values', condition: { DateNotEquals: { 'aws:CurrentTime': ['2020-01-01', '2020-01-02'] } }, context: { 'aws:CurrentTime': '2020-01-02T00:00:00Z' }, holds: false },
    { name: 'DateNotEquals: missing key is true', condition: { DateNotEquals: { 'aws:CurrentTime': '2020-01-01' } }, context: {}, holds: true },
    { name: 'DateLessThanEquals: equal', condition: { DateLessThanEquals: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, context: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, holds: true },
    { name: 'DateLessThan: later', condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, context: { 'aws:CurrentTime': '2030-01-01T00:00:01Z' }, holds: false },
    { name: 'DateGreaterThanEquals: equal', condition: { DateGreaterThanEquals: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' } }, context: { 'aws:CurrentTime': '2030-01-01T00:00:00Z' }, holds: true },
    { name: 'a request value that is not a date never matches', condition: { DateLessThan: { 'aws:CurrentTime': '2030-01-01' } }, context: { 'aws:CurrentTime': 'yesterday' }, holds: false },
    { name: 'DateNotEquals: a value that is not a date is not "not equal"', condition: { DateNotEquals: { 'aws:CurrentTime': '2030-01-01' } }, context: { 'aws:CurrentTime': 'yesterday' }, holds: false },
    { name: 'an impossible calendar date is not a date', condition: { DateLessThan: { 'aws:CurrentTime': '2030-02-30' } }, context: { 'aws:CurrentTime': '2020-01-01' }, holds: false },
  ],
};
