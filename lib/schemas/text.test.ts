import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { CreateApiKeyInput } from './api-keys';
import { CreateApiInput, CreateApplicationInput, CreatePermissionInput, CreateRoleInput, UpdateRoleInput } from './catalog';
import { CheckInput, ClientCredentialsDecisionInput, LoginDecisionInput } from './decision-api';
import { GrantFromPlatformMatrixInput, matrixFiltersFrom } from './matrix';
import { AcceptInvitationInput, EmailAddress, InviteMembersInput } from './members';
import { parseListParams } from '@/lib/list-params';
import { CreateOrgInput, UpdateOrgSettingsInput } from './org';
import { CreateRuleInput, RuleConditionsInput, UpdateRuleInput } from './rules';
import { MULTILINE_TEXT, nameText, SINGLE_LINE_TEXT, stripInvisible, text } from './text';

const C0 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(i));
const C1 = Array.from({ length: 0x20 }, (_, i) => String.fromCharCode(0x80 + i));
const CONTROLS = [...C0, '\u007F', ...C1];
const hex = (c: string) => `U+${c.charCodeAt(0).toString(16).padStart(4, '0').toUpperCase()}`;

describe('text()', () => {
  const line = text({ max: 20 });
  const lines = text({ max: 20, multiline: true });

  it('refuses every C0 and C1 control character and DEL inside one-line text', () => {
    for (const c of [...CONTROLS, '\u2028', '\u2029']) {
      expect(line.safeParse(`a${c}b`).success, hex(c)).toBe(false);
    }
    expect(line.safeParse('a\u0000b').error?.issues.map((i) => i.message)).toEqual(['Use one line of text without control characters.']);
  });

  it('keeps line feeds and tabs in multi-line text, reads CR LF and CR as LF, and refuses the other controls', () => {
    expect(lines.parse('one\r\ntwo\rthree\n\tfour')).toBe('one\ntwo\nthree\n\tfour');
    for (const c of CONTROLS.filter((c) => c !== '\n' && c !== '\t' && c !== '\r')) {
      expect(lines.safeParse(`a${c}b`).success, hex(c)).toBe(false);
    }
  });

  it('trims, then counts', () => {
    expect(line.parse('  Acme  ')).toBe('Acme');
    expect(text({ max: 4 }).safeParse('  Acme  ').success).toBe(true);
    expect(text({ max: 3 }).safeParse('Acme').error?.issues.map((i) => i.message)).toEqual(['Use at most 3 characters.']);
    expect(text({ max: 9, min: 2 }).safeParse(' a ').error?.issues.map((i) => i.message)).toEqual(['Use at least 2 characters.']);
  });

  it('keeps exact text as sent, refusing only control characters', () => {
    const exact = text({ max: 20, exact: true });
    expect(exact.parse(' auth0|x ')).toBe(' auth0|x ');
    expect(exact.parse('a\u200Bb')).toBe('a\u200Bb');
    expect(exact.safeParse('auth0|\u0000').success).toBe(false);
  });

  it('states its rule in JSON Schema, so the OpenAPI document carries it', () => {
    expect(z.toJSONSchema(text({ max: 5 }), { io: 'input' })).toMatchObject({ type: 'string', maxLength: 5, pattern: SINGLE_LINE_TEXT.source });
    expect(z.toJSONSchema(text({ max: 5, multiline: true }), { io: 'input' })).toMatchObject({ pattern: MULTILINE_TEXT.source });
  });
});

describe('nameText()', () => {
  const name = nameText({ max: 10 });

  it('removes bidi controls and zero-width characters before counting', () => {
    const spoof = 'Acme\u202Egnp.exe';
    expect(stripInvisible(spoof)).toBe('Acmegnp.exe');
    for (const c of ['\u061C', '\u200B', '\u200C', '\u200D', '\u200E', '\u200F', '\u202A', '\u202B', '\u202C', '\u202D', '\u202E', '\u2060', '\u2066', '\u2067', '\u2068', '\u2069', '\uFEFF']) {
      expect(name.parse(`Ac${c}me`), hex(c)).toBe('Acme');
    }
    expect(name.safeParse(`${'\u200B'.repeat(50)}Acme`).success).toBe(true);
  });

  it('needs a character that is left after that', () => {
    expect(name.safeParse(' \u200B ').error?.issues.map((i) => i.message)).toEqual(['Enter a value.']);
    expect(nameText({ max: 10, min: 0 }).parse('')).toBe('');
  });

  it('still refuses control characters', () => {
    expect(name.safeParse('Ac\u0000me').success).toBe(false);
    expect(name.safeParse('Ac\nme').success).toBe(false);
  });
});

/** A valid input, and the string fields (as paths) that must refuse a control character. */
interface Case {
  label: string;
  schema: z.ZodType;
  valid: Record<string, unknown>;
  fields: string[];
}

const uuid = '7f1c2a9e-1b7c-4c5e-9a51-0d6e3f7a8b90';
const login = { user: { sub: 'auth0|abc', email: 'a@example.test', connection: 'corp', name: 'Ada' }, clientId: 'client-1', organization: 'acme' };

