/**
 * The web console end to end, identity (issue 15): an invitee opens the invitation link signed
 * out and chooses a password; enrols MFA in Settings → Security from the QR code; then signs in
 * with the password and a code from the authenticator.
 */
import { jest } from '@jest/globals';
import { generate } from 'otplib';
import { shot, useConsole, VIEWPORT } from './support';

jest.setTimeout(90_000);

const c = useConsole();
const at = (path: string) => c.at(path);
const INVITEE = { email: 'mfa-invitee@example.test', password: 'invitee-password-123' };

test('invitation accepted in the console, MFA enrolled with the QR code, sign-in with a code', async () => {
  // Prepare: an invitation from the admin (through the API; the members panel shows the same link)
  const token = await c.stack.adminToken();
  const inv = await c.stack.call('POST', '/v1/members', {
    token,
    body: { email: INVITEE.email, role: 'dev' },
  });
  expect(inv.status).toBe(201);

  // What the user's phone keeps after scanning (read from the page, as a person would type it).
  let secret = '';
  const ctx = await c.browser.newContext({ viewport: VIEWPORT });
  const page = await ctx.newPage();
  page.setDefaultTimeout(15_000);
  page.on('pageerror', (e) => c.pageErrors.push(`invitee: ${e.message}`));
  try {
    // Act 1: accept the invitation signed out, choosing a password
    await page.goto(at(`/invitations/accept?token=${inv.body.token}`));
    await page.getByTestId('invitation-summary').waitFor();
    await page.getByTestId('invitation-password').fill(INVITEE.password);
    await page.getByTestId('invitation-accept').click();
    await page.getByTestId('whoami').waitFor();
    await expect(page.getByTestId('whoami').getAttribute('data-role')).resolves.toBe('dev');

    // Act 2: enrol MFA from Settings → Security
    await page.goto(at('/settings/security'));
    await page.getByTestId('mfa-enrol').click();
    const qr = page.getByTestId('mfa-qr');
    await qr.waitFor();
    await expect(
      qr.evaluate((img: HTMLImageElement) => img.complete && img.naturalWidth > 0),
    ).resolves.toBe(true);
    secret = (await page.getByTestId('mfa-secret').textContent()) ?? '';
    await shot(page, 'mfa-enrol');
    await page.getByTestId('mfa-settings-code').fill(await generate({ secret }));
    await page.getByTestId('mfa-confirm').click();
    await page.getByTestId('mfa-recovery-codes').waitFor();
    await expect(page.locator('[data-testid="mfa-recovery-codes"] li').count()).resolves.toBe(10);
    await page.getByTestId('mfa-status').waitFor();
  } finally {
    await ctx.close();
  }

  // Act 3: a fresh browser signs in with the password, then a code (the next time step: the
  // current one was spent confirming, and one step of drift is accepted)
  const again = await c.browser.newContext({ viewport: VIEWPORT });
  const p2 = await again.newPage();
  p2.setDefaultTimeout(15_000);
  p2.on('pageerror', (e) => c.pageErrors.push(`invitee sign-in: ${e.message}`));
  try {
    await p2.goto(at('/runs'));
    await p2.locator('#signin-email').fill(INVITEE.email);
    await p2.locator('#signin-password').fill(INVITEE.password);
    await p2.getByTestId('sign-in-submit').click();
    await p2.getByTestId('mfa-code').waitFor();
    await shot(p2, 'mfa-sign-in');
    await p2
      .getByTestId('mfa-code')
      .fill(await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    await p2.getByTestId('mfa-submit').click();

    // Assess
    await p2.getByTestId('whoami').waitFor();
    await expect(p2.getByTestId('whoami').getAttribute('data-role')).resolves.toBe('dev');
  } finally {
    await again.close();
  }
  expect(c.pageErrors).toEqual([]);
});
