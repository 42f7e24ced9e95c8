import { describe, expect, it } from 'vitest';
import {
  CheckBatchInput,
  CheckBatchResult,
  CheckInput,
  ClientCredentialsDecisionInput,
  DECISION_REASON_CODES,
  LoginDecision,
  LoginDecisionInput,
  MAX_BATCH_ITEMS,
} from './decision-api';

const userCheck = { subject: { type: 'user', sub: 'auth0|abc' } };

describe('CheckInput', () => {
  it.each([
    ['a user, no org, no target', userCheck],
    ['a client in an org', { subject: { type: 'client', clientId: 'm2m-client-1' }, organization: 'acme' }],
    ['an application target', { ...userCheck, organization: 'acme', target: { type: 'application', clientId: 'spa-client-1' } }],
    ['a permission target with an audience filter', { ...userCheck, target: { type: 'permission', audience: 'https://api.example.com', permission: 'read:config' }, audience: 'https://api.example.com' }],
    ['a null organization', { ...userCheck, organization: null }],
  ])('accepts %s', (_name, body) => {
    expect(CheckInput.safeParse(body).success).toBe(true);
  });

  it.each([
    ['an unknown top-level field', { ...userCheck, org: 'acme' }],
    ['an unknown field in the subject', { subject: { type: 'user', sub: 'auth0|abc', email: 'a@b.c' } }],
    ['an unknown field in the target', { ...userCheck, target: { type: 'application', clientId: 'x', policy: 'OPEN' } }],
    ['a user subject without sub', { subject: { type: 'user', clientId: 'x' } }],
    ['an unknown subject type', { subject: { type: 'group', sub: 'x' } }],
    ['an empty sub', { subject: { type: 'user', sub: '' } }],
    ['an over-long sub', { subject: { type: 'user', sub: 'x'.repeat(256) } }],
    ['a permission target without the permission', { ...userCheck, target: { type: 'permission', audience: 'https://api.example.com' } }],
    ['a number as organization', { ...userCheck, organization: 42 }],
    ['no subject', { organization: 'acme' }],
    ['an array', [userCheck]],
  ])('rejects %s', (_name, body) => {
    expect(CheckInput.safeParse(body).success).toBe(false);
  });

  it('names the unknown field in the error', () => {
    const result = CheckInput.safeParse({ ...userCheck, surprise: true });
    expect(result.success).toBe(false);
    expect(JSON.stringify(result.error?.issues)).toContain('surprise');
  });
});

describe('CheckBatchInput', () => {
  it(`accepts 1 to ${MAX_BATCH_ITEMS} items`, () => {
    expect(CheckBatchInput.safeParse({ items: [userCheck] }).success).toBe(true);
    expect(CheckBatchInput.safeParse({ items: Array.from({ length: MAX_BATCH_ITEMS }, () => userCheck) }).success).toBe(true);
  });

  it('rejects an empty batch, an oversized one, a bad item and unknown fields', () => {
    expect(CheckBatchInput.safeParse({ items: [] }).success).toBe(false);
    expect(CheckBatchInput.safeParse({ items: Array.from({ length: MAX_BATCH_ITEMS + 1 }, () => userCheck) }).success).toBe(false);
    expect(CheckBatchInput.safeParse({ items: [userCheck, { subject: { type: 'user' } }] }).success).toBe(false);
    expect(CheckBatchInput.safeParse({ items: [userCheck], parallel: true }).success).toBe(false);
  });
});