const CASES: Case[] = [
  { label: 'org', schema: CreateOrgInput, valid: { name: 'Acme', slug: 'acme-corp' }, fields: ['name', 'slug'] },
  { label: 'org settings', schema: UpdateOrgSettingsInput, valid: { name: 'Acme', invitationTtlDays: 7 }, fields: ['name'] },
  { label: 'API', schema: CreateApiInput, valid: { name: 'Billing', identifier: 'https://billing.example.test', description: 'd' }, fields: ['name', 'identifier', 'description'] },
  { label: 'permission', schema: CreatePermissionInput, valid: { apiId: uuid, value: 'read:config', description: '' }, fields: ['value', 'description'] },
  { label: 'role', schema: CreateRoleInput, valid: { key: 'billing:admin', name: 'Billing admin', description: '' }, fields: ['key', 'name', 'description'] },
  { label: 'role update', schema: UpdateRoleInput, valid: { roleId: uuid, key: 'billing:admin', name: 'Billing admin' }, fields: ['key', 'name'] },
  {
    label: 'application',
    schema: CreateApplicationInput,
    valid: { name: 'Portal', type: 'SPA', clientId: 'abcdefgh12', description: '' },
    fields: ['name', 'clientId', 'description'],
  },
  { label: 'rule', schema: CreateRuleInput, valid: { name: 'Corp', connection: 'corp-ad', emailDomain: 'corp.example.test' }, fields: ['name', 'connection', 'emailDomain'] },
  { label: 'rule update', schema: UpdateRuleInput, valid: { ruleId: uuid, name: 'Corp' }, fields: ['name'] },
  { label: 'rule dry run', schema: RuleConditionsInput, valid: { connection: 'corp-ad', emailDomain: 'corp.example.test' }, fields: ['connection', 'emailDomain'] },
  { label: 'API key', schema: CreateApiKeyInput, valid: { name: 'Login Action', scopes: ['decisions:login'] }, fields: ['name'] },
  { label: 'invitation', schema: InviteMembersInput, valid: { emails: ['a@example.test'], tier: 'EMPLOYEE' }, fields: ['emails.0'] },
  { label: 'accepting', schema: AcceptInvitationInput, valid: { token: 'a'.repeat(43) }, fields: ['token'] },
  { label: 'platform matrix grant', schema: GrantFromPlatformMatrixInput, valid: { subject: 'users', subjectId: uuid, roleId: uuid, orgSlug: 'acme' }, fields: ['orgSlug'] },
  {
    label: 'decision API login',
    schema: LoginDecisionInput,
    valid: login,
    fields: ['user.sub', 'user.connection', 'user.name', 'clientId', 'organization'],
  },
  { label: 'decision API client credentials', schema: ClientCredentialsDecisionInput, valid: { clientId: 'm2m', audience: 'https://api.example.test', organization: 'acme' }, fields: ['clientId', 'audience', 'organization'] },
  {
    label: 'decision API check',
    schema: CheckInput,
    valid: { subject: { type: 'user', sub: 'auth0|abc' }, target: { type: 'permission', audience: 'https://api.example.test', permission: 'read:x' } },
    fields: ['subject.sub', 'target.audience', 'target.permission'],
  },
];

function withValue(value: Record<string, unknown>, dotted: string, replace: (s: string) => string): Record<string, unknown> {
  const copy = structuredClone(value);
  const keys = dotted.split('.');
  let node = copy as Record<string, unknown>;
  for (const k of keys.slice(0, -1)) node = node[k] as Record<string, unknown>;
  const last = keys.at(-1)!;
  node[last] = replace(String(node[last]));
  return copy;
}

describe('every text field of every input schema', () => {
  for (const c of CASES) {
    it(`${c.label}: the valid input passes`, () => {
      expect(c.schema.safeParse(c.valid).error?.issues ?? []).toEqual([]);
    });
    for (const field of c.fields) {
      it(`${c.label}: ${field} refuses NUL, ESC and a C1 control`, () => {
        for (const control of ['\u0000', '\u001B', '\u0085']) {
          const bad = withValue(c.valid, field, (s) => `${s.slice(0, 1)}${control}${s.slice(1)}`);
          const result = c.schema.safeParse(bad);
          expect(result.success, `${field} with ${hex(control)}`).toBe(false);
          expect(result.error?.issues.map((i) => i.path.join('.')), `${field} with ${hex(control)}`).toContain(field);
        }
      });
    }
  }

  it('search boxes, cursors and addresses refuse them too (URL values fall back to no filter)', () => {
    expect(parseListParams({ q: 'ac\u0000me', cursor: 'abc\u0000' })).toMatchObject({ q: undefined, cursor: undefined, filtered: false });
    expect(EmailAddress.safeParse('a\u0000@example.test').success).toBe(false);
    expect(matrixFiltersFrom(new URLSearchParams({ q: 'ac\u0000me', org: 'ac\u0000me', cursor: 'x\u0000' }))).toMatchObject({
      q: undefined,
      orgSlug: undefined,
      cursor: undefined,
    });
  });
});

describe('lib/schemas builds text from text()', () => {
  // Ids are `z.string().uuid()` (a uuid cannot hold a control character); the decision API's response schemas
  // describe what it sends, not what it accepts.
  const dir = __dirname;
  const files = readdirSync(dir).filter((f) => f.endsWith('.ts') && !f.endsWith('.test.ts') && f !== 'text.ts');

  it('has no other z.string() for input', () => {
    const offenders: string[] = [];
    for (const file of files) {
      let source = readFileSync(path.join(dir, file), 'utf8');
      const responses = source.indexOf('\n// Responses\n');
      if (file === 'decision-api.ts' && responses > 0) source = source.slice(0, responses);
      for (const match of source.matchAll(/z\s*\.\s*string\s*\(/g)) {
        const after = source.slice(match.index + match[0].length);
        const call = /^[^)]*\)\s*\.\s*(\w+)/.exec(after);
        if (call?.[1] !== 'uuid') offenders.push(`${file}: ${source.slice(match.index, match.index + 60).split('\n')[0]}`);
      }
    }
    expect(offenders).toEqual([]);
  });
});
