import {
  ACCESS_TOKEN_TTL_SECONDS,
  newApiKey,
  parseApiKey,
  sha256,
  signAccessToken,
  verifyAccessToken,
} from '../../../shared/auth/tokens';
import { hashPassword, verifyPassword } from '../../../shared/auth/passwords';
import { canGrant, roleAllows } from '../../../shared/auth/roles';

const key = new TextEncoder().encode('k'.repeat(48));
const claims = {
  userId: '11111111-1111-4111-8111-111111111111',
  tenantId: '22222222-2222-4222-8222-222222222222',
  role: 'dev' as const,
};

describe('access tokens', () => {
  test('round-trip the claims', async () => {
    const token = await signAccessToken(claims, key);
    await expect(verifyAccessToken(token, key)).resolves.toEqual(claims);
  });

  test('expire after 30 minutes', async () => {
    const issued = Date.parse('2026-01-01T00:00:00Z');
    const token = await signAccessToken(claims, key, issued);
    await expect(
      verifyAccessToken(token, key, issued + (ACCESS_TOKEN_TTL_SECONDS - 5) * 1000),
    ).resolves.toEqual(claims);
    await expect(
      verifyAccessToken(token, key, issued + (ACCESS_TOKEN_TTL_SECONDS + 5) * 1000),
    ).rejects.toMatchObject({ name: 'Unauthorized', message: 'access token expired' });
  });

  test('reject another key and tampering', async () => {
    const token = await signAccessToken(claims, key);
    await expect(
      verifyAccessToken(token, new TextEncoder().encode('x'.repeat(48))),
    ).rejects.toMatchObject({ name: 'Unauthorized' });
    const [h, p, s] = token.split('.');
    const forged = Buffer.from(
      JSON.stringify({ ...JSON.parse(Buffer.from(p, 'base64url').toString()), role: 'owner' }),
    ).toString('base64url');
    await expect(verifyAccessToken(`${h}.${forged}.${s}`, key)).rejects.toMatchObject({
      name: 'Unauthorized',
    });
  });

  test('reject alg=none', async () => {
    const none = `${Buffer.from('{"alg":"none"}').toString('base64url')}.${Buffer.from(JSON.stringify({ sub: claims.userId, tid: claims.tenantId, role: 'owner', iss: 'hishamos' })).toString('base64url')}.`;
    await expect(verifyAccessToken(none, key)).rejects.toMatchObject({ name: 'Unauthorized' });
  });
});

describe('API keys', () => {
  test('parse back to the prefix and a secret whose hash matches', () => {
    const { key: apiKey, prefix, secretHash } = newApiKey();
    const parsed = parseApiKey(apiKey);
    expect(parsed?.prefix).toBe(prefix);
    expect(sha256(parsed!.secret)).toBe(secretHash);
    expect(apiKey).not.toContain(secretHash);
  });

  test('reject malformed keys', () => {
    expect(parseApiKey('hos_short_x')).toBeNull();
    expect(parseApiKey('Bearer abc')).toBeNull();
  });
});

describe('passwords', () => {
  test('verify only the right password and salt every hash', async () => {
    const a = await hashPassword('correct horse battery staple');
    const b = await hashPassword('correct horse battery staple');
    expect(a).not.toBe(b);
    await expect(verifyPassword('correct horse battery staple', a)).resolves.toBe(true);
    await expect(verifyPassword('correct horse battery stapler', a)).resolves.toBe(false);
    await expect(verifyPassword('x', 'not-a-hash')).resolves.toBe(false);
  });
});

describe('roles', () => {
  test.each([
    ['viewer', 'viewer', true],
    ['viewer', 'dev', false],
    ['dev', 'dev', true],
    ['dev', 'admin', false],
    ['admin', 'dev', true],
    ['owner', 'admin', true],
    ['viewer', 'public', true],
  ] as const)('%s meets %s: %s', (role, required, ok) => {
    expect(roleAllows(role, required)).toBe(ok);
  });
  test('nobody grants more than they hold', () => {
    expect(canGrant('admin', 'owner')).toBe(false);
    expect(canGrant('admin', 'dev')).toBe(true);
  });
});
