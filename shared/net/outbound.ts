/**
 * The one guarded HTTP client for user-supplied URLs: provider base URLs, trigger API URLs and
 * tool HTTP calls (ADR 052). A host name is resolved, every address it resolves to is checked,
 * and the connection goes to the checked address (undici's `connect.lookup`), so a DNS answer
 * cannot change between the check and the connect. Refused: loopback (allowed only in the local
 * runtime), private, link-local (cloud metadata), CGNAT, unique-local, IPv4-mapped/NAT64 and other
 * special ranges, unless the operator allow-lists a host or network for self-hosted models.
 */
import { lookup as dnsLookup, type LookupAddress } from 'node:dns';
import { BlockList, isIP } from 'node:net';
import type { Agent } from 'undici';
import { tryParseUrl } from './url';

export class ForbiddenDestination extends Error {
  override readonly name = 'ForbiddenDestination';
}

export interface OutboundPolicy {
  /** Loopback is the local runtime's own fakes and models; never allowed in AWS by default. */
  allowLoopback: boolean;
  /** Host names, addresses or CIDR networks an operator allows (self-hosted models). */
  allow: string[];
}

const BLOCKED_V4: [string, number, string][] = [
  ['0.0.0.0', 8, 'an unspecified address'],
  ['10.0.0.0', 8, 'a private address'],
  ['100.64.0.0', 10, 'a shared (CGNAT) address'],
  ['169.254.0.0', 16, 'a link-local (metadata) address'],
  ['172.16.0.0', 12, 'a private address'],
  ['192.0.0.0', 24, 'a special-purpose address'],
  ['192.168.0.0', 16, 'a private address'],
  ['198.18.0.0', 15, 'a benchmarking address'],
  ['224.0.0.0', 4, 'a multicast address'],
  ['240.0.0.0', 4, 'a reserved address'],
];
const BLOCKED_V6: [string, number, string][] = [
  ['::', 128, 'an unspecified address'],
  ['::ffff:0:0', 96, 'an IPv4-mapped address'],
  ['64:ff9b::', 96, 'a NAT64 address'],
  ['64:ff9b:1::', 48, 'a NAT64 address'],
  ['100::', 64, 'a discard address'],
  ['2001::', 32, 'a Teredo address'],
  ['2002::', 16, 'a 6to4 address'],
  ['fc00::', 7, 'a unique-local address'],
  ['fe80::', 10, 'a link-local address'],
  ['ff00::', 8, 'a multicast address'],
];
const METADATA_HOSTS = new Set(['metadata.google.internal', 'metadata', 'instance-data']);

function isLoopback(address: string, family: 4 | 6): boolean {
  return family === 4 ? address.startsWith('127.') : address === '::1';
}

let policy: OutboundPolicy = { allowLoopback: false, allow: [] };
let allowList = new BlockList();

/** Set once from the platform configuration (the local runtime allows loopback). */
export function configureOutbound(next: OutboundPolicy): void {
  policy = next;
  allowList = new BlockList();
  for (const entry of next.allow) {
    const [net, bits] = entry.split('/');
    const family = isIP(net ?? '');
    if (!family) continue;
    const type = family === 4 ? 'ipv4' : 'ipv6';
    if (bits === undefined) allowList.addAddress(net, type);
    else allowList.addSubnet(net, Number(bits), type);
  }
}

/** Why `address` (an IP literal) may not be called, or undefined when it may. */
export function addressProblem(address: string): string | undefined {
  const bare = address.replace(/^\[|\]$/g, '');
  const family = isIP(bare) as 0 | 4 | 6;
  if (!family) return 'not an IP address';
  const type = family === 4 ? 'ipv4' : 'ipv6';
  if (allowList.check(bare, type)) return undefined;
  if (isLoopback(bare, family)) return policy.allowLoopback ? undefined : 'a loopback address';
  for (const [net, bits, reason] of family === 4 ? BLOCKED_V4 : BLOCKED_V6) {
    const list = new BlockList();
    list.addSubnet(net, bits, type);
    if (list.check(bare, type)) return reason;
  }
  return undefined;
}

