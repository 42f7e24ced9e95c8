import 'server-only';
import nodemailer from 'nodemailer';
import { newestFirst, type Page } from '@/lib/data/pagination';
import { db } from '@/lib/db';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';
import { logger } from '@/lib/logger';
import { stripInvisible } from '@/lib/schemas/text';
import { renderHtml, renderText, type MailTemplate } from './mail-template';

/**
 * Outgoing mail. With SMTP_URL set, messages go out over SMTP (nodemailer); without it they are kept in the
 * `outbox_messages` table, which the development outbox page (/dev/outbox) shows. Message bodies carry one-time
 * links, so neither the body nor the link is ever logged.
 */

export interface MailMessage {
  orgId?: string | null;
  to: string;
  subject: string;
  text: string;
  html?: string;
}

export interface MailSettings {
  /** smtp:// or smtps:// URL (credentials may be in it); without one, messages go to the outbox table. */
  smtpUrl?: string;
  /** The From header, e.g. `Gatehouse <no-reply@example.com>`. */
  mailFrom: string;
}

export interface Mailer {
  send(msg: MailMessage): Promise<{ via: 'smtp' | 'outbox' }>;
  /** Closes the SMTP transport (if one was opened). */
  close(): void;
}

/**
 * A mailer bound to explicit settings. The app uses {@link sendMail} (settings from `env()`); tests build their own
 * to point at an in-process SMTP server.
 */
export function createMailer(settings: MailSettings): Mailer {
  let transport: ReturnType<typeof nodemailer.createTransport> | undefined;

  function smtp() {
    // Shorter than nodemailer's defaults (2 min to connect, 10 min idle): a request waits on this send.
    transport ??= nodemailer.createTransport({
      url: settings.smtpUrl,
      connectionTimeout: 10_000,
      greetingTimeout: 10_000,
      socketTimeout: 30_000,
    });
    return transport;
  }

  return {
    async send(msg) {
      if (!settings.smtpUrl) {
        await db.outboxMessage.create({
          data: { orgId: msg.orgId ?? null, to: msg.to, subject: msg.subject, text: msg.text, html: msg.html ?? null },
          select: { id: true },
        });
        return { via: 'outbox' };
      }
      try {
        await smtp().sendMail({
          from: settings.mailFrom,
          to: msg.to,
          subject: msg.subject,
          text: msg.text,
          ...(msg.html !== undefined ? { html: msg.html } : {}),
        });
        return { via: 'smtp' };
      } catch (cause) {
        // Only the failure's shape: the error may echo server replies, and the message holds a one-time link.
        const e = cause as { code?: unknown; command?: unknown; responseCode?: unknown } | null;
        logger.error(
          {
            orgId: msg.orgId ?? null,
            smtp: { code: e?.code, command: e?.command, responseCode: e?.responseCode },
          },
          'mail: SMTP send failed',
        );
        throw new AppError('INTERNAL', 'The email could not be sent.', { cause });
      }
    },
    close() {
      transport?.close();
      transport = undefined;
    },
  };
}

let defaultMailer: Mailer | undefined;

/** Sends one message with the process settings: over SMTP when SMTP_URL is set, else into the outbox table. */
export async function sendMail(msg: MailMessage): Promise<{ via: 'smtp' | 'outbox' }> {
  if (!defaultMailer) {
    const { smtpUrl, mailFrom, production } = env();
    // Production has no outbox page, so a message kept there reaches nobody; say so once.
    if (production && !smtpUrl) logger.warn('mail: SMTP_URL is not set; emails are kept in outbox_messages, not sent');
    defaultMailer = createMailer({ smtpUrl, mailFrom });
  }
  return defaultMailer.send(msg);
}

/**
 * One line for a header and the body: nodemailer encodes headers, but a name with a line break has no place in a
 * subject, and bidi controls or zero-width characters in a name chosen by the sender could make it read as something
 * else (an override turning "moc.elpmaxe" around); names stored before text() stripped them still carry them.
 */
const oneLine = (value: string): string => stripInvisible(value).replace(/\s+/g, ' ').trim();

const formatUtc = (d: Date): string => d.toISOString().replace('T', ' ').slice(0, 16) + ' UTC';

/**
 * The invitation email from one template (lib/mail-template.ts): plain text with the link on its own line, and HTML
 * with the same words, a facts table (org, inviter, tier, expiry) and a button, every value escaped.
 */
export function renderInvitationEmail(p: {
  orgName: string;
  inviterName: string | null;
  tierLabel: string;
  link: string;
  expiresAt: Date;
}): { subject: string; text: string; html: string } {
  const protocol = URL.canParse(p.link) ? new URL(p.link).protocol : '';
  if (protocol !== 'https:' && protocol !== 'http:') {
    throw new AppError('INTERNAL', 'The invitation link is not a web address.');
  }
  const orgName = oneLine(p.orgName);
  const inviter = p.inviterName ? oneLine(p.inviterName) : null;
  const tierLabel = oneLine(p.tierLabel);
  const expires = formatUtc(p.expiresAt);

  const subject = `You're invited to join ${orgName} on Gatehouse`;
  const template: MailTemplate = {
    title: subject,
    blocks: [
      { kind: 'paragraph', text: `${inviter ?? 'Someone'} invited you to join ${orgName} on Gatehouse as ${tierLabel}.` },
      {
        kind: 'facts',
        rows: [
          { label: 'Organization', value: orgName },
          { label: 'Invited by', value: inviter ?? 'Someone at this organization' },
          { label: 'Tier', value: tierLabel },
          { label: 'Expires', value: expires },
        ],
      },
      { kind: 'button', label: `See the invitation to ${orgName}`, lead: 'To see the invitation, open this link:', href: p.link },
      {
        kind: 'paragraph',
        text:
          `The link works once and expires on ${expires}. ` +
          'Opening it does not accept anything: you see the invitation first and choose whether to accept it.',
      },
      { kind: 'note', text: "If you weren't expecting this, you can ignore this email." },
    ],
  };
  const text = renderText(template);
  const html = renderHtml(template);

  return { subject, text, html };
}

export interface OutboxMessageDto {
  id: string;
  orgId: string | null;
  to: string;
  subject: string;
  text: string;
  createdAt: string;
}

/**
 * Messages kept in the outbox (mail not configured), newest first. Development only: it reads across orgs, so its
 * one caller, /dev/outbox, exists only when SMTP is unset and the app is not in production.
 */
export async function listOutbox(params: { cursor?: string; limit?: number }): Promise<Page<OutboxMessageDto>> {
  const page = newestFirst.query(params);
  const rows = await db.outboxMessage.findMany({
    where: page.where,
    orderBy: page.orderBy,
    take: page.take,
    select: { id: true, orgId: true, to: true, subject: true, text: true, createdAt: true },
  });
  const { items, nextCursor } = page.page(rows);
  return {
    nextCursor,
    items: items.map((r) => ({ ...r, createdAt: r.createdAt.toISOString() })),
  };
}
