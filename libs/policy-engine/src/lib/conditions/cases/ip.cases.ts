import { CaseTable, OPERATORS_PAGE } from './case';

const range = { IpAddress: { 'aws:SourceIp': '203.0.113.0/24' } };
const mixed = { IpAddress: { 'aws:SourceIp': ['203.0.113.0/24', '2001:DB8:1234:5678::/64'] } };

export const ipCases: CaseTable = {
  family: 'IP address',
  source: OPERATORS_PAGE,
  cases: [
    { name: 'IpAddress: 203.0.113.0/24 contains 203.0.113.7', condition: range, context: { 'aws:SourceIp': '203.0.113.7' }, holds: true },
    { name: 'IpAddress: range ends at 203.0.113.255', condition: range, context: { 'aws:SourceIp': '203.0.113.255' }, holds: true },
    { name: 'IpAddress: 203.0.114.1 is outside', condition: range, context: { 'aws:SourceIp': '203.0.114.1' }, holds: false },
    { name: 'IpAddress: missing key (VPC endpoint request)', condition: range, context: {}, holds: false },
    { name: 'IpAddress: mixed IPv4 and IPv6, IPv6 request', condition: mixed, context: { 'aws:SourceIp': '2001:db8:1234:5678::a' }, holds: true },
    { name: 'IpAddress: mixed IPv4 and IPv6, IPv6 outside', condition: mixed, context: { 'aws:SourceIp': '2001:db8:1234:5679::a' }, holds: false },
    { name: 'IpAddress: an address without prefix is /32', condition: { IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, context: { 'aws:SourceIp': '203.0.113.7' }, holds: true },
    { name: 'IpAddress: /32 excludes neighbours', condition: { IpAddress: { 'aws:SourceIp': '203.0.113.7' } }, context: { 'aws:SourceIp': '203.0.113.8' }, holds: false },
    { name: 'IpAddress: prefix not on a byte boundary', condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/12' } }, context: { 'aws:SourceIp': '10.15.255.255' }, holds: true },
    { name: 'IpAddress: just outside /12', condition: { IpAddress: { 'aws:SourceIp': '10.0.0.0/12' } }, context: { 'aws:SourceIp': '10.16.0.0' }, holds: false },
    { name: 'IpAddress: 0.0.0.0/0 contains every IPv4 address', condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, context: { 'aws:SourceIp': '198.51.100.1' }, holds: true },
    { name: 'IpAddress: an IPv4 block never contains an IPv6 address', condition: { IpAddress: { 'aws:SourceIp': '0.0.0.0/0' } }, context: { 'aws:SourceIp': '2001:db8::1' }, holds: false },
    { name: 'IpAddress: IPv6 letter case and zero compression', condition: { IpAddress: { 'aws:SourceIp': '2001:DB8::/32' } }, context: { 'aws:SourceIp': '2001:0db8:0000:0000:0000:0000:0000:0001' }, holds: true },
    { name: 'NotIpAddress: outside the range', condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, context: { 'aws:SourceIp': '198.51.100.1' }, holds: true },
    { name: 'NotIpAddress: inside one of the ranges', condition: { NotIpAddress: { 'aws:SourceIp': ['192.0.2.0/24', '203.0.113.0/24'] } }, context: { 'aws:SourceIp': '203.0.113.9' }, holds: false },
    { name: 'NotIpAddress: missing key is true', condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, context: {}, holds: true },
    { name: 'NotIpAddress: IPv6 request against IPv4 ranges', condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, context: { 'aws:SourceIp': '2001:db8::1' }, holds: true },
    { name: 'a request value that is not an address matches neither form', condition: { NotIpAddress: { 'aws:SourceIp': '203.0.113.0/24' } }, context: { 'aws:SourceIp': 'localhost' }, holds: false },
  ],
};
