/**
 * Client IP as in gateway.md R8 (users R14): the first X-Forwarded-For address from the right that is
 * not a trusted proxy; without trusted hops, the socket address. Plus the /24 and /48 masks of §3.4.
 */
import { BlockList, isIPv4, isIPv6 } from 'node:net';

export function createTrustList(spec: string): BlockList {
  const list = new BlockList();
  for (const entry of spec.split(',').map((s) => s.trim()).filter(Boolean)) {
    const [addr, bits] = entry.split('/');
    const type = isIPv6(addr) ? 'ipv6' : 'ipv4';
    if (bits === undefined) list.addAddress(addr, type);
    else list.addSubnet(addr, Number(bits), type);
  }
  return list;
}

function isTrusted(list: BlockList, ip: string): boolean {
  const plain = ip.replace(/^::ffff:/, '');
  try {
    return isIPv4(plain) ? list.check(plain, 'ipv4') : isIPv6(plain) ? list.check(plain, 'ipv6') : false;
  } catch {
    return false;
  }
}

export function clientIp(trust: BlockList, socketIp: string | undefined, forwardedFor: string | string[] | undefined): string {
  const socket = (socketIp ?? '').replace(/^::ffff:/, '');
  if (!socket || !isTrusted(trust, socket) || !forwardedFor) return socket;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(',') : forwardedFor)
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean);
  for (let i = hops.length - 1; i >= 0; i--) {
    if (!isTrusted(trust, hops[i])) return hops[i].replace(/^::ffff:/, '');
  }
  return hops[0] ?? socket;
}

function expandIpv6(ip: string): string[] {
  const [head, tail] = ip.includes('::') ? ip.split('::') : [ip, undefined];
  const h = head ? head.split(':') : [];
  const t = tail ? tail.split(':') : [];
  const fill = tail === undefined ? [] : Array(8 - h.length - t.length).fill('0');
  return [...h, ...fill, ...t].map((g) => (g || '0').toLowerCase());
}

/** IPv4 /24 (`181.55.12.0`), IPv6 /48 (`2800:e2:4100::`). */
export function maskClientIp(ip: string): string {
  if (isIPv4(ip)) return ip.split('.').slice(0, 3).concat('0').join('.');
  if (isIPv6(ip)) {
    const groups = expandIpv6(ip).slice(0, 3).map((g) => g.replace(/^0+(?=.)/, ''));
    return `${groups.join(':')}::`;
  }
  return '';
}
