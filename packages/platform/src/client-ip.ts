/**
 * Client IP behind trusted proxies and its masked form, for every service (gateway.md R8, users.md R14,
 * 00-conventions §6 `TRUST_PROXY`; masks: users.md §3, gateway.md §3.6, attendance.md §3.4).
 *
 * Resolution (R8): the first `X-Forwarded-For` address from the right that is not a trusted proxy; without
 * a trusted hop, the socket address — the rule of Fastify's `trustProxy` with a CIDR list (proxy-addr), so
 * `request.ip` under `trustProxy: list.cidrs` and `resolveClientIp` agree.
 *
 * Mask: IPv4 keeps its /24, IPv6 its /48, in one of two notations of the same value: `address`
 * (`181.55.12.0`, `2800:e2:4100::`, users.md's example) or `cidr` (`181.55.12.0/24`, `2800:e2:4100::/48`,
 * what the gateway's request log stores). IPv4-mapped IPv6 addresses are masked as IPv4.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export interface IpList {
  /** The entries as given (addresses and CIDRs), e.g. for Fastify's `trustProxy`. */
  readonly cidrs: readonly string[];
  /** Whether `ip` (IPv4, IPv6 or IPv4-mapped) is in the list; false for anything that is not an address. */
  has(ip: string | undefined): boolean;
}

/** Parses a comma list (`TRUST_PROXY`, `METRICS_ALLOWED_CIDRS`) of addresses and CIDRs; throws on a bad entry. */
export function parseIpList(spec: string | readonly string[]): IpList {
  const cidrs = (typeof spec === 'string' ? spec.split(',') : [...spec]).map((s) => s.trim()).filter(Boolean);
  const list = new BlockList();
  for (const entry of cidrs) {
    const [addr, bits, extra] = entry.split('/');
    const type = isIPv4(addr) ? 'ipv4' : isIPv6(addr) ? 'ipv6' : undefined;
    const max = type === 'ipv4' ? 32 : 128;
    const prefix = bits === undefined ? max : Number(bits);
    if (!type || extra !== undefined || !/^\d{1,3}$/.test(String(prefix)) || prefix > max) throw new Error(`not an IP address or CIDR: "${entry}"`);
    list.addSubnet(addr, prefix, type);
  }
  return {
    cidrs,
    has(ip) {
      const plain = normalizeIp(ip);
      if (!plain) return false;
      return list.check(plain, isIPv4(plain) ? 'ipv4' : 'ipv6');
    },
  };
}

/**
 * The address in canonical input form for checks and masks: trimmed, without brackets or zone id, an
 * IPv4-mapped IPv6 address as plain IPv4; undefined when it is not an IP address.
 */
export function normalizeIp(ip: string | undefined): string | undefined {
  if (!ip) return undefined;
  const bare = ip.trim().replace(/^\[(.*)\]$/, '$1').replace(/%.*$/, '');
  const mapped = /^::ffff:(\d{1,3}(?:\.\d{1,3}){3})$/i.exec(bare);
  if (mapped && isIPv4(mapped[1])) return mapped[1];
  return isIPv4(bare) || isIPv6(bare) ? bare : undefined;
}

const stripMapped = (ip: string) => ip.replace(/^::ffff:(?=\d+\.\d+\.\d+\.\d+$)/i, '');

/** R8: the client IP from the socket address and the `X-Forwarded-For` header(s). */
export function resolveClientIp(trusted: IpList, socketIp: string | undefined, forwardedFor: string | string[] | undefined): string {
  const socket = stripMapped((socketIp ?? '').trim());
  if (!socket || !trusted.has(socket) || !forwardedFor) return socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  // A hop that is not an address is not a trusted proxy either: it is what the last trusted proxy received.
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!trusted.has(hops[i])) return stripMapped(hops[i]);
  }
  return hops.length > 0 ? stripMapped(hops[0]) : socket;
}

/**
 * The eight groups of an IPv6 address (zone id and brackets dropped, `::` expanded, an embedded IPv4 tail
 * counted as two groups), leading zeros removed; undefined when it is not one.
 */
export function ipv6Groups(address: string): string[] | undefined {
  const ip = address.trim().replace(/^\[|\]$/g, '').replace(/%.*$/, '').toLowerCase();
  if (!isIPv6(ip)) return undefined;
  const parts = ip.split('::');
  const split = (s: string) => (s === '' ? [] : s.split(':')).flatMap((g) => (g.includes('.') ? ['0', '0'] : [g]));
  const head = split(parts[0]);
  const tail = parts.length === 2 ? split(parts[1]) : [];
  const groups = [...head, ...Array<string>(8 - head.length - tail.length).fill('0'), ...tail];
  return groups.map((g) => g.replace(/^0+(?=.)/, ''));
}

export type IpMaskNotation = 'address' | 'cidr';

/** IPv4 /24, IPv6 /48 in `notation`; '' when `ip` is not an IP address (nothing to store or log). */
export function maskClientIp(ip: string | undefined, notation: IpMaskNotation = 'address'): string {
  const plain = normalizeIp(ip);
  if (!plain) return '';
  if (isIPv4(plain)) return `${plain.split('.').slice(0, 3).join('.')}.0${notation === 'cidr' ? '/24' : ''}`;
  return `${ipv6Groups(plain)!.slice(0, 3).join(':')}::${notation === 'cidr' ? '/48' : ''}`;
}
