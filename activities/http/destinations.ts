import { HostAllowlist } from '../../core/host-allowlist';
import {
  inNetwork,
  isIpv4Mapped,
  parseIp,
  parseNetwork,
  type IpBytes,
  type IpNetwork,
} from '../../core/ip-address';

/**
 * Where `http` steps may not go unless the operator allows it (`httpSteps.allow` in temporal.yaml): the
 * worker's own machine, its private networks and the cloud metadata service, which a definition (or run
 * input reaching a URL) could otherwise read or drive. The first matching range names the reason.
 */
const REFUSED: ReadonlyArray<{ network: IpNetwork; what: string }> = [
  ['169.254.169.254/32', 'the cloud metadata service'],
  ['fd00:ec2::254/128', 'the cloud metadata service'],
  ['0.0.0.0/8', 'an unspecified address'],
  ['::/128', 'the unspecified address'],
  ['127.0.0.0/8', 'a loopback address'],
  ['::1/128', 'the loopback address'],
  ['10.0.0.0/8', 'a private address (RFC 1918)'],
  ['172.16.0.0/12', 'a private address (RFC 1918)'],
  ['192.168.0.0/16', 'a private address (RFC 1918)'],
  ['100.64.0.0/10', 'a shared address (RFC 6598, carrier-grade NAT)'],
  ['169.254.0.0/16', 'a link-local address'],
  ['fe80::/10', 'a link-local address'],
  ['fc00::/7', 'a unique local address (RFC 4193)'],
  ['fec0::/10', 'a site-local address'],
  ['192.0.0.0/24', 'a special-purpose address (RFC 6890)'],
  ['198.18.0.0/15', 'a benchmarking address (RFC 2544)'],
  ['224.0.0.0/4', 'a multicast address'],
  ['ff00::/8', 'a multicast address'],
  ['240.0.0.0/4', 'a reserved address'],
  ['100::/64', 'a discard-only address'],
].map(([cidr, what]) => ({ network: parseNetwork(cidr!)!, what: what! }));

/** IPv6 spellings that carry an IPv4 address, which is what the packets reach. */
const EMBEDDING_IPV4: ReadonlyArray<{ network: IpNetwork; at: number; form: string }> = [
  { network: parseNetwork('::/96')!, at: 12, form: 'IPv4-compatible' },
  { network: parseNetwork('::ffff:0:0:0/96')!, at: 12, form: 'IPv4-translated' },
  { network: parseNetwork('64:ff9b::/96')!, at: 12, form: 'NAT64' },
  { network: parseNetwork('2002::/16')!, at: 2, form: '6to4' },
];

/** Why the address is refused by default, or undefined for a public address. */
export function refusedBecause(address: string): string | undefined {
  const bytes = parseIp(address);
  if (!bytes) return 'not an IP address';
  return rangeOf(bytes) ?? embeddedRange(bytes);
}

function rangeOf(bytes: IpBytes): string | undefined {
  return REFUSED.find((range) => inNetwork(bytes, range.network))?.what;
}

function embeddedRange(bytes: IpBytes): string | undefined {
  if (isIpv4Mapped(bytes)) return undefined; // already classified as the IPv4 address it is
  for (const embedding of EMBEDDING_IPV4) {
    if (!inNetwork(bytes, embedding.network)) continue;
    const v4 = Uint8Array.from([
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0,
      0xff,
      0xff,
      ...bytes.slice(embedding.at, embedding.at + 4),
    ]);
    const what = rangeOf(v4);
    if (what) return `${what} in ${embedding.form} form`;
  }
  return undefined;
}

export interface Refusal {
  address: string;
  reason: string;
}

/**
 * The destination check, applied to the addresses a connection is about to use (after DNS resolution, at
 * connect time: a name that resolves elsewhere on the next lookup is checked again).
 */
export class DestinationPolicy {
  readonly allowlist: HostAllowlist;

  constructor(allow: readonly string[] = []) {
    this.allowlist = new HostAllowlist(allow);
  }

  /** The first address of `hostname` the policy refuses, or undefined when every one may be reached. */
  refusal(hostname: string, addresses: readonly string[]): Refusal | undefined {
    if (this.allowlist.allowsName(hostname)) return undefined;
    for (const address of addresses) {
      if (this.allowlist.allowsAddress(address)) continue;
      const reason = refusedBecause(address);
      if (reason) return { address, reason };
    }
    return undefined;
  }
}
