import type { AddressInfo } from 'node:net';
import { SMTPServer } from 'smtp-server';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { db } from '@/lib/db';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { createOrg, randomSuffix } from '@/prisma/factories';
import { encodeCursor } from '@/lib/data/pagination';
import { readMail } from '@/tests/mail';
import { createMailer, listOutbox, renderInvitationEmail } from './mail';

/** What the in-process SMTP server received. */
interface Received {
  envelopeTo: string[];
  raw: string;
}

const received: Received[] = [];
let server: SMTPServer;
let smtpUrl: string;

beforeAll(async () => {
  server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS'],
    logger: false,
    onRcptTo(address, _session, callback) {
      // A recipient the server refuses, to exercise the failure path.
      if (address.address.startsWith('refused-')) callback(new Error('550 mailbox unavailable'));
      else callback();
    },
    onData(stream, session, callback) {
      const chunks: Buffer[] = [];
      stream.on('data', (c: Buffer) => chunks.push(c));
      stream.on('end', () => {
        received.push({
          envelopeTo: session.envelope.rcptTo.map((r) => r.address),
          raw: Buffer.concat(chunks).toString('utf8'),
        });
        callback();
      });
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.server.address() as AddressInfo;
  smtpUrl = `smtp://127.0.0.1:${port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(resolve));
});

const link = () => `http://localhost:3000/invite/${randomSuffix(24)}`;

describe('sendMail over SMTP', () => {
  it('delivers the message with its recipient, subject and link', async () => {
    const mailer = createMailer({ smtpUrl, mailFrom: 'Gatehouse Test <no-reply@gatehouse.test>' });
    const to = `invitee-${randomSuffix()}@example.com`;
    // A long link, so the quoted-printable encoder has to break and escape it.
    const url = `${link()}?next=${'x'.repeat(90)}`;
    const email = renderInvitationEmail({
      orgName: 'Acme Widgets',
      inviterName: 'Ada Lovelace',
      tierLabel: 'Admin',
      link: url,
      expiresAt: new Date('2030-01-02T03:04:05Z'),
    });

    try {
      await expect(mailer.send({ to, ...email })).resolves.toEqual({ via: 'smtp' });
    } finally {
      mailer.close();
    }

    const message = received.find((m) => m.envelopeTo.includes(to));
    expect(message, 'the SMTP server received the message').toBeDefined();
    const parsed = await readMail(message!.raw);
    expect(parsed.to).toContain(to);
    expect(parsed.from).toContain('no-reply@gatehouse.test');
    expect(parsed.subject).toBe("You're invited to join Acme Widgets on Gatehouse");
    expect(parsed.text.split('\n')).toContain(url);
    expect(parsed.text).toContain('2030-01-02 03:04 UTC');
    // Both parts travelled (multipart/alternative), the HTML with the same facts and a button to the same link.
    expect(parsed.html).not.toBeNull();
    const html = parsed.html!;
    expect(html).toContain('Acme Widgets');
    expect(html).toContain('Ada Lovelace');
    expect(html).toContain('>Admin<');
    expect(html).toContain('2030-01-02 03:04 UTC');
    expect(html).toMatch(new RegExp(`<a href="${url.replace(/[.?]/g, '\\$&')}" style="display: inline-block;[^"]*">See the invitation to Acme Widgets</a>`));
    // Nothing was kept in the outbox: SMTP took it.
    expect(await db.outboxMessage.count({ where: { to } })).toBe(0);
  });

  it('throws a generic AppError and logs the failure without the body when the server refuses', async () => {
    const mailer = createMailer({ smtpUrl, mailFrom: 'no-reply@gatehouse.test' });
    const secretLink = link();
    const logged = vi.spyOn(logger, 'error').mockImplementation(() => {});
    try {
      const error = await mailer
        .send({ to: `refused-${randomSuffix()}@example.com`, subject: 'Hello', text: `Open ${secretLink}` })
        .catch((e: unknown) => e);
      expect(error).toBeInstanceOf(AppError);
      expect((error as AppError).code).toBe('INTERNAL');
      expect((error as AppError).message).toBe('The email could not be sent.');
      expect((error as AppError).cause).toBeInstanceOf(Error);
      expect(logged).toHaveBeenCalledTimes(1);
      expect(JSON.stringify(logged.mock.calls)).not.toContain(secretLink);
    } finally {
      logged.mockRestore();
      mailer.close();
    }
  });
});

describe('sendMail without SMTP (outbox)', () => {
  it('keeps the message in outbox_messages with its org', async () => {
    const org = await createOrg(db);
    const mailer = createMailer({ mailFrom: 'no-reply@gatehouse.test' });
    const to = `outbox-${randomSuffix()}@example.com`;
    const before = received.length;

    await expect(mailer.send({ orgId: org.id, to, subject: 'Subject', text: 'Body', html: '<p>Body</p>' })).resolves.toEqual({
      via: 'outbox',
    });

    const rows = await db.outboxMessage.findMany({ where: { to } });
    expect(rows).toEqual([expect.objectContaining({ orgId: org.id, to, subject: 'Subject', text: 'Body', html: '<p>Body</p>' })]);
    expect(received.length).toBe(before);
  });

  it('lists the outbox newest first, one page at a time', async () => {
    // Rows far in the future with a cursor just above them, so rows other tests write meanwhile never interleave.
    const top = new Date(Date.UTC(2900, 0, 1) + Math.floor(Math.random() * 1e10));
    const tag = randomSuffix();
    const rows = await Promise.all(
      [0, 1, 2].map((i) =>
        db.outboxMessage.create({
          data: { to: `page-${i}-${tag}@example.com`, subject: `s${i}`, text: `t${i}`, createdAt: new Date(top.getTime() - i * 1000) },
        }),
      ),
    );
    try {
      const start = encodeCursor({ createdAt: new Date(top.getTime() + 1).toISOString(), id: 'ffffffff-ffff-4fff-bfff-ffffffffffff' });
      const first = await listOutbox({ cursor: start, limit: 2 });
      expect(first.items.map((m) => m.to)).toEqual([rows[0]!.to, rows[1]!.to]);
      expect(first.items[0]).toEqual({
        id: rows[0]!.id,
        orgId: null,
        to: rows[0]!.to,
        subject: 's0',
        text: 't0',
        createdAt: top.toISOString(),
      });
      expect(first.nextCursor).toEqual(expect.any(String));

      const second = await listOutbox({ cursor: first.nextCursor!, limit: 2 });
      expect(second.items[0]?.to).toBe(rows[2]!.to);
      expect(second.items.map((m) => m.id)).not.toContain(rows[0]!.id);
    } finally {
      await db.outboxMessage.deleteMany({ where: { id: { in: rows.map((r) => r.id) } } });
    }
  });

  it('reads a cursor it did not make as the first page (issue #12 item 6)', async () => {
    expect((await listOutbox({ cursor: 'not-a-cursor', limit: 3 })).items.map((m) => m.id)).toEqual((await listOutbox({ limit: 3 })).items.map((m) => m.id));
  });
});

describe('renderInvitationEmail', () => {
  const base = { tierLabel: 'Employee', link: 'https://gatehouse.example.com/invite/abc?x=1&y=2', expiresAt: new Date('2030-05-06T07:08:00Z') };

  it('escapes every interpolated value in the HTML', () => {
    const email = renderInvitationEmail({ ...base, orgName: '<script>alert(1)</script>', inviterName: 'Eve "<b>" O\'Neil &' });
    expect(email.html).not.toContain('<script>');
    expect(email.html).not.toContain('<b>');
    expect(email.html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(email.html).toContain('Eve &quot;&lt;b&gt;&quot; O&#39;Neil &amp;');
    expect(email.html).toContain('href="https://gatehouse.example.com/invite/abc?x=1&amp;y=2"');
    // In the facts table and the button too, not only in the opening sentence.
    expect(email.html).toContain('<td style="padding: 2px 0;">&lt;script&gt;alert(1)&lt;/script&gt;</td>');
    expect(email.html).toContain('>See the invitation to &lt;script&gt;alert(1)&lt;/script&gt;</a>');
    // Plain text is not HTML: it keeps the names as written.
    expect(email.text).toContain('<script>alert(1)</script>');
  });

  it('says who invited whom, that the link works once, when it expires, and that opening it accepts nothing', () => {
    const email = renderInvitationEmail({ ...base, orgName: 'Acme', inviterName: null });
    expect(email.subject).toBe("You're invited to join Acme on Gatehouse");
    expect(email.text.split('\n')).toContain(base.link);
    expect(email.text).toMatch(/join Acme on Gatehouse as Employee/);
    expect(email.text).toMatch(/works once/);
    expect(email.text).toContain('2030-05-06 07:08 UTC');
    expect(email.text).toMatch(/does not accept anything/);
  });

  it('keeps a line break in a name out of the subject', () => {
    const email = renderInvitationEmail({ ...base, orgName: 'Acme\r\nBcc: victim@example.com', inviterName: null });
    expect(email.subject).not.toMatch(/[\r\n]/);
  });

  it('strips bidi controls and zero-width characters from the names in the subject and bodies', () => {
    // A right-to-left override makes "moc.elpmaxe-live//:sptth" read as a link; zero-width spaces hide words.
    const email = renderInvitationEmail({ ...base, orgName: 'Acme \u202Emoc.elpmaxe\u202C\u200B Corp', inviterName: 'Ev\u200De\u2066!\u2069' });
    const invisible = /[\u061C\u200B-\u200F\u202A-\u202E\u2060-\u2069\uFEFF]/;
    for (const part of [email.subject, email.text, email.html]) expect(part).not.toMatch(invisible);
    expect(email.subject).toBe("You're invited to join Acme moc.elpmaxe Corp on Gatehouse");
    expect(email.text).toContain('Eve! invited you');
  });

  it('refuses a link that is not a web address', () => {
    expect(() => renderInvitationEmail({ ...base, link: 'javascript:alert(1)', orgName: 'Acme', inviterName: null })).toThrow(AppError);
  });
});

describe('an invitation with hostile names, over SMTP', () => {
  it('arrives with both parts, every value escaped in the HTML and the link intact', async () => {
    const mailer = createMailer({ smtpUrl, mailFrom: 'Gatehouse Test <no-reply@gatehouse.test>' });
    const to = `invitee-${randomSuffix()}@example.com`;
    const url = `${link()}?a=1&b="2"`;
    const email = renderInvitationEmail({
      orgName: `<img src=x onerror=alert(1)> & "Co"`,
      inviterName: `O'Neil <script>`,
      tierLabel: 'Employee',
      link: url,
      expiresAt: new Date('2031-02-03T04:05:06Z'),
    });
    try {
      await mailer.send({ to, ...email });
    } finally {
      mailer.close();
    }
    const parsed = await readMail(received.find((m) => m.envelopeTo.includes(to))!.raw);
    expect(parsed.text).toContain(`<img src=x onerror=alert(1)> & "Co"`);
    expect(parsed.text.split('\n')).toContain(url);
    const html = parsed.html!;
    expect(html).not.toMatch(/<img|<script/);
    expect(html).toContain('&lt;img src=x onerror=alert(1)&gt; &amp; &quot;Co&quot;');
    expect(html).toContain('O&#39;Neil &lt;script&gt;');
    const hrefs = [...html.matchAll(/href="([^"]*)"/g)].map((m) => m[1]!.replace(/&amp;/g, '&').replace(/&quot;/g, '"'));
    expect(hrefs).toEqual([url, url]);
  });
});
