import { describe, expect, it } from 'vitest';
import {
  ApiIdentifier,
  Auth0ClientId,
  CatalogName,
  CreateApiInput,
  CreateApplicationInput,
  CreatePermissionInput,
  CreateRoleInput,
  DeleteApiInput,
  DeleteApplicationInput,
  DeletePermissionInput,
  DeleteRoleInput,
  PermissionValue,
  RoleKey,
  SetRoleApplicationsInput,
  SetRolePermissionsInput,
  UpdateApiInput,
  UpdateApplicationInput,
  UpdateRoleInput,
} from './catalog';

const ID = '0b8e7a52-3c1d-4f6e-9a2b-5c4d3e2f1a0b';
const ID2 = '6f1c2d3e-4b5a-4c6d-8e7f-9a0b1c2d3e4f';

describe('role keys', () => {
  it.each([
    ['billing:admin', 'billing:admin'],
    ['INTERNAL', 'internal'],
    ['  config-admin ', 'config-admin'],
    ['a.b_c-d:e', 'a.b_c-d:e'],
    ['r2', 'r2'],
    ['x'.repeat(63), 'x'.repeat(63)],
  ])('accepts %j as %j', (input, stored) => {
    expect(RoleKey.parse(input)).toBe(stored);
  });

  it.each(['a', '', '   ', ':admin', '-admin', 'billing admin', 'rôle', 'x'.repeat(64), 'a/b', 'a@b'])('rejects %j', (key) => {
    expect(RoleKey.safeParse(key).success).toBe(false);
  });
});

describe('API identifiers', () => {
  it.each(['https://api.example.com', 'https://api.example.com/v2/', 'http://localhost:8080', 'urn:example:api', 'urn:acme:billing:v1', 'api:orders'])(
    'accepts %j',
    (identifier) => {
      expect(ApiIdentifier.parse(` ${identifier} `)).toBe(identifier);
    },
  );

  it.each(['', 'orders', 'https://', 'https:// api.example.com', 'urn:example api', 'https://a b.example', '/relative/path', `https://example.com/${'a'.repeat(190)}`])(
    'rejects %j',
    (identifier) => {
      expect(ApiIdentifier.safeParse(identifier).success).toBe(false);
    },
  );
});

describe('permission values', () => {
  it.each(['read:config', 'write:config', 'manage:billing.invoices', 'read:*', 'org:read:members', 'read:Users'])('accepts %j', (value) => {
    expect(PermissionValue.parse(value)).toBe(value);
  });

  it.each(['read', 'read:', ':config', 'read config', 'read:con fig', 'rëad:config', `read:${'a'.repeat(96)}`, '*:config'])('rejects %j', (value) => {
    expect(PermissionValue.safeParse(value).success).toBe(false);
  });
});

describe('Auth0 client ids', () => {
  it.each(['abcdEFGH', 'demoAdminPortal', 'a1_b2-c3d4', 'x'.repeat(128)])('accepts %j', (id) => {
    expect(Auth0ClientId.parse(id)).toBe(id);
  });
  it.each(['short', '', 'has space12', 'bad!chars99', 'x'.repeat(129)])('rejects %j', (id) => {
    expect(Auth0ClientId.safeParse(id).success).toBe(false);
  });
});

describe('names and descriptions', () => {
  it('trims names and bounds them to 1..100 characters', () => {
    expect(CatalogName.parse('  Billing admin ')).toBe('Billing admin');
    expect(CatalogName.safeParse('   ').success).toBe(false);
    expect(CatalogName.safeParse('x'.repeat(101)).success).toBe(false);
    expect(CatalogName.safeParse('x'.repeat(100)).success).toBe(true);
  });

  it('defaults the description to empty and bounds it', () => {
    expect(CreateRoleInput.parse({ key: 'k1', name: 'K' }).description).toBe('');
    expect(CreateRoleInput.safeParse({ key: 'k1', name: 'K', description: 'x'.repeat(501) }).success).toBe(false);
  });
});

describe('inputs', () => {
  it('needs every required field, so an empty call is refused', () => {
    for (const schema of [
      CreateApiInput,
      UpdateApiInput,
      DeleteApiInput,
      CreatePermissionInput,
      DeletePermissionInput,
      CreateRoleInput,
      UpdateRoleInput,
      DeleteRoleInput,
      SetRolePermissionsInput,
      SetRoleApplicationsInput,
      CreateApplicationInput,
      UpdateApplicationInput,
      DeleteApplicationInput,
    ]) {
      expect(schema.safeParse({}).success).toBe(false);
    }
  });

  it('names the field that is wrong', () => {
    const r = CreateApplicationInput.safeParse({ name: 'App', type: 'DESKTOP', clientId: 'abc', accessPolicy: 'SOMETIMES' });
    expect(r.success).toBe(false);
    const paths = r.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(expect.arrayContaining(['type', 'clientId', 'accessPolicy']));
  });

  it('takes an optional http(s) address, empty meaning none, and refuses other schemes', () => {
    const base = { name: 'App', type: 'SPA', clientId: 'abcdefgh' };
    expect(CreateApplicationInput.parse(base).url).toBeUndefined();
    expect(CreateApplicationInput.parse({ ...base, url: '' }).url).toBeNull();
    expect(CreateApplicationInput.parse({ ...base, url: ' https://app.example.test/x ' }).url).toBe('https://app.example.test/x');
    for (const url of ['javascript:alert(1)', 'data:text/html,hi', 'ftp://files.example.test', 'app.example.test']) {
      expect(CreateApplicationInput.safeParse({ ...base, url }).success, url).toBe(false);
    }
  });

  it('defaults the access policy to ANY_ROLE (ADR 0013: nobody gets in until a role is mapped)', () => {
    expect(CreateApplicationInput.parse({ name: 'App', type: 'SPA', clientId: 'abcdefgh' }).accessPolicy).toBe('ANY_ROLE');
  });

  it('treats confirm as false unless it is true', () => {
    expect(DeleteRoleInput.parse({ roleId: ID }).confirm).toBe(false);
    expect(DeleteRoleInput.parse({ roleId: ID, confirm: true }).confirm).toBe(true);
    expect(DeleteRoleInput.safeParse({ roleId: ID, confirm: 'yes' }).success).toBe(false);
  });

  it('refuses ids that are not uuids and removes duplicates from sets', () => {
    expect(DeleteApiInput.safeParse({ apiId: 'not-an-id' }).success).toBe(false);
    expect(SetRolePermissionsInput.safeParse({ roleId: ID, permissionIds: ['nope'] }).success).toBe(false);
    expect(SetRolePermissionsInput.parse({ roleId: ID, permissionIds: [ID2, ID2] }).permissionIds).toEqual([ID2]);
    expect(SetRoleApplicationsInput.parse({ roleId: ID, applicationIds: [] }).applicationIds).toEqual([]);
  });
});
