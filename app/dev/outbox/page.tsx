import type { Metadata } from 'next';
import { notFound } from 'next/navigation';
import { connection } from 'next/server';
import { Inbox } from 'lucide-react';
import { formatDateTime } from '@/components/common/format';
import { Card, CardContent, CardDescription, CardHeader, CardTitle } from '@/components/ui/card';
import { EmptyState } from '@/components/ui/empty-state';
import { PageHeader } from '@/components/ui/page-header';
import { KeysetPagination } from '@/components/ui/pagination';
import { pageUser } from '@/lib/authz/page';
import { env } from '@/lib/env';
import { listOutbox } from '@/lib/mail';
import { listHref, parseListParams } from '@/lib/list-params';

export const metadata: Metadata = { title: 'Outbox', robots: { index: false } };

const BASE = '/dev/outbox';
const URL_PATTERN = /(https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]'])/g;

/** Plain text with its http(s) links made clickable; React escapes everything else. */
function LinkedText({ text }: { text: string }) {
  // split() with a capturing group puts the matched links at the odd indexes.
  return text.split(URL_PATTERN).map((part, i) =>
    i % 2 === 1 ? (
      <a key={i} href={part} className="text-primary underline underline-offset-2">
        {part}
      </a>
    ) : (
      part
    ),
  );
}

/**
 * Development outbox: without SMTP_URL, outgoing mail is kept in the database and read here. The page does not exist
 * when mail is configured or in production, and it reads across orgs, so it also needs a signed-in user.
 */
export default async function OutboxPage({ searchParams }: { searchParams: Promise<Record<string, string | string[] | undefined>> }) {
  // Decide per request, never at build time: `next build` runs with NODE_ENV=production.
  await connection();
  const settings = env();
  if (settings.smtpUrl || settings.nodeEnv === 'production') notFound();
  await pageUser();

  const sp = await searchParams;
  const list = parseListParams(sp);
  const page = await listOutbox({ cursor: list.cursor });

  return (
    <main id="main" className="mx-auto max-w-4xl space-y-6 px-6 py-10">
      <PageHeader
        title="Outbox"
        description="Mail is not configured (SMTP_URL is unset), so emails are kept here instead of being sent. Development only."
      />
      {page.items.length === 0 ? (
        <EmptyState
          icon={<Inbox aria-hidden className="size-6" />}
          title="No messages yet"
          description="Emails the app sends, such as invitations, show up here, newest first."
        />
      ) : (
        <ol aria-label="Messages" className="space-y-4">
          {page.items.map((m) => (
            <li key={m.id}>
              <Card>
                <CardHeader>
                  <CardTitle>
                    <h2>{m.subject}</h2>
                  </CardTitle>
                  <CardDescription>
                    To <span className="font-medium text-foreground">{m.to}</span> ·{' '}
                    <time dateTime={m.createdAt} className="tabular-nums">
                      {formatDateTime(m.createdAt)}
                    </time>
                  </CardDescription>
                </CardHeader>
                <CardContent>
                  <pre className="overflow-x-auto whitespace-pre-wrap break-words rounded-md bg-muted p-4 font-mono text-sm">
                    <LinkedText text={m.text} />
                  </pre>
                </CardContent>
              </Card>
            </li>
          ))}
        </ol>
      )}
      <KeysetPagination
        cursor={list.cursor}
        nextCursor={page.nextCursor}
        href={(cursor) => listHref(BASE, list.query, { cursor })}
        firstLabel="Newest"
        nextLabel="Older"
      />
    </main>
  );
}
