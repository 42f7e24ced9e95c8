import type { IdpAccount } from './idp';

/**
 * The people a newcomer can sign in as with one click on the local identity provider's sign-in page.
 * The seed script gives them their organizations and platform roles, keyed by these stable `sub`s.
 */
export const DEMO_ACCOUNTS: IdpAccount[] = [
  {
    sub: 'auth0|demo-owner',
    name: 'Olivia Owner',
    email: 'owner@acme.test',
    connection: 'Username-Password-Authentication',
    emailVerified: true,
    description: 'Owner of Acme Corp',
  },
  {
    sub: 'auth0|demo-admin',
    name: 'Adam Admin',
    email: 'admin@acme.test',
    connection: 'Username-Password-Authentication',
    emailVerified: true,
    description: 'Admin of Acme Corp',
  },
  {
    sub: 'auth0|demo-employee',
    name: 'Emma Employee',
    email: 'employee@acme.test',
    connection: 'Username-Password-Authentication',
    emailVerified: true,
    description: 'Employee of Acme Corp',
  },
  {
    sub: 'auth0|demo-multi',
    name: 'Morgan Multi',
    email: 'morgan@globex.test',
    connection: 'Username-Password-Authentication',
    emailVerified: true,
    description: 'Admin of Acme Corp and owner of Globex',
  },
  {
    sub: 'auth0|demo-staff',
    name: 'Sam Staff',
    email: 'staff@gatehouse.test',
    connection: 'Username-Password-Authentication',
    emailVerified: true,
    description: 'Platform staff (read-only dashboard)',
  },
  {
    sub: 'auth0|demo-operator',
    name: 'Oscar Operator',
    email: 'operator@gatehouse.test',
    connection: 'Username-Password-Authentication',
    emailVerified: true,
    description: 'Platform operator',
  },
  {
    sub: 'auth0|demo-superadmin',
    name: 'Sara Superadmin',
    email: 'superadmin@gatehouse.test',
    connection: 'Username-Password-Authentication',
    emailVerified: true,
    description: 'Platform superadmin',
  },
  {
    sub: 'waad|corp-azure-ad|demo-internal',
    name: 'Ivan Internal',
    email: 'ivan@corp.test',
    connection: 'corp-azure-ad',
    emailVerified: true,
    description: 'Employee signing in through the corporate Azure AD connection',
  },
];
