import { z } from 'zod';
import { text } from './text';

/**
 * Role assignments to a user or an M2M client, global (orgId null) or scoped to one org, optionally expiring.
 * Shared by the forms, the server actions and the data layer.
 */

const Id = (what: string) => z.string({ error: `Choose ${what}.` }).uuid(`That ${what.replace(/^(a|an) /, '')} does not exist.`);

/** Whom a role is given to: a user, or an M2M client (an application of type M2M). */
export const AssignmentSubjectInput = z.union([z.strictObject({ userId: Id('a user') }), z.strictObject({ clientAppId: Id('a client') })], {
  error: 'Choose a user or an M2M client.',
});
export type AssignmentSubject = z.infer<typeof AssignmentSubjectInput>;

/** Date-only values (a date field) mean "until the end of that day, UTC"; full timestamps are taken as they are. */
export function endOfDayUtc(date: string): Date {
  return new Date(`${date}T23:59:59.999Z`);
}

/**
 * Optional expiry. Empty means never. A date (`2027-03-31`) expires at the end of that day (UTC); a timestamp
 * (`2027-03-31T12:00:00Z`) at that instant. It must lie in the future.
 */
export const ExpiresAtInput = z
  .preprocess(
    (v) => (v === '' || v === undefined ? null : v),
    z.union(
      [
        z.null(),
        z.date(),
        z.iso.date().transform(endOfDayUtc),
        z.iso.datetime({ offset: true }).transform((s) => new Date(s)),
      ],
      { error: 'Enter a date like 2027-03-31, or leave it empty.' },
    ),
  )
  .refine((d) => d === null || (Number.isFinite(d.getTime()) && d.getTime() > Date.now()), 'Choose a date in the future, or leave it empty.');

export const CreateAssignmentInput = z.object({
  roleId: Id('a role'),
  subject: AssignmentSubjectInput,
  /** null: global (every org). Required, so "global" is always a choice, never a default. */
  orgId: Id('an organization').nullable(),
  expiresAt: ExpiresAtInput,
});
export type CreateAssignmentInput = z.infer<typeof CreateAssignmentInput>;

export const DeleteAssignmentInput = z.object({ assignmentId: Id('an assignment') });
export type DeleteAssignmentInput = z.infer<typeof DeleteAssignmentInput>;

/** A search over org slugs and names, for pickers. */
export const OrgSearchQuery = text({ max: 100 }).optional();

/** The URL parameter an org picker's search goes in; the page reads it and searches on the server. */
export const ORG_QUERY_PARAM = 'orgq';