describe('LoginDecisionInput', () => {
  const login = { user: { sub: 'auth0|abc', email: 'ada@example.com' }, clientId: 'spa-client-1' };

  it('accepts what the post-login Action sends, with or without the optional parts', () => {
    expect(LoginDecisionInput.safeParse(login).success).toBe(true);
    expect(
      LoginDecisionInput.safeParse({
        ...login,
        user: { ...login.user, email_verified: true, connection: 'google-oauth2', name: 'Ada' },
        organization: 'acme',
      }).success,
    ).toBe(true);
    expect(LoginDecisionInput.safeParse({ ...login, user: { ...login.user, name: null, connection: null }, organization: null }).success).toBe(true);
  });

  it('rejects a missing or invalid email, a missing client id and unknown fields', () => {
    expect(LoginDecisionInput.safeParse({ ...login, user: { sub: 'auth0|abc' } }).success).toBe(false);
    expect(LoginDecisionInput.safeParse({ ...login, user: { ...login.user, email: 'not an email' } }).success).toBe(false);
    expect(LoginDecisionInput.safeParse({ user: login.user }).success).toBe(false);
    expect(LoginDecisionInput.safeParse({ ...login, user: { ...login.user, picture: 'x' } }).success).toBe(false);
    // `audience` is a field since issue #13 (tokens carry one API's permissions); an unknown field still is not.
    expect(LoginDecisionInput.safeParse({ ...login, scope: 'x' }).success).toBe(false);
    expect(LoginDecisionInput.safeParse({ ...login, kind: 'logout' }).success).toBe(false);
  });

  it('takes the audience, the Auth0 organization id and the kind of login, a sign-in by default', () => {
    const full = LoginDecisionInput.parse({
      ...login,
      audience: 'https://api.example.com',
      auth0OrganizationId: 'org_W30bMi7kV4l7V3Yt',
      organization: 'acme_eu',
      kind: 'refresh',
    });
    expect(full).toMatchObject({ audience: 'https://api.example.com', auth0OrganizationId: 'org_W30bMi7kV4l7V3Yt', kind: 'refresh' });
    expect(LoginDecisionInput.parse(login).kind).toBe('sign_in');
  });

  it('accepts international addresses (RFC 5321 §4.1.2, RFC 6531 §3.3)', () => {
    for (const email of ['o!reilly@example.com', 'josé@example.com', 'user@bücher.example']) {
      expect(LoginDecisionInput.safeParse({ ...login, user: { ...login.user, email } }).success, email).toBe(true);
    }
  });
});

describe('ClientCredentialsDecisionInput', () => {
  it('needs the client id and the audience, and nothing else', () => {
    expect(ClientCredentialsDecisionInput.safeParse({ clientId: 'm2m-client-1', audience: 'https://api.example.com' }).success).toBe(true);
    expect(ClientCredentialsDecisionInput.safeParse({ clientId: 'm2m-client-1', audience: 'https://api.example.com', organization: 'acme' }).success).toBe(true);
    expect(
      ClientCredentialsDecisionInput.safeParse({ clientId: 'm2m-client-1', audience: 'https://api.example.com', organization: 'acme_eu', auth0OrganizationId: 'org_W30bMi7kV4l7V3Yt' })
        .success,
    ).toBe(true);
    expect(ClientCredentialsDecisionInput.safeParse({ clientId: 'm2m-client-1' }).success).toBe(false);
    expect(ClientCredentialsDecisionInput.safeParse({ clientId: 'm2m-client-1', audience: 'https://api.example.com', scope: 'read' }).success).toBe(false);
  });
});

describe('response schemas', () => {
  const reason = { code: 'granted_by_role' as const, message: 'Allowed by the role a.', via: ['a'] };

  it('describe a login decision with its claims', () => {
    const answer = {
      allow: true,
      reason,
      roles: ['a', 'org:employee'],
      permissions: [{ audience: 'https://api.example.com', value: 'read:config' }],
      organization: { slug: 'acme', name: 'Acme', tier: 'EMPLOYEE' },
      claims: {
        'https://gatehouse.app/roles': ['a', 'org:employee'],
        'https://gatehouse.app/permissions': ['read:config'],
        'https://gatehouse.app/org': 'acme',
        'https://gatehouse.app/orgs': ['acme'],
      },
    };
    expect(LoginDecision.safeParse(answer).success).toBe(true);
    expect(LoginDecision.safeParse({ ...answer, organization: null, claims: { ...answer.claims, 'https://gatehouse.app/org': null } }).success).toBe(true);
    // An unknown application a deployment lets through: allowed, without claims.
    const unknown = { allow: true, reason: { code: 'unknown_application_allowed', message: 'x' }, roles: [], permissions: [], organization: null, claims: {} };
    expect(LoginDecision.safeParse(unknown).success).toBe(true);
  });

  it('describe batch results that mix answers and item errors', () => {
    const results = [{ allow: false, reason: { code: 'not_a_member', message: 'No.' }, roles: [], permissions: [] }, { error: { code: 'NOT_FOUND', message: 'No user.' } }];
    expect(CheckBatchResult.safeParse({ results }).success).toBe(true);
    expect(CheckBatchResult.safeParse({ results: [{ error: { code: 'TEAPOT', message: 'x' } }] }).success).toBe(false);
  });

  it('list every reason code once', () => {
    expect(new Set(DECISION_REASON_CODES).size).toBe(DECISION_REASON_CODES.length);
    expect(DECISION_REASON_CODES).toContain('user_blocked');
    expect(DECISION_REASON_CODES).toContain('org_suspended');
  });
});
