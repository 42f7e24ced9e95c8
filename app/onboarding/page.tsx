import type { Metadata } from 'next';
import Link from 'next/link';
import { ShieldCheck } from 'lucide-react';
import { CreateOrgForm } from '@/components/onboarding/create-org-form';
import { Alert } from '@/components/ui/alert';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { pageUser } from '@/lib/authz/page';
import { getPendingInvitationFor } from '@/lib/data/invitation-acceptance';
import { listMyOrgs } from '@/lib/data/orgs';
import { createOrgAction } from './actions';

export const metadata: Metadata = { title: 'Create your organization' };

export default async function OnboardingPage() {
  const ctx = await pageUser();
  const [orgs, pending] = await Promise.all([listMyOrgs(ctx), getPendingInvitationFor(ctx)]);
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-lg flex-col justify-center gap-6 px-6 py-12">
      <div className="flex items-center gap-2">
        <ShieldCheck aria-hidden className="size-6 text-primary" />
        <span className="font-semibold tracking-tight">Gatehouse</span>
      </div>
      {pending > 0 && (
        <Alert>
          You have {pending === 1 ? 'a pending invitation' : `${pending} pending invitations`}. Open the link in the invitation email to
          join that organization — or create your own below.
        </Alert>
      )}
      <Card>
        <CardHeader>
          <CardTitle>
            <h1>{orgs.length === 0 ? `Welcome, ${ctx.user.name ?? ctx.user.email}` : 'Create another organization'}</h1>
          </CardTitle>
          <CardDescription>
            Create your organization. You will be its owner and can invite admins and employees next.
          </CardDescription>
        </CardHeader>
        <CardContent>
          <CreateOrgForm action={createOrgAction} />
        </CardContent>
      </Card>
      <p className="text-center text-sm text-muted-foreground">
        Signed in as {ctx.user.email}.{' '}
        {orgs.length > 0 && (
          <>
            <Link href="/" className="underline">
              Back to your organizations
            </Link>{' '}
            ·{' '}
          </>
        )}
        <a href="/auth/logout" className="underline">
          Sign out
        </a>
      </p>
    </main>
  );
}
