import { redirect } from 'next/navigation';
import { canEnterPlatform } from '@/lib/authz/policy';
import { getOptionalUser } from '@/lib/authz/context';
import { pageUser } from '@/lib/authz/page';
import { listMyOrgs } from '@/lib/data/orgs';
import { getPendingInvitationFor } from '@/lib/data/invitation-acceptance';
import { SignedOutLanding } from '@/components/shell/signed-out-landing';

export const dynamic = 'force-dynamic';

/** Home: signed out, a landing; signed in, the first org, the platform, a pending invitation, or onboarding. */
export default async function HomePage() {
  const user = await getOptionalUser();
  if (!user) return <SignedOutLanding />;
  const ctx = await pageUser();
  const orgs = await listMyOrgs(ctx);
  const first = orgs.find((o) => !o.suspended) ?? orgs[0];
  if (first) redirect(`/orgs/${first.slug}`);
  if (canEnterPlatform({ platformRole: ctx.user.platformRole })) redirect('/platform');
  const pending = await getPendingInvitationFor(ctx);
  if (pending > 0) redirect('/onboarding?invited=1');
  redirect('/onboarding');
}
