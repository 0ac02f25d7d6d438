import { isIP } from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * What kind of address an IP is, for deciding whether the server may connect to it on a user's
 * behalf (SSRF). Only `public` addresses are reachable from the open internet; every other class
 * can reach the server itself, its private network or cloud metadata services.
 */
export type AddressClass = 'public' | 'loopback' | 'private' | 'link-local' | 'unique-local' | 'multicast' | 'unspecified' | 'reserved';

/** ipaddr.js's ranges that are ours to name; every other one (documentation, benchmarking, Teredo, 240/4, …) is `reserved`. */
const CLASS_OF: Partial<Record<string, AddressClass>> = {
  unicast: 'public',
  as112: 'public', // anycast DNS servers: public hosts
  as112v6: 'public',
  amt: 'public',
  loopback: 'loopback',
  private: 'private',
  carrierGradeNat: 'private',
  deprecatedSiteLocal: 'private',
  linkLocal: 'link-local',
  uniqueLocal: 'unique-local',
  multicast: 'multicast',
  unspecified: 'unspecified',
};
const GLOBAL_UNICAST = ipaddr.IPv6.parseCIDR('2000::/3');
const NAT64 = ipaddr.IPv6.parseCIDR('64:ff9b::/96');

/**
 * Classifies an IPv4 or IPv6 address (a zone suffix like `%eth0` and URL brackets are ignored)
 * by ipaddr.js's `range()`. Only the four-dotted-decimal IPv4 form is an address (never
 * `0x7f.1` or `2130706433`, which node:net refuses too). IPv6 forms that carry an IPv4 address
 * (IPv4-mapped `::ffff:127.0.0.1`, NAT64 `64:ff9b::/96`, 6to4 `2002::/16`) are classified by
 * that IPv4 address, since that is where a connection ends up; IPv6 outside 2000::/3 that
 * ipaddr.js calls unicast (`::127.0.0.1`) is `reserved`; anything unparsable is `reserved`. Pure.
 */
export function classifyAddress(input: string): AddressClass {
  const address = input.replace(/^\[|\]$/g, '').replace(/%.*$/, '');
  const version = isIP(address);
  if (!version) return 'reserved';
  // ipaddr.js reads the deprecated IPv4-compatible `::127.0.0.1` as IPv4-mapped; the all-hex
  // form (`::7f00:1`, what URLs and DNS give) is the address a socket really connects to.
  return classify(ipaddr.parse(version === 6 ? new URL(`http://[${address}]`).hostname.slice(1, -1) : address));
}

function classify(ip: ipaddr.IPv4 | ipaddr.IPv6): AddressClass {
  const range = ip.range();
  if (ip.kind() === 'ipv6') {
    const p = (ip as ipaddr.IPv6).parts;
    const embedded = (hi: number, lo: number) => classify(ipaddr.fromByteArray([hi >> 8, hi & 0xff, lo >> 8, lo & 0xff]));
    if (range === 'ipv4Mapped' || ip.match(NAT64)) return embedded(p[6]!, p[7]!);
    if (range === '6to4') return embedded(p[1]!, p[2]!);
    if (range === 'rfc6052') return 'private'; // local-use NAT64, 64:ff9b:1::/48
    if (range === 'unicast' && !ip.match(GLOBAL_UNICAST)) return 'reserved';
  }
  return CLASS_OF[range] ?? 'reserved';
}

/** True for an address a server may fetch from on a user's behalf. */
export function isPublicAddress(address: string): boolean {
  return classifyAddress(address) === 'public';
}
