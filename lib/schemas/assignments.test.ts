import { afterEach, describe, expect, it, vi } from 'vitest';
import { AssignmentSubjectInput, CreateAssignmentInput, DeleteAssignmentInput, endOfDayUtc, ExpiresAtInput } from './assignments';

const ROLE = '6a2b3c4d-2222-4333-9444-555566667777';
const ORG = '5f1c1d0e-1111-4222-8333-444455556666';
const APP = '7b3c4d5e-3333-4444-a555-666677778888';

afterEach(() => vi.useRealTimers());

describe('assignment subjects', () => {
  it('is a user or an M2M client, never both or neither', () => {
    expect(AssignmentSubjectInput.parse({ userId: APP })).toEqual({ userId: APP });
    expect(AssignmentSubjectInput.parse({ clientAppId: APP })).toEqual({ clientAppId: APP });
    expect(AssignmentSubjectInput.safeParse({ userId: APP, clientAppId: APP }).success).toBe(false);
    expect(AssignmentSubjectInput.safeParse({}).success).toBe(false);
    expect(AssignmentSubjectInput.safeParse({ clientAppId: 'demoReportingService' }).success).toBe(false);
  });
});

describe('expiry', () => {
  it('is optional: empty means never', () => {
    expect(ExpiresAtInput.parse('')).toBeNull();
    expect(ExpiresAtInput.parse(null)).toBeNull();
    expect(ExpiresAtInput.parse(undefined)).toBeNull();
  });

  it('reads a date as the end of that day (UTC) and a timestamp as it is, and wants the future', () => {
    vi.useFakeTimers({ now: new Date('2027-03-31T12:00:00Z') });
    expect(ExpiresAtInput.parse('2027-03-31')).toEqual(new Date('2027-03-31T23:59:59.999Z'));
    expect(ExpiresAtInput.parse('2027-04-01T08:00:00+02:00')).toEqual(new Date('2027-04-01T06:00:00Z'));
    expect(ExpiresAtInput.parse(new Date('2027-05-01T00:00:00Z'))).toEqual(new Date('2027-05-01T00:00:00Z'));
    expect(ExpiresAtInput.safeParse('2027-03-30').success).toBe(false);
    expect(ExpiresAtInput.safeParse('2027-03-31T11:59:59Z').success).toBe(false);
    expect(ExpiresAtInput.safeParse('next tuesday').success).toBe(false);
    expect(ExpiresAtInput.safeParse('2027-02-30').success).toBe(false);
    expect(endOfDayUtc('2027-01-01').toISOString()).toBe('2027-01-01T23:59:59.999Z');
  });
});

describe('CreateAssignmentInput', () => {
  it('needs a role, a subject and an explicit scope (null is global)', () => {
    expect(CreateAssignmentInput.parse({ roleId: ROLE, subject: { clientAppId: APP }, orgId: null })).toEqual({
      roleId: ROLE,
      subject: { clientAppId: APP },
      orgId: null,
      expiresAt: null,
    });
    expect(CreateAssignmentInput.parse({ roleId: ROLE, subject: { clientAppId: APP }, orgId: ORG, expiresAt: '' }).orgId).toBe(ORG);
    const missing = CreateAssignmentInput.safeParse({});
    expect(missing.success).toBe(false);
    expect(missing.error!.issues.map((i) => i.path.join('.')).sort()).toEqual(['orgId', 'roleId', 'subject']);
    expect(CreateAssignmentInput.safeParse({ roleId: ROLE, subject: { clientAppId: APP } }).success).toBe(false);
    expect(CreateAssignmentInput.safeParse({ roleId: 'report-reader', subject: { clientAppId: APP }, orgId: null }).success).toBe(false);
  });

  it('says what is wrong in words a person can act on', () => {
    const r = CreateAssignmentInput.safeParse({ roleId: 'x', subject: { clientAppId: APP }, orgId: 'y', expiresAt: '2001-01-01' });
    const messages = Object.fromEntries(r.error!.issues.map((i) => [i.path.join('.'), i.message]));
    expect(messages).toEqual({
      roleId: 'That role does not exist.',
      orgId: 'That organization does not exist.',
      expiresAt: 'Choose a date in the future, or leave it empty.',
    });
  });
});

describe('DeleteAssignmentInput', () => {
  it('needs the assignment id', () => {
    expect(DeleteAssignmentInput.safeParse({}).success).toBe(false);
    expect(DeleteAssignmentInput.parse({ assignmentId: APP })).toEqual({ assignmentId: APP });
  });
});
