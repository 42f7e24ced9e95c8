import { ShieldCheck } from 'lucide-react';

/** What a signed-out visitor sees at `/`. Sign-in is a full navigation to the Auth0 SDK's route. */
export function SignedOutLanding() {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-xl flex-col items-center justify-center gap-6 px-6 text-center">
      <ShieldCheck aria-hidden className="size-10 text-primary" />
      <h1 className="text-3xl font-semibold tracking-tight">Gatehouse</h1>
      <p className="text-muted-foreground">
        Decide who can reach which application, per organization — for products that sign in with Auth0.
      </p>
      <a
        href="/auth/login"
        className="inline-flex h-10 items-center rounded-md bg-primary px-5 font-medium text-primary-foreground hover:bg-primary/90"
      >
        Sign in
      </a>
    </main>
  );
}
