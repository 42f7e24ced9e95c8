import { describe, expect, it } from 'vitest';
import { AUDIT_ACTIONS } from './audit';
import { AUDIT_SENTENCES, auditSentence, diffAudit, hasSentence, sentenceText, type AuditEventForSentence } from './audit-sentences';

const ACTOR = { type: 'user', id: '00000000-0000-4000-8000-000000000001', label: 'Nora' };
const ORG = { id: '00000000-0000-4000-8000-0000000000aa', label: 'Acme' };

function event(action: string, over: Partial<AuditEventForSentence> = {}): AuditEventForSentence {
  return { action, actor: ACTOR, org: ORG, target: { type: 'user', id: '00000000-0000-4000-8000-000000000002', label: 'Ada' }, before: null, after: null, ...over };
}

describe('audit sentences', () => {
  // Every action the code can write has its own sentence: adding an action to AUDIT_ACTIONS without one fails here
  // (and in the type checker, through `satisfies Record<AuditAction, …>`).
  for (const action of AUDIT_ACTIONS) {
    it(`${action} reads as a sentence`, () => {
      expect(hasSentence(action), `${action} has no sentence in AUDIT_SENTENCES`).toBe(true);
      const text = sentenceText(auditSentence(event(action)));
      expect(text).not.toMatch(/undefined|null|\[object Object\]/);
      expect(text).not.toContain(` did ${action}`);
      expect(text.length).toBeGreaterThan(8);
    });
  }

  it('has no sentence for an action that does not exist', () => {
    expect(Object.keys(AUDIT_SENTENCES).sort()).toEqual([...AUDIT_ACTIONS].sort());
    expect(sentenceText(auditSentence(event('thing.frobbed', { target: null })))).toBe('Nora did thing.frobbed');
  });

  it('says who made whom what, with references to link', () => {
    const parts = auditSentence(event('member.tier_changed', { before: { tier: 'ADMIN' }, after: { tier: 'OWNER' } }));
    expect(sentenceText(parts)).toBe('Nora made Ada an owner');
    expect(parts).toContainEqual({ kind: 'user', id: ACTOR.id, label: 'Nora' });
    expect(parts).toContainEqual({ kind: 'user', id: '00000000-0000-4000-8000-000000000002', label: 'Ada' });
    expect(sentenceText(auditSentence(event('member.tier_changed', { after: { tier: 'EMPLOYEE' } })))).toBe('Nora made Ada an employee');
    expect(sentenceText(auditSentence(event('user.platform_role_changed', { after: { platformRole: 'SUPERADMIN' } })))).toBe('Nora made Ada a superadmin');
    expect(sentenceText(auditSentence(event('user.platform_role_changed', { after: { platformRole: 'NONE' } })))).toBe('Nora made Ada no longer platform staff');
    expect(sentenceText(auditSentence(event('member.removed')))).toBe('Nora removed Ada from Acme');
    expect(auditSentence(event('member.removed'))).toContainEqual({ kind: 'org', id: ORG.id, label: 'Acme' });
  });

  it('falls back to what the event recorded when the target is gone', () => {
    const e = event('member.roles_changed', { target: { type: 'user', id: 'x', label: null }, after: { granted: 'billing', email: 'ada@example.com' } });
    expect(sentenceText(auditSentence(e))).toBe('Nora gave ada@example.com the role “billing”');
    const deleted = auditSentence(event('role.deleted', { target: { type: 'role', id: 'r', label: null }, before: { key: 'billing', name: 'Billing' } }));
    expect(sentenceText(deleted)).toBe('Nora deleted the role Billing');
    // A deleted thing has nothing to link to.
    expect(deleted).toContainEqual({ kind: 'role', id: null, label: 'Billing' });
    const system = auditSentence(event('member.added', { actor: { type: 'system', id: null, label: null }, after: { tier: 'EMPLOYEE', via: 'invitation' } }));
    expect(sentenceText(system)).toBe('Ada joined Acme as an employee by invitation');
  });
});

describe('audit diff', () => {
  it('lists added, removed and changed fields, nested ones by path', () => {
    expect(diffAudit({ tier: 'ADMIN', email: 'a@x' }, { tier: 'OWNER', email: 'a@x' })).toEqual([{ path: 'tier', before: 'ADMIN', after: 'OWNER' }]);
    expect(diffAudit(null, { name: 'Acme', usage: { members: 3 } })).toEqual([
      { path: 'name', after: 'Acme' },
      { path: 'usage.members', after: '3' },
    ]);
    expect(diffAudit({ roles: ['a'] }, null)).toEqual([{ path: 'roles', before: '["a"]' }]);
    expect(diffAudit({ a: 1 }, { a: 1 })).toEqual([]);
  });
});
