import type { Page } from '@playwright/test';
import { randomSuffix } from '@/prisma/factories';
import { expect, loginAs as signIn, test } from './fixtures';
import { actionAnswer, APP_ORIGIN, pageRouteBelow, postAction, readBuiltActions, requestAs, type BuiltAction } from './probe';

/**
 * Browser-facing hardening, on the production build: the Content-Security-Policy (a fresh nonce per response, which
 * Next puts on its scripts), no CSP violation on the main pages in Chromium, HSTS only over https, server actions only
 * from APP_BASE_URL's exact origin, and no 5xx for a NUL in a name sent to an action.
 */

const ORG_ACTIONS = readBuiltActions('app/(console)/orgs/', (w) => pageRouteBelow(w, ['orgs', '[orgSlug]'])).actions;
const PLATFORM_ACTIONS = readBuiltActions('app/(platform)/platform/', (w) => pageRouteBelow(w, ['platform'])).actions;
const ONBOARDING_ACTIONS = readBuiltActions('app/onboarding/', (w) => pageRouteBelow(w, ['onboarding'])).actions;

function builtAction(actions: BuiltAction[], name: string): BuiltAction {
  const found = actions.find((a) => a.name === name);
  if (!found) throw new Error(`the production build has no action ${name}: run \`npx next build\``);
  return found;
}

/** Directives of a CSP header as a map. */
function directives(csp: string): Map<string, string[]> {
  return new Map(csp.split(';').map((d) => d.trim().split(/\s+/)).map(([name, ...values]) => [name!, values]));
}

/** Collects every CSP violation the page reports, from the DOM event and from Chromium's console. */
async function watchViolations(page: Page): Promise<string[]> {
  const violations: string[] = [];
  await page.exposeFunction('__reportCspViolation', (v: string) => violations.push(v));
  await page.addInitScript(() => {
    document.addEventListener('securitypolicyviolation', (e) => {
      (window as unknown as { __reportCspViolation: (v: string) => void }).__reportCspViolation(
        `${e.violatedDirective} blocked ${e.blockedURI || 'inline'} on ${e.documentURI}`,
      );
    });
  });
  page.on('console', (m) => {
    if (/Content Security Policy/i.test(m.text())) violations.push(`console: ${m.text()}`);
  });
  return violations;
}

test.describe('Content-Security-Policy and HSTS', () => {
  test('every page answer carries a CSP with a fresh nonce, and Next puts that nonce on its scripts', async ({ seedOrg, playwright, baseURL }) => {
    const { org, owner } = await seedOrg();
    const api = await requestAs(playwright, baseURL!, owner);
    try {
      const nonces: string[] = [];
      for (const url of [`/orgs/${org.slug}`, `/orgs/${org.slug}`, '/signed-out', '/suspended']) {
        const res = await api.get(url);
        expect(res.status(), url).toBe(200);
        const csp = directives(res.headers()['content-security-policy'] ?? '');
        expect(csp.get('default-src'), url).toEqual(["'self'"]);
        expect(csp.get('object-src'), url).toEqual(["'none'"]);
        expect(csp.get('base-uri'), url).toEqual(["'none'"]);
        expect(csp.get('frame-ancestors'), url).toEqual(["'none'"]);
        expect(csp.get('form-action'), url).toEqual(["'self'"]);
        const script = csp.get('script-src') ?? [];
        expect(script, url).toEqual(expect.arrayContaining(["'self'", "'strict-dynamic'"]));
        expect(script, url).not.toContain("'unsafe-inline'");
        expect(script, url).not.toContain("'unsafe-eval'");
        const nonce = /^'nonce-(.+)'$/.exec(script.find((s) => s.startsWith("'nonce-")) ?? '')?.[1];
        expect(nonce, url).toBeTruthy();
        nonces.push(nonce!);

        const html = await res.text();
        const scripts = html.match(/<script\b[^>]*>/g) ?? [];
        expect(scripts.length, `${url} has scripts`).toBeGreaterThan(0);
        for (const tag of scripts) expect(tag, `${url}: every script carries this response's nonce`).toContain(`nonce="${nonce}"`);
        // Over http (as here) HSTS would only be noise; lib/security-headers.test.ts covers https.
        expect(res.headers()['strict-transport-security'], url).toBeUndefined();
      }
      expect(new Set(nonces).size, 'a new nonce for every response').toBe(nonces.length);
    } finally {
      await api.dispose();
    }
  });

  test('no page logs a CSP violation in Chromium, as owner and as operator', async ({ browser, baseURL, seedOrg, seedUser, loginAs, page }) => {
    test.setTimeout(180_000);
    const { org, owner } = await seedOrg();
    const operator = await seedUser({ platformRole: 'OPERATOR' });

    const visit = async (p: Page, urls: string[], interact: (p: Page) => Promise<void>) => {
      const violations = await watchViolations(p);
      for (const url of urls) {
        const res = await p.goto(url);
        expect(res?.status(), url).toBe(url.startsWith('/no-such-page') ? 404 : 200);
        await p.waitForLoadState('networkidle');
      }
      await interact(p);
      return violations;
    };

    // Signed out first, on the same page, before signing in.
    const signedOut = await visit(page, ['/', '/signed-out', '/suspended', `/no-such-page-${randomSuffix()}`], async () => {});
    expect(signedOut).toEqual([]);

    await loginAs(owner);
    const ownerPages = ['', '/members', '/invitations', '/access', '/clients', '/audit', '/settings'].map((p) => `/orgs/${org.slug}${p}`);
    const ownerPage = await page.context().newPage();
    const asOwner = await visit(ownerPage, ownerPages, async (p) => {
      // Radix menus and dialogs position themselves with inline styles and lock scrolling with a <style> element.
      await p.getByRole('button', { name: /Account menu/ }).click();
      await expect(p.getByRole('menuitem', { name: 'Sign out', exact: true })).toBeVisible();
      await p.keyboard.press('Escape');
    });
    expect(asOwner, 'CSP violations as owner').toEqual([]);

    const operatorContext = await browser.newContext({ baseURL });
    try {
      await signIn(operatorContext, operator);
      const operatorPage = await operatorContext.newPage();
      const platformPages = ['', '/roles', '/apis', '/applications', '/clients', '/rules', '/matrix', '/api-keys', '/install'].map((p) => `/platform${p}`);
      const asOperator = await visit(operatorPage, platformPages, async (p) => {
        await p.goto('/platform/roles');
        await p.getByRole('button', { name: /new role/i }).first().click();
        await expect(p.getByRole('dialog')).toBeVisible();
        await p.keyboard.press('Escape');
      });
      expect(asOperator, 'CSP violations as operator').toEqual([]);
    } finally {
      await operatorContext.close();
    }
  });
});

