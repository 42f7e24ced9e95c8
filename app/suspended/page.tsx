import type { Metadata } from 'next';
import Link from 'next/link';

export const metadata: Metadata = { title: 'Organization suspended' };

export default function SuspendedPage() {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <h1 className="text-2xl font-semibold">This organization is suspended</h1>
      <p className="text-muted-foreground">Its members cannot use it until the platform reinstates it. Contact the platform team.</p>
      <Link href="/onboarding" className="text-sm font-medium text-primary underline">
        Create or switch organization
      </Link>
    </main>
  );
}
