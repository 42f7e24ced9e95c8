import type { Metadata } from 'next';
import Link from 'next/link';
import { ShieldCheck } from 'lucide-react';
import type { ReactNode } from 'react';
import { AcceptInvitationButton } from '@/components/invitations/accept-invitation-button';
import { formatDateTime } from '@/components/common/format';
import { Alert } from '@/components/ui/alert';
import { buttonVariants } from '@/components/ui/button';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { getOptionalUser } from '@/lib/authz/context';
import { TIER_LABELS } from '@/lib/vocabulary';
import { getInvitationView } from '@/lib/data/invitation-acceptance';
import { acceptInvitationAction } from './actions';

export const metadata: Metadata = { title: 'Invitation', referrer: 'no-referrer' };

const CLOSED = {
  invalid: 'This invitation link is not valid. Check that you opened the whole link from the email.',
  expired: 'This invitation has expired. Ask the person who invited you to send a new one.',
  used: 'This invitation has already been used. If it was you, sign in to reach the organization.',
  revoked: 'This invitation was withdrawn. Ask the person who invited you if you still need access.',
} as const;

function Frame({ title, description, children }: { title: string; description?: ReactNode; children?: ReactNode }) {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-6 px-6 py-12">
      <div className="flex items-center gap-2">
        <ShieldCheck aria-hidden className="size-6 text-primary" />
        <span className="font-semibold tracking-tight">Gatehouse</span>
      </div>
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>{title}</h1>
          </CardTitle>
          {description && <CardDescription>{description}</CardDescription>}
        </CardHeader>
        {children && <CardContent className="space-y-4">{children}</CardContent>}
      </Card>
    </main>
  );
}

/**
 * The invitation link. Opening it changes nothing (mail scanners open links); accepting is a POST from this page.
 * A link that cannot be used says why, without naming the org.
 */
export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const user = await getOptionalUser();
  const view = await getInvitationView(token, user?.id ?? null);
  if (view.state !== 'pending') {
    return (
      <Frame title="This invitation can't be used" description={CLOSED[view.state]}>
        <Link href="/" className={buttonVariants({ variant: 'outline' })}>
          Go to Gatehouse
        </Link>
      </Frame>
    );
  }
  const here = `/invite/${token}`;
  const who = view.inviterName ? `${view.inviterName} invited you` : 'You are invited';
  const description = (
    <>
      {who} to join <strong>{view.orgName}</strong> as {TIER_LABELS[view.tier].toLowerCase()}. The invitation is for {view.maskedEmail} and
      expires {formatDateTime(view.expiresAt)}.
    </>
  );
  if (!user) {
    return (
      <Frame title={`Join ${view.orgName}`} description={description}>
        <p className="text-sm">Sign in, or create an account, with the invited address to accept.</p>
        <div className="flex flex-wrap gap-3">
          <a href={`/auth/login?returnTo=${encodeURIComponent(here)}`} className={buttonVariants()}>
            Sign in to accept
          </a>
          <a href={`/auth/login?screen_hint=signup&returnTo=${encodeURIComponent(here)}`} className={buttonVariants({ variant: 'outline' })}>
            Create an account
          </a>
        </div>
      </Frame>
    );
  }
  if (!view.emailMatches) {
    return (
      <Frame title={`Join ${view.orgName}`} description={description}>
        <Alert variant="destructive">
          You are signed in as {user.email}, but this invitation is for {view.maskedEmail} (and needs a verified address). Sign out, then
          open the link again and sign in with the invited address.
        </Alert>
        <a href="/auth/logout" className={buttonVariants({ variant: 'outline' })}>
          Sign out
        </a>
      </Frame>
    );
  }
  return (
    <Frame title={`Join ${view.orgName}`} description={description}>
      <p className="text-sm">Signed in as {user.email}.</p>
      <AcceptInvitationButton token={token} action={acceptInvitationAction} />
    </Frame>
  );
}
