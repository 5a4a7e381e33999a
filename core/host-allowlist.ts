import { inNetwork, parseIp, parseNetwork, type IpNetwork } from './ip-address';

/**
 * Hosts and networks an operator lets `http` steps reach although the destination policy refuses them by
 * default (internal CRMs, a service on the worker's machine): `crm.internal` (that name), `*.corp.example`
 * (its subdomains), `10.1.2.3`, `10.0.0.0/8`, `fd00::/8`. Pure: the configuration schema validates entries
 * with it.
 */
export class HostAllowlist {
  private readonly names = new Set<string>();
  private readonly suffixes: string[] = [];
  private readonly networks: IpNetwork[] = [];

  constructor(entries: readonly string[]) {
    for (const entry of entries) {
      const parsed = parseAllowEntry(entry);
      if (!parsed) throw new Error(`Not a host name, IP address or CIDR: ${entry}`);
      if (parsed.kind === 'network') this.networks.push(parsed.network);
      else if (parsed.kind === 'suffix') this.suffixes.push(parsed.suffix);
      else this.names.add(parsed.name);
    }
  }

  get empty(): boolean {
    return this.names.size === 0 && this.suffixes.length === 0 && this.networks.length === 0;
  }

  /** The URL's host name is listed (by name or wildcard): its addresses are the operator's to trust. */
  allowsName(hostname: string): boolean {
    const name = normalizeName(hostname);
    return this.names.has(name) || this.suffixes.some((suffix) => name.endsWith(suffix));
  }

  /** The address lies in a listed network (an IPv4 entry also matches the IPv4-mapped IPv6 spelling). */
  allowsAddress(address: string): boolean {
    const bytes = parseIp(address);
    return bytes !== undefined && this.networks.some((network) => inNetwork(bytes, network));
  }
}

type AllowEntry =
  | { kind: 'network'; network: IpNetwork }
  | { kind: 'name'; name: string }
  | { kind: 'suffix'; suffix: string };

const LABEL = /^(?!-)[a-z0-9-]{1,63}(?<!-)$/;

/** One allowlist entry, or undefined when it is none of: host name, `*.` wildcard, IP address, CIDR. */
export function parseAllowEntry(entry: string): AllowEntry | undefined {
  const network = parseNetwork(entry.trim());
  if (network) return { kind: 'network', network };
  const wildcard = entry.startsWith('*.');
  const name = normalizeName(wildcard ? entry.slice(2) : entry);
  if (name.length === 0 || name.length > 253 || !name.split('.').every((label) => LABEL.test(label)))
    return undefined;
  // A name made of digits and dots only would be an IP address spelled oddly: refuse the ambiguity.
  if (/^[\d.]+$/.test(name)) return undefined;
  return wildcard ? { kind: 'suffix', suffix: `.${name}` } : { kind: 'name', name };
}

function normalizeName(hostname: string): string {
  return hostname.trim().toLowerCase().replace(/\.$/, '');
}