test.describe('server actions come only from APP_BASE_URL', () => {
  test("a forged Origin is refused and changes nothing; the app's own origin works", async ({ seedOrg, playwright, baseURL, db }) => {
    const { org, owner } = await seedOrg();
    const action = builtAction(ORG_ACTIONS, 'saveOrgSettings');
    const api = await requestAs(playwright, baseURL!, owner);
    const app = new URL(APP_ORIGIN);
    const url = `/orgs/${org.slug}/settings`;
    const state = () => db.org.findUniqueOrThrow({ where: { id: org.id }, select: { name: true, invitationTtlDays: true, updatedAt: true } });
    try {
      const before = await state();
      const forged = [
        `https://${app.host}`, // same host and port, other scheme: Next's own check lets this through
        `${app.protocol}//${app.hostname}:${Number(app.port) + 1}`, // other port
        `${app.protocol}//127.0.0.1:${app.port}`, // the same server under another name
        'https://evil.example',
        'null',
        '', // no Origin header at all
      ];
      for (const origin of forged) {
        const res = await postAction(api, url, action.id, { orgSlug: org.slug, name: 'Hijacked', invitationTtlDays: 30 }, { origin });
        expect(res.status(), `Origin ${origin || '(none)'}`).toBe(403);
      }
      expect(await state(), 'the forged calls changed nothing').toEqual(before);

      const own = await postAction(api, url, action.id, { orgSlug: org.slug, name: `${org.name} renamed`, invitationTtlDays: 9 });
      expect(await actionAnswer(own)).toBe('ok:true');
      expect(await state()).toMatchObject({ name: `${org.name} renamed`, invitationTtlDays: 9 });
    } finally {
      await api.dispose();
    }
  });
});

test.describe('a NUL in a name sent to an action', () => {
  test('answers BAD_INPUT (not a 500) and writes nothing: org, org settings, role', async ({ seedOrg, seedUser, playwright, baseURL, db }) => {
    const { org, owner } = await seedOrg();
    const [newcomer, operator] = await Promise.all([seedUser(), seedUser({ platformRole: 'OPERATOR' })]);
    const nul = 'Evil\u0000Corp';
    const s = randomSuffix();
    const [asOwner, asNewcomer, asOperator] = await Promise.all([
      requestAs(playwright, baseURL!, owner),
      requestAs(playwright, baseURL!, newcomer),
      requestAs(playwright, baseURL!, operator),
    ]);
    try {
      const before = await db.org.findUniqueOrThrow({ where: { id: org.id }, select: { name: true, updatedAt: true } });
      const settings = await postAction(asOwner, `/orgs/${org.slug}/settings`, builtAction(ORG_ACTIONS, 'saveOrgSettings').id, {
        orgSlug: org.slug,
        name: nul,
        invitationTtlDays: 7,
      });
      expect(await actionAnswer(settings)).toBe('BAD_INPUT');
      expect(await db.org.findUniqueOrThrow({ where: { id: org.id }, select: { name: true, updatedAt: true } })).toEqual(before);

      const create = await postAction(asNewcomer, '/onboarding', builtAction(ONBOARDING_ACTIONS, 'createOrgAction').id, { name: nul, slug: `nul-${s}` });
      expect(await actionAnswer(create)).toBe('BAD_INPUT');
      expect(await db.org.count({ where: { slug: `nul-${s}` } })).toBe(0);

      const role = await postAction(asOperator, '/platform/roles', builtAction(PLATFORM_ACTIONS, 'createRole').id, { key: `nul-${s}`, name: nul, description: '' });
      expect(await actionAnswer(role)).toBe('BAD_INPUT');
      expect(await db.role.count({ where: { key: `nul-${s}` } })).toBe(0);
    } finally {
      await Promise.all([asOwner, asNewcomer, asOperator].map((a) => a.dispose()));
    }
  });
});
