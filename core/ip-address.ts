/**
 * IP addresses and networks as 16 bytes, IPv4 held in its IPv4-mapped IPv6 form (`::ffff:a.b.c.d`), so one
 * comparison covers both families and an IPv4 rule also matches the mapped spelling of the same address.
 * Pure (no `node:net`): the configuration schema validates allowlist entries with it.
 */

export type IpBytes = Uint8Array;

export interface IpNetwork {
  bytes: IpBytes;
  /** Prefix length in bits over the 16-byte form (an IPv4 /8 is 96 + 8). */
  prefix: number;
}

const V4_MAPPED_PREFIX = [0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff];

/** Dotted-quad IPv4 (four decimal octets, as URLs and resolvers print them) to its mapped 16-byte form. */
function parseIpv4(text: string): IpBytes | undefined {
  const parts = text.split('.');
  if (parts.length !== 4) return undefined;
  const octets: number[] = [];
  for (const part of parts) {
    if (!/^(0|[1-9]\d{0,2})$/.test(part)) return undefined;
    const value = Number(part);
    if (value > 255) return undefined;
    octets.push(value);
  }
  return Uint8Array.from([...V4_MAPPED_PREFIX, ...octets]);
}

function parseIpv6(text: string): IpBytes | undefined {
  let body = text;
  const zone = body.indexOf('%');
  if (zone !== -1) body = body.slice(0, zone);
  // A trailing dotted quad (`::ffff:127.0.0.1`) stands for the last two groups.
  let tail: number[] = [];
  const lastColon = body.lastIndexOf(':');
  if (body.includes('.', lastColon)) {
    const v4 = parseIpv4(body.slice(lastColon + 1));
    if (!v4) return undefined;
    tail = Array.from(v4.slice(12));
    body = `${body.slice(0, lastColon + 1)}0:0`;
  }
  const halves = body.split('::');
  if (halves.length > 2) return undefined;
  const groups = (half: string): number[] | undefined => {
    if (half === '') return [];
    const out: number[] = [];
    for (const group of half.split(':')) {
      if (!/^[0-9a-fA-F]{1,4}$/.test(group)) return undefined;
      out.push(parseInt(group, 16));
    }
    return out;
  };
  const head = groups(halves[0] ?? '');
  const rest = halves.length === 2 ? groups(halves[1] ?? '') : [];
  if (!head || !rest) return undefined;
  const missing = 8 - head.length - rest.length;
  if (halves.length === 2 ? missing < 1 : missing !== 0) return undefined;
  const all = [...head, ...Array<number>(halves.length === 2 ? missing : 0).fill(0), ...rest];
  const bytes = new Uint8Array(16);
  all.forEach((group, index) => {
    bytes[index * 2] = group >> 8;
    bytes[index * 2 + 1] = group & 0xff;
  });
  if (tail.length === 4) bytes.set(tail, 12);
  return bytes;
}

/** An IPv4 or IPv6 address (brackets and a zone id allowed) as 16 bytes, or undefined when it is not one. */
export function parseIp(text: string): IpBytes | undefined {
  const bare = text.startsWith('[') && text.endsWith(']') ? text.slice(1, -1) : text;
  return bare.includes(':') ? parseIpv6(bare) : parseIpv4(bare);
}

/** Whether the address is IPv4 (held as `::ffff:a.b.c.d`). */
export function isIpv4Mapped(bytes: IpBytes): boolean {
  return V4_MAPPED_PREFIX.every((value, index) => bytes[index] === value);
}

/** `10.0.0.0/8`, `fd00::/8`, or a single address (a /32 or /128). */
export function parseNetwork(text: string): IpNetwork | undefined {
  const slash = text.indexOf('/');
  const address = parseIp(slash === -1 ? text : text.slice(0, slash));
  if (!address) return undefined;
  const v4 = !text.slice(0, slash === -1 ? undefined : slash).includes(':');
  const bits = v4 ? 32 : 128;
  if (slash === -1) return { bytes: address, prefix: 128 };
  const length = text.slice(slash + 1);
  if (!/^\d{1,3}$/.test(length) || Number(length) > bits) return undefined;
  return { bytes: address, prefix: (v4 ? 96 : 0) + Number(length) };
}

/** Whether `address` lies in `network`. */
export function inNetwork(address: IpBytes, network: IpNetwork): boolean {
  let bits = network.prefix;
  for (let index = 0; index < 16 && bits > 0; index += 1, bits -= 8) {
    const mask = bits >= 8 ? 0xff : (0xff << (8 - bits)) & 0xff;
    if (((address[index] ?? 0) & mask) !== ((network.bytes[index] ?? 0) & mask)) return false;
  }
  return true;
}
