import { describe, expect, it } from 'vitest';
import { ipv6Groups, maskClientIp, normalizeIp, parseIpList, resolveClientIp } from '../src/client-ip.ts';

const trust = parseIpList('127.0.0.1/32, ::1/128, 10.0.0.0/8');

describe('trusted proxy list', () => {
  it('when entries are addresses or CIDRs, then membership follows them, IPv4-mapped addresses included', () => {
    expect(trust.cidrs).toEqual(['127.0.0.1/32', '::1/128', '10.0.0.0/8']);
    expect(trust.has('10.200.3.4')).toBe(true);
    expect(trust.has('::ffff:10.200.3.4')).toBe(true);
    expect(trust.has('::1')).toBe(true);
    expect(trust.has('[::1]')).toBe(true);
    expect(trust.has('11.0.0.1')).toBe(false);
    expect(trust.has('unknown')).toBe(false);
    expect(trust.has(undefined)).toBe(false);
    const single = parseIpList(['192.168.1.5', '2800:e2::/32']);
    expect(single.has('192.168.1.5')).toBe(true);
    expect(single.has('192.168.1.6')).toBe(false);
    expect(single.has('2800:e2:4100::9')).toBe(true);
    expect(parseIpList('').cidrs).toEqual([]);
  });

  it('when an entry is not an address or CIDR, then the list is refused', () => {
    for (const bad of ['10.0.0.0/33', 'localhost', '10.0.0.0/8/1', '::1/129', '10.0.0.0/x']) {
      expect(() => parseIpList(bad)).toThrow(/not an IP address or CIDR/);
    }
  });
});

describe('client IP (gateway.md R8, users.md R14)', () => {
  it.each([
    ['an untrusted socket ignores X-Forwarded-For', '203.0.113.9', '1.2.3.4', '203.0.113.9'],
    ['a trusted socket without the header is the client', '127.0.0.1', undefined, '127.0.0.1'],
    ['a trusted socket takes the first untrusted hop from the right', '127.0.0.1', '1.2.3.4, 181.55.12.34, 10.0.0.7', '181.55.12.34'],
    ['a forged left-most entry is not believed', '::ffff:127.0.0.1', 'spoofed, 190.24.5.77', '190.24.5.77'],
    ['when every hop is trusted, the left-most is the client', '127.0.0.1', '10.0.0.5, 10.0.0.6', '10.0.0.5'],
    ['IPv6 hops are compared as IPv6', '::1', '2800:e2:4100:12::5', '2800:e2:4100:12::5'],
    ['a mapped IPv4 hop comes out as IPv4', '127.0.0.1', '::ffff:181.55.12.34', '181.55.12.34'],
  ])('when %s', (_name, socket, xff, expected) => {
    expect(resolveClientIp(trust, socket, xff)).toBe(expected);
  });

  it('when the header is repeated, then its values are read as one list', () => {
    expect(resolveClientIp(trust, '127.0.0.1', ['181.55.12.34', '10.0.0.7'])).toBe('181.55.12.34');
  });

  it('when there is no socket address, then the result is empty', () => {
    expect(resolveClientIp(trust, undefined, '1.2.3.4')).toBe('');
  });
});

describe('masking (IPv4 /24, IPv6 /48)', () => {
  it.each([
    ['181.55.12.34', '181.55.12.0', '181.55.12.0/24'],
    ['::ffff:203.0.113.77', '203.0.113.0', '203.0.113.0/24'],
    ['2800:e2:4100:12::5', '2800:e2:4100::', '2800:e2:4100::/48'],
    ['2800:00e2:4100:0012:0000:0000:0000:0005', '2800:e2:4100::', '2800:e2:4100::/48'],
    ['2001:db8::1', '2001:db8:0::', '2001:db8:0::/48'],
    ['::1', '0:0:0::', '0:0:0::/48'],
    ['fe80::1%eth0', 'fe80:0:0::', 'fe80:0:0::/48'],
    ['[2001:db8:1:2::5]', '2001:db8:1::', '2001:db8:1::/48'],
    ['64:ff9b::192.0.2.1', '64:ff9b:0::', '64:ff9b:0::/48'],
  ])('when %s is masked, then the address notation is %s and the CIDR notation %s', (ip, address, cidr) => {
    expect(maskClientIp(ip)).toBe(address);
    expect(maskClientIp(ip, 'address')).toBe(address);
    expect(maskClientIp(ip, 'cidr')).toBe(cidr);
  });

  it('when the value is not an IP address, then the mask is empty', () => {
    for (const value of [undefined, '', 'unknown', '999.1.1.1', '1:2:3', '1::2::3', 'gggg::1']) {
      expect(maskClientIp(value)).toBe('');
      expect(maskClientIp(value, 'cidr')).toBe('');
    }
  });

  it('when helpers are read alone, then they normalise and expand addresses', () => {
    expect(normalizeIp(' [fe80::1%eth0] ')).toBe('fe80::1');
    expect(normalizeIp('::FFFF:10.1.2.3')).toBe('10.1.2.3');
    expect(normalizeIp('nope')).toBeUndefined();
    expect(ipv6Groups('2001:db8::1')).toEqual(['2001', 'db8', '0', '0', '0', '0', '0', '1']);
    expect(ipv6Groups('1.2.3.4')).toBeUndefined();
  });
});
