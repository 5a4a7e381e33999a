import { DestinationPolicy, refusedBecause } from './destinations';

describe('http step destinations', () => {
  it.each([
    ['127.0.0.1', 'a loopback address'],
    ['127.8.9.10', 'a loopback address'],
    ['::1', 'the loopback address'],
    ['0.0.0.0', 'an unspecified address'],
    ['::', 'the unspecified address'],
    ['10.20.30.40', 'a private address (RFC 1918)'],
    ['172.16.0.1', 'a private address (RFC 1918)'],
    ['172.31.255.255', 'a private address (RFC 1918)'],
    ['192.168.1.1', 'a private address (RFC 1918)'],
    ['100.64.0.1', 'a shared address (RFC 6598, carrier-grade NAT)'],
    ['169.254.169.254', 'the cloud metadata service'],
    ['169.254.10.1', 'a link-local address'],
    ['fd00:ec2::254', 'the cloud metadata service'],
    ['fd12:3456::1', 'a unique local address (RFC 4193)'],
    ['fc00::1', 'a unique local address (RFC 4193)'],
    ['fe80::1%eth0', 'a link-local address'],
    ['224.0.0.251', 'a multicast address'],
    ['255.255.255.255', 'a reserved address'],
    // IPv6 spellings of IPv4 addresses reach the IPv4 address.
    ['::ffff:127.0.0.1', 'a loopback address'],
    ['::ffff:7f00:1', 'a loopback address'],
    ['[::ffff:a9fe:a9fe]', 'the cloud metadata service'],
    ['::ffff:10.0.0.1', 'a private address (RFC 1918)'],
    ['::127.0.0.1', 'a loopback address in IPv4-compatible form'],
    ['::ffff:0:192.168.0.1', 'a private address (RFC 1918) in IPv4-translated form'],
    ['64:ff9b::a9fe:a9fe', 'the cloud metadata service in NAT64 form'],
    ['2002:7f00:1::', 'a loopback address in 6to4 form'],
  ])('refuses %s (%s)', (address, reason) => {
    expect(refusedBecause(address)).toBe(reason);
  });

  it.each([
    '8.8.8.8',
    '1.1.1.1',
    '172.32.0.1',
    '169.253.1.1',
    '11.0.0.1',
    '2606:4700::1111',
    '::ffff:8.8.8.8',
    '2002:808:808::',
  ])('lets %s through', (address) => {
    expect(refusedBecause(address)).toBeUndefined();
  });

  it('treats what is not an IP address as refused', () => {
    for (const text of [
      '1.2.3',
      '256.1.1.1',
      '01.2.3.4',
      ':::',
      '1::2::3',
      'g::1',
      'localhost',
      '1:2:3:4:5:6:7:8:9',
    ])
      expect(refusedBecause(text)).toBe('not an IP address');
  });

  it('lets the allowlist open names, wildcards, addresses and networks, and nothing more', () => {
    const policy = new DestinationPolicy([
      'crm.internal',
      '*.corp.example',
      '127.0.0.1',
      '10.0.0.0/8',
      'fd00::/8',
    ]);
    expect(policy.refusal('crm.internal', ['192.168.1.5'])).toBeUndefined();
    expect(policy.refusal('CRM.Internal.', ['192.168.1.5'])).toBeUndefined();
    expect(policy.refusal('billing.corp.example', ['192.168.1.5'])).toBeUndefined();
    expect(policy.refusal('corp.example', ['192.168.1.5'])).toEqual({
      address: '192.168.1.5',
      reason: 'a private address (RFC 1918)',
    });
    expect(
      policy.refusal('service', ['127.0.0.1', '::ffff:127.0.0.1', '10.9.9.9', 'fd12::1']),
    ).toBeUndefined();
    expect(policy.refusal('service', ['127.0.0.2'])?.reason).toBe('a loopback address');
    expect(policy.refusal('service', ['::1'])?.reason).toBe('the loopback address');
    // One refused address among allowed ones refuses the name: the connection might use it.
    expect(policy.refusal('mixed', ['8.8.8.8', '169.254.169.254'])).toEqual({
      address: '169.254.169.254',
      reason: 'the cloud metadata service',
    });
  });

  it('refuses everything private by default', () => {
    const policy = new DestinationPolicy();
    expect(policy.allowlist.empty).toBe(true);
    expect(policy.refusal('localhost', ['127.0.0.1'])?.reason).toBe('a loopback address');
    expect(policy.refusal('example.com', ['93.184.215.14'])).toBeUndefined();
  });

  it('rejects allowlist entries that are neither names nor addresses', () => {
    for (const entry of ['10.0.0.0/33', 'fd00::/129', '*.', 'bad_name', '-x.example', '1.2.3', 'a..b'])
      expect(() => new DestinationPolicy([entry])).toThrow(/Not a host name/);
  });
});
