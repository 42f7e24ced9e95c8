import { afterEach, describe, expect, it, vi } from 'vitest';
import { AppError } from '@/lib/errors';
import { forPage } from './page';

/** What Next throws for notFound(), forbidden() and redirect(): the digest its router reads. */
async function answerOf(guard: Promise<unknown>): Promise<string> {
  try {
    return `resolved ${JSON.stringify(await guard)}`;
  } catch (e) {
    return (e as { digest?: string }).digest ?? `rethrown ${(e as Error).message}`;
  }
}

describe('forPage', () => {
  afterEach(() => vi.unstubAllEnvs());

  it('maps the guards’ answers to the page’s: not-found, 403, signed-out for a blocked account, the suspended page', async () => {
    // next.config.js turns on experimental.authInterrupts (forbidden()); Next passes it to its runtime this way.
    vi.stubEnv('__NEXT_EXPERIMENTAL_AUTH_INTERRUPTS', 'true');
    expect(await answerOf(forPage(Promise.reject(new AppError('NOT_FOUND', 'Not found.'))))).toBe('NEXT_HTTP_ERROR_FALLBACK;404');
    expect(await answerOf(forPage(Promise.reject(new AppError('FORBIDDEN', 'No.'))))).toBe('NEXT_HTTP_ERROR_FALLBACK;403');
    const blocked = new AppError('FORBIDDEN', 'Your account is blocked.', { reason: { kind: 'account_blocked' } });
    expect(await answerOf(forPage(Promise.reject(blocked)))).toBe('NEXT_REDIRECT;replace;/signed-out?error=blocked;307;');
    const suspended = new AppError('FORBIDDEN', 'Suspended.', { reason: { kind: 'org_suspended', orgSlug: 'acme&co' } });
    expect(await answerOf(forPage(Promise.reject(suspended)))).toBe('NEXT_REDIRECT;replace;/suspended?org=acme%26co;307;');
  });

  it('passes the context through and rethrows anything else unchanged', async () => {
    expect(await answerOf(forPage(Promise.resolve({ ok: 1 })))).toBe('resolved {"ok":1}');
    expect(await answerOf(forPage(Promise.reject(new AppError('BAD_INPUT', 'That page link is no longer valid.'))))).toBe(
      'rethrown That page link is no longer valid.',
    );
    expect(await answerOf(forPage(Promise.reject(new Error('database down'))))).toBe('rethrown database down');
  });
});
