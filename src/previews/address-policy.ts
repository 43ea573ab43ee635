import { BlockList, isIP } from 'node:net';

// Addresses a preview download must never reach (SSRF): loopback, RFC 1918 / ULA private ranges,
// link-local (cloud metadata at 169.254.169.254), CGNAT, multicast, unspecified, reserved and
// documentation ranges, in IPv4 and IPv6, incl. IPv4-mapped IPv6 (::ffff:127.0.0.1), which is
// checked as the IPv4 address it carries. node:net's BlockList does the CIDR arithmetic.

const blocked = new BlockList();
for (const [net, prefix] of [
  ['0.0.0.0', 8], ['10.0.0.0', 8], ['100.64.0.0', 10], ['169.254.0.0', 16], ['172.16.0.0', 12],
  ['192.0.0.0', 24], ['192.0.2.0', 24], ['192.168.0.0', 16], ['198.18.0.0', 15], ['198.51.100.0', 24],
  ['203.0.113.0', 24], ['224.0.0.0', 4], ['240.0.0.0', 4],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv4');
}
for (const [net, prefix] of [
  ['::', 96], ['64:ff9b::', 96], ['64:ff9b:1::', 48], ['100::', 64], ['2001:db8::', 32], ['fc00::', 7], ['fe80::', 10],
  ['fec0::', 10], ['ff00::', 8],
] as const) {
  blocked.addSubnet(net, prefix, 'ipv6');
}
const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

export type AddressVerdict = 'public' | 'loopback' | 'private';

/** Classifies an IP literal; anything that is not a public unicast address is not 'public'. */
export function classifyAddress(address: string): AddressVerdict {
  let ip = address.replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip);
  if (mapped?.[1]) ip = mapped[1];
  else if (/^::ffff:[0-9a-f]{1,4}:[0-9a-f]{1,4}$/i.test(ip)) ip = mappedHexToIpv4(ip);
  const family = isIP(ip);
  if (family === 0) return 'private'; // not an address at all: refuse rather than guess
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (loopback.check(ip, type)) return 'loopback';
  return blocked.check(ip, type) ? 'private' : 'public';
}

/** Whether a download may connect to this address; `allowLoopback` is ALLOW_INSECURE_PREVIEWS. */
export function isAddressAllowed({ address, allowLoopback }: { address: string; allowLoopback: boolean }): boolean {
  const verdict = classifyAddress(address);
  return verdict === 'public' || (verdict === 'loopback' && allowLoopback);
}

function mappedHexToIpv4(ip: string): string {
  const [hi = '0', lo = '0'] = ip.split(':').slice(-2);
  const a = parseInt(hi, 16);
  const b = parseInt(lo, 16);
  return `${a >> 8}.${a & 255}.${b >> 8}.${b & 255}`;
}
