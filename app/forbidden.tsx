import Link from 'next/link';

export default function Forbidden() {
  return (
    <main id="main" className="mx-auto flex min-h-screen max-w-md flex-col items-center justify-center gap-4 px-6 text-center">
      <p className="text-sm font-medium text-muted-foreground">403</p>
      <h1 className="text-2xl font-semibold">You cannot open this page</h1>
      <p className="text-muted-foreground">Your role does not include this. Ask an owner of the organization if you need it.</p>
      <Link href="/" className="text-sm font-medium text-primary underline">
        Go to your organizations
      </Link>
    </main>
  );
}
