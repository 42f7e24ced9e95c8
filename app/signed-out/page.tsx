import type { Metadata } from 'next';
import { z } from 'zod';

export const metadata: Metadata = { title: 'Signed out' };

const MESSAGES = {
  signin: 'Signing in did not complete. Try again.',
  account: 'We could not set up your account from that sign-in. Make sure your identity provider shares your email address.',
  blocked: 'Your account is blocked. Contact your administrator.',
} as const;

const Reason = z.enum(['signin', 'account', 'blocked']).optional().catch(undefined);

export default async function SignedOutPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  const reason = Reason.parse((await searchParams).error);
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <h1 className="text-2xl font-semibold">{reason ? 'You are not signed in' : 'Signed out'}</h1>
      <p className="text-muted-foreground" role={reason ? 'alert' : undefined}>
        {reason ? MESSAGES[reason] : 'You have signed out of Gatehouse.'}
      </p>
      <a href={reason === 'blocked' ? '/auth/logout' : '/auth/login'} className="text-sm font-medium text-primary underline">
        {reason === 'blocked' ? 'Sign out' : 'Sign in'}
      </a>
    </main>
  );
}
