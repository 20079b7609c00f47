/**
 * IP address operators (IAM User Guide, "Condition operators", IP address): `IpAddress`
 * matches an IPv4 or IPv6 address against CIDR blocks ("If you specify an IP address
 * without the associated routing prefix, IAM uses the default prefix value of /32");
 * `NotIpAddress` is its negation. An IPv4 address is never inside an IPv6 block and
 * the reverse. No policy variables.
 */
import { defineOperator, MATCH, negate, NO_MATCH, TYPE_MISMATCH } from './operator';
import { ipInBlock, IpValue, parseCidr } from './values';

export const IpAddress = defineOperator<IpValue | undefined>({
  name: 'IpAddress',
  negated: false,
  variables: false,
  compile: (raw) => parseCidr(raw),
  test(block, entry, index) {
    const ip = entry.ip(index);
    if (block === undefined || ip === undefined) return TYPE_MISMATCH;
    return ipInBlock(ip, block) ? MATCH : NO_MATCH;
  },
});

export const NotIpAddress = negate(IpAddress, 'NotIpAddress');
