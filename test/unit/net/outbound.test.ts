/**
 * The guarded outbound client (issue 11, item 5): internal destinations are refused by literal,
 * by name and after resolution; the connection goes to the address that was checked.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  addressProblem,
  configureOutbound,
  ForbiddenDestination,
  guardedFetch,
  guardedLookupWith,
  urlProblem,
} from '../../../shared/net/outbound';

afterEach(() => configureOutbound({ allowLoopback: false, allow: [] }));

test.each([
  ['127.0.0.1', 'loopback'],
  ['::1', 'loopback'],
  ['10.1.2.3', 'private'],
  ['172.16.0.1', 'private'],
  ['192.168.1.1', 'private'],
  ['169.254.169.254', 'link-local'],
  ['100.100.100.200', 'CGNAT'],
  ['100.64.0.1', 'CGNAT'],
  ['fd00:ec2::254', 'unique-local'],
  ['fe80::1', 'link-local'],
  ['::ffff:169.254.169.254', 'IPv4-mapped'],
  ['::ffff:a9fe:a9fe', 'IPv4-mapped'],
  ['::ffff:127.0.0.1', 'IPv4-mapped'],
  ['64:ff9b::a9fe:a9fe', 'NAT64'],
  ['0.0.0.0', 'unspecified'],
])('%s is refused (%s)', (address, reason) => {
  configureOutbound({ allowLoopback: false, allow: [] });
  expect(addressProblem(address)).toContain(reason);
});

test.each(['93.184.216.34', '2606:2800:220:1:248:1893:25c8:1946', '8.8.8.8'])(
  '%s, a public address, is allowed',
  (address) => {
    expect(addressProblem(address)).toBeUndefined();
  },
);

test.each([
  'https://[::ffff:169.254.169.254]/v1',
  'https://[::ffff:a9fe:a9fe]/v1',
  'https://100.100.100.200/',
  'https://metadata.google.internal/computeMetadata/v1',
  'http://localhost:11434/v1',
  'https://10.0.0.5/',
  'https://models.example.com:99999/',
])('the URL %s is refused when entered', (url) => {
  expect(urlProblem(url)).toBeDefined();
});

test('loopback is allowed only when the policy says so (the local runtime); the allow-list admits a network', () => {
  configureOutbound({ allowLoopback: true, allow: ['10.20.0.0/16'] });
  expect(urlProblem('http://127.0.0.1:11434/v1')).toBeUndefined();
  expect(addressProblem('10.20.3.4')).toBeUndefined();
  expect(addressProblem('10.21.3.4')).toContain('private');
  expect(addressProblem('169.254.169.254')).toContain('link-local');
});

function resolveTo(...addresses: string[]) {
  return (
    _host: string,
    _o: { all: true },
    cb: (e: NodeJS.ErrnoException | null, a: { address: string; family: number }[]) => void,
  ) =>
    cb(
      null,
      addresses.map((address) => ({ address, family: address.includes(':') ? 6 : 4 })),
    );
}

function lookup(resolve: ReturnType<typeof resolveTo>, host: string) {
  return new Promise<{ err: Error | null; address: unknown }>((done) =>
    guardedLookupWith(resolve)(host, {}, (err, address) => done({ err, address })),
  );
}

test('a name that resolves to an internal address is refused after resolution', async () => {
  const out = await lookup(resolveTo('93.184.216.34', '169.254.169.254'), 'rebind.example.com');
  expect(out.err).toBeInstanceOf(ForbiddenDestination);
  expect(out.err?.message).toContain('169.254.169.254');
});

test('a name that resolves to public addresses connects to the checked address', async () => {
  const out = await lookup(resolveTo('93.184.216.34'), 'api.example.com');
  expect(out.err).toBeNull();
  expect(out.address).toBe('93.184.216.34');
});

test('metadata host names are refused before any lookup', async () => {
  const out = await lookup(resolveTo('93.184.216.34'), 'metadata.google.internal');
  expect(out.err).toBeInstanceOf(ForbiddenDestination);
});

describe('guardedFetch against a real loopback server', () => {
  let server: Server;
  let port: number;
  beforeAll(async () => {
    server = createServer((_req, res) => res.end('ok'));
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => new Promise<void>((r) => server.close(() => r())));

  test('refused by literal and by name when loopback is not allowed', async () => {
    await expect(guardedFetch(`http://127.0.0.1:${port}/`)).rejects.toThrow(/loopback/);
    await expect(guardedFetch(`http://localhost:${port}/`)).rejects.toThrow(/loopback/);
  });

  test('reached when the policy allows loopback', async () => {
    configureOutbound({ allowLoopback: true, allow: [] });
    const res = await guardedFetch(`http://localhost:${port}/`);
    expect(await res.text()).toBe('ok');
  });
});
