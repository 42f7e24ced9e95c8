import 'server-only';
import type { Tx } from '@/lib/db';
import { env } from '@/lib/env';
import { AppError } from '@/lib/errors';

const HOUR_MS = 60 * 60 * 1000;
const DAY_MS = 24 * HOUR_MS;

const KINDS = {
  orgs: { actions: ['org.created'], noun: 'organizations', verb: 'create', hour: 'orgsPerHour', day: 'orgsPerDay' },
  invitations: {
    actions: ['invitation.created', 'invitation.resent'],
    noun: 'invitations',
    verb: 'send',
    hour: 'invitationsPerHour',
    day: 'invitationsPerDay',
  },
} as const;

export type PersonalLimitKind = keyof typeof KINDS;

function whenToRetry(oldestInWindow: Date | null, windowMs: number, now: Date): string {
  if (!oldestInWindow) return 'later';
  const minutes = Math.max(1, Math.ceil((oldestInWindow.getTime() + windowMs - now.getTime()) / 60_000));
  return minutes < 120 ? `in ${minutes} minute${minutes === 1 ? '' : 's'}` : `in ${Math.ceil(minutes / 60)} hours`;
}

/**
 * Refuses with RATE_LIMITED when the signed-in person would pass their hourly or daily limit of orgs created or
 * invitations sent (env `limits`). Counted from their own audit events (append-only, indexed by actor and time), so
 * the limit holds across instances and restarts; a per-person transaction lock makes two concurrent requests count
 * one after the other. Call inside the transaction that writes the audit event(s), before writing.
 */
export async function assertUnderPersonalLimit(tx: Tx, userId: string, kind: PersonalLimitKind, adding: number, now: Date): Promise<void> {
  if (adding <= 0) return;
  const k = KINDS[kind];
  const limits = env().limits;
  await tx.$executeRaw`SELECT pg_advisory_xact_lock(hashtext(${`gatehouse:personal-limit:${kind}:${userId}`}))`;
  for (const [windowMs, limit, per] of [
    [HOUR_MS, limits[k.hour], 'an hour'],
    [DAY_MS, limits[k.day], 'a day'],
  ] as const) {
    const where = { actorId: userId, action: { in: [...k.actions] }, at: { gt: new Date(now.getTime() - windowMs) } };
    const used = await tx.auditEvent.count({ where });
    if (used + adding > limit) {
      const oldest = used > 0 ? await tx.auditEvent.findFirst({ where, orderBy: { at: 'asc' }, select: { at: true } }) : null;
      const left = Math.max(0, limit - used);
      throw new AppError(
        'RATE_LIMITED',
        `You can ${k.verb} ${limit} ${k.noun} ${per}` +
          (left > 0 ? ` and have ${left} left; ${k.verb} fewer, or try again ` : `; try again `) +
          `${whenToRetry(oldest?.at ?? null, windowMs, now)}.`,
      );
    }
  }
}
