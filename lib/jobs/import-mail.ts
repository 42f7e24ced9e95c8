import nodemailer from 'nodemailer';
import type PgBoss from 'pg-boss';
import type { Db } from '@/lib/db-client';
import { Prisma } from '@/lib/generated/prisma/client.ts';
import { stripInvisible } from '@/lib/schemas/text';

/**
 * Sign-in notices for imported people (the import's "send invitations" option, ADR 0011). They already have their
 * membership and roles, so no invitation row is made and the invite form's per-person limits do not apply; what
 * protects the SMTP server is this queue: one pg-boss job per person and org (retried with backoff), fetched at most
 * IMPORT_MAIL_PER_SECOND (default 10) a second. Without SMTP_URL, messages go to the outbox table as all mail does.
 */

export const IMPORT_MAIL_QUEUE = 'gatehouse-import-mail';
export const IMPORT_MAIL_QUEUE_OPTIONS = { policy: 'standard', retryLimit: 5, retryDelay: 30, retryBackoff: true, expireInSeconds: 300 } as const;

export interface ImportMail {
  jobId: string;
  orgId: string;
  orgName: string;
  to: string;
  name: string | null;
}

const oneLine = (value: string): string => stripInvisible(value).replace(/\s+/g, ' ').trim();

/** The import's rows are read this many at a time (by row number), so a 100,000-row import never holds them all. */
export const IMPORT_MAIL_PAGE_ROWS = 1_000;

/**
 * Queues one notice per person and org the finished import added who has never signed in (once per job: the job's
 * result records it; a person on two rows for the same org gets one, by the job's singleton key). Returns how many
 * people and orgs that is.
 */
export async function queueImportMails(db: Db, boss: PgBoss, jobId: string, pageRows = IMPORT_MAIL_PAGE_ROWS): Promise<number> {
  const job = await db.job.findUnique({ where: { id: jobId }, select: { status: true, payload: true, result: true } });
  const payload = job?.payload as { sendInvitations?: boolean } | undefined;
  const result = (job?.result ?? {}) as { mailsQueued?: number };
  if (!job || job.status !== 'SUCCEEDED' || !payload?.sendInvitations || result.mailsQueued !== undefined) return 0;
  // The people the import added who never signed in, with their orgs: read a page at a time, then counted.
  const newPeople = Prisma.sql`
    FROM import_rows r
    JOIN orgs o ON o.slug = r.org_slug
    JOIN users u ON u.sub = 'import|' || r.email
    WHERE r.job_id = ${jobId}::uuid AND r.outcome = 'create' AND u.last_login_at IS NULL`;
  for (let after = 0; ; ) {
    const page = await db.$queryRaw<{ row_no: number; user_id: string; email: string; name: string | null; org_id: string; org_name: string }[]>`
      SELECT r.row_no, u.id AS user_id, u.email, u.name, o.id AS org_id, o.name AS org_name
      ${newPeople}
        AND r.row_no > ${after}
      ORDER BY r.row_no
      LIMIT ${pageRows}`;
    if (page.length === 0) break;
    const keys = new Set<string>();
    const mails = page.flatMap((p) => {
      const singletonKey = `${jobId}:${p.user_id}:${p.org_id}`;
      if (keys.has(singletonKey)) return [];
      keys.add(singletonKey);
      return [{ name: IMPORT_MAIL_QUEUE, data: { jobId, orgId: p.org_id, orgName: p.org_name, to: p.email, name: p.name } satisfies ImportMail, singletonKey }];
    });
    await boss.insert(mails);
    after = page[page.length - 1]!.row_no;
  }
  const [{ people } = { people: 0 }] = await db.$queryRaw<{ people: number }[]>`
    SELECT count(*)::int AS people FROM (
      SELECT DISTINCT u.id, o.id ${newPeople}
    ) x`;
  await db.$executeRaw`UPDATE jobs SET result = COALESCE(result, '{}'::jsonb) || jsonb_build_object('mailsQueued', ${people}::int) WHERE id = ${jobId}::uuid`;
  return people;
}

/** Sends notices over SMTP (SMTP_URL) or into the outbox table; one transport per worker. */
export function createImportMailer(db: Db, settings: { smtpUrl?: string; mailFrom: string; appBaseUrl: string }) {
  const transport = settings.smtpUrl
    ? nodemailer.createTransport({ url: settings.smtpUrl, connectionTimeout: 10_000, greetingTimeout: 10_000, socketTimeout: 30_000 })
    : null;
  return {
    async send(mail: ImportMail): Promise<void> {
      const org = oneLine(mail.orgName);
      const subject = `You have been added to ${org} on Gatehouse`;
      const text = [
        `Hello${mail.name ? ` ${oneLine(mail.name)}` : ''},`,
        '',
        `You have been added to ${org}. Sign in with ${mail.to} to see what you can reach:`,
        '',
        settings.appBaseUrl,
        '',
      ].join('\n');
      if (!transport) {
        await db.outboxMessage.create({ data: { orgId: mail.orgId, to: mail.to, subject, text }, select: { id: true } });
        return;
      }
      await transport.sendMail({ from: settings.mailFrom, to: mail.to, subject, text });
    },
    close() {
      transport?.close();
    },
  };
}