/** Why a host name may not be called before it is even resolved (metadata names), if it may not. */
export function hostProblem(hostname: string): string | undefined {
  const host = hostname
    .replace(/^\[|\]$/g, '')
    .toLowerCase()
    .replace(/\.$/, '');
  if (policy.allow.includes(host)) return undefined;
  if (isIP(host)) return addressProblem(host);
  if (METADATA_HOSTS.has(host) || host.endsWith('.internal')) return 'a cloud metadata host';
  if (host === 'localhost' || host.endsWith('.localhost'))
    return policy.allowLoopback ? undefined : 'a loopback host';
  return undefined;
}

/** The check a URL gets when it is entered (validation): scheme, credentials, literal addresses. */
export function urlProblem(value: string): string | undefined {
  const url = tryParseUrl(value);
  if (!url) return 'not a valid URL';
  if (url.username || url.password) return 'must not carry credentials';
  const problem = hostProblem(url.hostname);
  if (problem) return `points at ${problem}`;
  const local = isLoopbackHost(url.hostname);
  if (url.protocol !== 'https:' && !(url.protocol === 'http:' && local))
    return 'must be https (plain http only to a loopback host)';
  return undefined;
}

function isLoopbackHost(hostname: string): boolean {
  const host = hostname.replace(/^\[|\]$/g, '');
  return host === 'localhost' || host === '::1' || host.startsWith('127.');
}

type Resolve = (
  hostname: string,
  options: { all: true },
  callback: (err: NodeJS.ErrnoException | null, addresses: LookupAddress[]) => void,
) => void;
type LookupCallback = (
  err: Error | null,
  address: string | LookupAddress[],
  family?: number,
) => void;

/**
 * A connect-time lookup: resolve, refuse if any answer is forbidden (a name with one public and
 * one internal answer is refused), and hand the checked address to the socket.
 */
export function guardedLookupWith(resolve: Resolve) {
  return (
    hostname: string,
    options: { family?: number | string; all?: boolean },
    callback: LookupCallback,
  ): void => {
    const early = hostProblem(hostname);
    if (early) {
      callback(new ForbiddenDestination(`${hostname} is ${early}`), '', 0);
      return;
    }
    const allowedName = policy.allow.includes(hostname.toLowerCase());
    resolve(hostname, { all: true }, (err, addresses) => {
      if (err) return callback(err, '', 0);
      for (const a of addresses) {
        const problem = allowedName ? undefined : addressProblem(a.address);
        if (problem)
          return callback(
            new ForbiddenDestination(`${hostname} resolves to ${problem} (${a.address})`),
            '',
            0,
          );
      }
      const [first] = addresses;
      if (!first) return callback(new ForbiddenDestination(`${hostname} did not resolve`), '', 0);
      if (options.all) return callback(null, addresses);
      callback(null, first.address, first.family);
    });
  };
}
const guardedLookup = guardedLookupWith(dnsLookup as unknown as Resolve);

// undici loads on the first outbound call, not at every function's cold start.
let client: Promise<{ agent: Agent; fetch: typeof import('undici').fetch }> | undefined;
const undici = () =>
  (client ??= import('undici').then((m) => ({
    agent: new m.Agent({ connect: { lookup: guardedLookup as never } }),
    fetch: m.fetch,
  })));

/**
 * `fetch` for user-supplied URLs. IP literals are checked here (no lookup happens for them);
 * names are checked on every connection by the agent's lookup.
 */
export const guardedFetch: typeof fetch = async (input, init) => {
  const url = tryParseUrl(
    typeof input === 'string' ? input : input instanceof URL ? input.href : input.url,
  );
  if (!url) throw new ForbiddenDestination('not a valid URL');
  const problem = hostProblem(url.hostname);
  if (problem) throw new ForbiddenDestination(`${url.hostname} is ${problem}`);
  const { agent, fetch: undiciFetch } = await undici();
  return undiciFetch(
    input as never,
    { ...(init as object), dispatcher: agent } as never,
  ) as unknown as Promise<Response>;
};
