import { describe, expect, it } from 'vitest';
import { CreateRuleInput, MAX_RULE_ROLES, MoveRuleInput, RuleConditionsInput, RuleConnection, RuleEmailDomain, RuleIdInput, ruleShapeErrors, UpdateRuleInput } from './rules';

const ORG = '5f1c1d0e-1111-4222-8333-444455556666';
const ROLE = '6a2b3c4d-2222-4333-9444-555566667777';
const RULE = '7b3c4d5e-3333-4444-a555-666677778888';

function fieldErrors(result: { success: boolean; error?: { issues: { path: PropertyKey[]; message: string }[] } }) {
  return Object.fromEntries((result.error?.issues ?? []).map((i) => [i.path.join('.'), i.message]));
}

describe('rule conditions', () => {
  it('stores email domains in lower case, without @, and refuses anything but a domain', () => {
    expect(RuleEmailDomain.parse(' Corp.Example.COM ')).toBe('corp.example.com');
    expect(RuleEmailDomain.parse('@corp.test')).toBe('corp.test');
    expect(RuleEmailDomain.parse('')).toBeNull();
    expect(RuleEmailDomain.parse(null)).toBeNull();
    for (const bad of ['ada@corp.test', 'corp', 'corp..test', '-corp.test', 'corp test.io', '*.corp.test', 'corp_x.test']) {
      expect(RuleEmailDomain.safeParse(bad).success, bad).toBe(false);
    }
  });

  it('takes connection names as Auth0 spells them; empty means any connection', () => {
    expect(RuleConnection.parse('corp-azure-ad')).toBe('corp-azure-ad');
    expect(RuleConnection.parse('Username-Password-Authentication')).toBe('Username-Password-Authentication');
    expect(RuleConnection.parse('  ')).toBeNull();
    for (const bad of ['-corp', 'corp-', 'corp ad', 'a'.repeat(129)]) expect(RuleConnection.safeParse(bad).success, bad).toBe(false);
  });

  it('defaults the conditions of a draft to "anyone"', () => {
    expect(RuleConditionsInput.parse({})).toEqual({ connection: null, emailDomain: null, requireVerifiedEmail: false });
  });
});

describe('CreateRuleInput', () => {
  it('needs a name and fills in the rest, disabled (ADR 0013: a new rule changes nothing until enabled)', () => {
    expect(CreateRuleInput.safeParse({}).success).toBe(false);
    expect(fieldErrors(CreateRuleInput.safeParse({ name: '  ' }))).toEqual({ name: 'Enter a name.' });
    expect(CreateRuleInput.parse({ name: ' Internal ' })).toEqual({
      name: 'Internal',
      enabled: false,
      connection: null,
      emailDomain: null,
      requireVerifiedEmail: false,
      orgId: null,
      tier: null,
      roles: [],
      stop: false,
    });
  });

  it('takes an org and a tier together, or neither (empty strings from a form count as none)', () => {
    expect(CreateRuleInput.parse({ name: 'x', orgId: ORG, tier: 'EMPLOYEE' })).toMatchObject({ orgId: ORG, tier: 'EMPLOYEE' });
    expect(CreateRuleInput.parse({ name: 'x', orgId: '', tier: '' })).toMatchObject({ orgId: null, tier: null });
    expect(fieldErrors(CreateRuleInput.safeParse({ name: 'x', orgId: ORG }))).toHaveProperty('tier');
    expect(fieldErrors(CreateRuleInput.safeParse({ name: 'x', tier: 'ADMIN' }))).toHaveProperty('orgId');
    expect(CreateRuleInput.safeParse({ name: 'x', orgId: ORG, tier: 'BOSS' }).success).toBe(false);
  });

  it('needs an org for a role scoped to the rule’s org, but not for a global one', () => {
    expect(CreateRuleInput.safeParse({ name: 'x', roles: [{ roleId: ROLE, global: true }] }).success).toBe(true);
    expect(fieldErrors(CreateRuleInput.safeParse({ name: 'x', roles: [{ roleId: ROLE, global: false }] }))).toHaveProperty('roles');
    expect(CreateRuleInput.safeParse({ name: 'x', orgId: ORG, tier: 'ADMIN', roles: [{ roleId: ROLE, global: false }] }).success).toBe(true);
  });

  it('refuses a role listed twice, too many roles, and malformed ids', () => {
    expect(fieldErrors(CreateRuleInput.safeParse({ name: 'x', roles: [{ roleId: ROLE, global: true }, { roleId: ROLE, global: true }] }))).toHaveProperty('roles');
    const many = Array.from({ length: MAX_RULE_ROLES + 1 }, (_, i) => ({ roleId: `6a2b3c4d-2222-4333-9444-${String(i).padStart(12, '0')}`, global: true }));
    expect(CreateRuleInput.safeParse({ name: 'x', roles: many }).success).toBe(false);
    expect(fieldErrors(CreateRuleInput.safeParse({ name: 'x', roles: [{ roleId: 'nope', global: true }] }))).toHaveProperty('roles.0.roleId');
  });
});

describe('UpdateRuleInput', () => {
  it('names the rule and changes only what it holds (the enable toggle sends one field)', () => {
    expect(UpdateRuleInput.parse({ ruleId: RULE, enabled: false })).toEqual({ ruleId: RULE, enabled: false });
    expect(UpdateRuleInput.safeParse({ enabled: false }).success).toBe(false);
    expect(UpdateRuleInput.parse({ ruleId: RULE, orgId: '', tier: '' })).toEqual({ ruleId: RULE, orgId: null, tier: null });
  });

  it('checks the pairs it can see; the data layer checks the merged rule', () => {
    expect(fieldErrors(UpdateRuleInput.safeParse({ ruleId: RULE, orgId: ORG, tier: null }))).toHaveProperty('tier');
    // Only one half given: the stored other half may complete it.
    expect(UpdateRuleInput.safeParse({ ruleId: RULE, tier: 'ADMIN' }).success).toBe(true);
  });
});

describe('ruleShapeErrors', () => {
  it('is null for a consistent rule and names each problem otherwise', () => {
    expect(ruleShapeErrors({ orgId: ORG, tier: 'OWNER', roles: [{ roleId: ROLE, global: false }] })).toBeNull();
    expect(ruleShapeErrors({ orgId: null, tier: null, roles: [] })).toBeNull();
    expect(Object.keys(ruleShapeErrors({ orgId: null, tier: 'OWNER', roles: [{ roleId: ROLE, global: false }] })!).sort()).toEqual(['orgId', 'roles']);
  });
});

describe('ids and moves', () => {
  it('requires a rule id and a direction', () => {
    expect(RuleIdInput.safeParse({}).success).toBe(false);
    expect(MoveRuleInput.safeParse({ ruleId: RULE }).success).toBe(false);
    expect(MoveRuleInput.safeParse({ ruleId: RULE, direction: 'sideways' }).success).toBe(false);
    expect(MoveRuleInput.parse({ ruleId: RULE, direction: 'up' })).toEqual({ ruleId: RULE, direction: 'up' });
  });
});
