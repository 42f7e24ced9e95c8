import { describe, expect, it } from 'vitest';
import { DEFAULT_DECISIONS_PORT, DEFAULT_MAX_SNAPSHOT_AGE_SECONDS, EnvError, parseDecisionsPort, parseEnv, parseMaxSnapshotAge, parseUnknownApplications } from './env';

const STRONG = 'f3a9c1e07b5d42e8a6c9d0b1e2f3a4b5c6d7e8f9a0b1c2d3';
const auth0 = { AUTH0_DOMAIN: 'tenant.eu.auth0.com', AUTH0_CLIENT_ID: 'abc', AUTH0_CLIENT_SECRET: 'def', AUTH0_SECRET: STRONG };
const prod = { NODE_ENV: 'production', DATABASE_URL: 'postgresql://u@db.internal:5432/gatehouse', APP_BASE_URL: 'https://gate.example.com', SMTP_URL: 'smtp://mailer:secret@smtp.example.com:587', ...auth0 };

function problems(source: Record<string, string | undefined>): string[] {
  try {
    parseEnv(source);
  } catch (e) {
    if (e instanceof EnvError) return e.problems.map((p) => p.setting);
    throw e;
  }
  return [];
}

describe('settings', () => {
  it('needs nothing in development: embedded database and identity provider', () => {
    const env = parseEnv({});
    expect(env.embedded).toEqual({ database: true, idp: true });
    expect(env.appBaseUrl).toBe('http://localhost:3000');
  });

  it('accepts a complete production configuration', () => {
    const env = parseEnv(prod);
    expect(env.embedded).toEqual({ database: false, idp: false });
    expect(env.auth0?.allowInsecureRequests).toBe(false);
  });

  it('refuses production on the embedded defaults, naming the settings', () => {
    expect(problems({ NODE_ENV: 'production' })).toEqual(expect.arrayContaining(['DATABASE_URL', 'AUTH0_DOMAIN', 'SMTP_URL']));
    expect(problems({ ...prod, DATABASE_URL: undefined })).toEqual(['DATABASE_URL']);
    expect(problems({ ...prod, GATEHOUSE_EMBEDDED_IDP: 'true' })).toEqual(['AUTH0_DOMAIN']);
  });

  it('refuses a weak or short AUTH0_SECRET', () => {
    expect(problems({ ...prod, AUTH0_SECRET: 'short' })).toEqual(['AUTH0_SECRET']);
    expect(problems({ ...prod, AUTH0_SECRET: 'a'.repeat(40) })).toEqual(['AUTH0_SECRET']);
    expect(problems({ ...prod, AUTH0_SECRET: 'changeme-changeme-changeme-changeme' })).toEqual(['AUTH0_SECRET']);
  });

  it('names each missing AUTH0 setting when only some are given', () => {
    expect(problems({ AUTH0_DOMAIN: 'tenant.auth0.com' }).sort()).toEqual(['AUTH0_CLIENT_ID', 'AUTH0_CLIENT_SECRET', 'AUTH0_SECRET']);
  });

  it('allows an http identity provider only on localhost, and in production only when explicitly allowed for tests', () => {
    expect(parseEnv({ ...auth0, AUTH0_DOMAIN: 'http://localhost:3100' }).auth0?.allowInsecureRequests).toBe(true);
    expect(problems({ ...auth0, AUTH0_DOMAIN: 'http://evil.example.com' })).toEqual(['AUTH0_DOMAIN']);
    expect(problems({ ...prod, AUTH0_DOMAIN: 'http://localhost:3100' })).toEqual(['AUTH0_DOMAIN']);
    expect(parseEnv({ ...prod, AUTH0_DOMAIN: 'http://localhost:3100', GATEHOUSE_ALLOW_LOOPBACK_IDP: 'true' }).auth0?.allowInsecureRequests).toBe(true);
  });

  it('rejects malformed values with a message naming the setting', () => {
    expect(problems({ DATABASE_URL: 'mysql://x' })).toEqual(['DATABASE_URL']);
    expect(problems({ APP_BASE_URL: 'not a url' })).toEqual(['APP_BASE_URL']);
    expect(problems({ NODE_ENV: 'staging' })).toEqual(['NODE_ENV']);
    expect(problems({ SMTP_URL: 'http://mail' })).toEqual(['SMTP_URL']);
    expect(problems({ ...prod, APP_BASE_URL: 'http://gate.example.com' })).toEqual(['APP_BASE_URL']);
    try {
      parseEnv({ DATABASE_URL: 'mysql://x' });
    } catch (e) {
      expect((e as Error).message).toContain('DATABASE_URL: must be a postgresql:// connection URL');
    }
  });

  it('reads the decision API port and public URL, refusing unusable ones', () => {
    expect(parseEnv({}).decisions).toEqual({
      port: DEFAULT_DECISIONS_PORT,
      publicUrl: undefined,
      unknownApplications: 'deny',
      maxSnapshotAgeSeconds: DEFAULT_MAX_SNAPSHOT_AGE_SECONDS,
    });
    expect(parseEnv({ DECISIONS_PORT: '4001', DECISIONS_PUBLIC_URL: 'https://decisions.example.com/gatehouse/' }).decisions).toEqual({
      port: 4001,
      publicUrl: 'https://decisions.example.com/gatehouse',
      unknownApplications: 'deny',
      maxSnapshotAgeSeconds: DEFAULT_MAX_SNAPSHOT_AGE_SECONDS,
    });
    expect(parseEnv({ ...prod, DECISIONS_PUBLIC_URL: 'https://decisions.example.com' }).decisions.publicUrl).toBe('https://decisions.example.com');
    for (const port of ['0', '65536', '30o1', '-1', '3001.5']) expect(problems({ DECISIONS_PORT: port })).toEqual(['DECISIONS_PORT']);
    for (const url of ['decisions.example.com', 'ftp://decisions.example.com', 'https://decisions.example.com/?x=1', 'https://u:p@decisions.example.com']) {
      expect(problems({ DECISIONS_PUBLIC_URL: url })).toEqual(['DECISIONS_PUBLIC_URL']);
    }
    // Auth0 sends API keys to it: production wants https (loopback aside, for tests on one machine).
    expect(problems({ ...prod, DECISIONS_PUBLIC_URL: 'http://decisions.example.com' })).toEqual(['DECISIONS_PUBLIC_URL']);
    expect(parseEnv({ ...prod, DECISIONS_PUBLIC_URL: 'http://localhost:3001' }).decisions.publicUrl).toBe('http://localhost:3001');
    expect(parseDecisionsPort(undefined)).toBe(DEFAULT_DECISIONS_PORT);
    expect(parseDecisionsPort('3303')).toBe(3303);
    expect(parseDecisionsPort('x')).toEqual({ message: 'must be a port number from 1 to 65535, not "x"' });
  });

  it('reads what the login decision does with unknown applications: deny by default, or allow', () => {
    expect(parseEnv({}).decisions.unknownApplications).toBe('deny');
    expect(parseEnv({ DECISIONS_UNKNOWN_APPLICATIONS: 'allow' }).decisions.unknownApplications).toBe('allow');
    expect(parseEnv({ DECISIONS_UNKNOWN_APPLICATIONS: ' Deny ' }).decisions.unknownApplications).toBe('deny');
    for (const value of ['yes', 'true', 'permit', 'allow-all']) expect(problems({ DECISIONS_UNKNOWN_APPLICATIONS: value })).toEqual(['DECISIONS_UNKNOWN_APPLICATIONS']);
    expect(parseUnknownApplications(undefined)).toBe('deny');
    expect(parseUnknownApplications('allow')).toBe('allow');
    expect(parseUnknownApplications('open')).toEqual({ message: 'must be "deny" or "allow", not "open"' });
  });

  it('reads the readiness maximum snapshot age: 300 s by default, whole seconds from 1 to a day', () => {
    expect(DEFAULT_MAX_SNAPSHOT_AGE_SECONDS).toBe(300);
    expect(parseEnv({}).decisions.maxSnapshotAgeSeconds).toBe(300);
    expect(parseEnv({ DECISIONS_MAX_SNAPSHOT_AGE_SECONDS: ' 900 ' }).decisions.maxSnapshotAgeSeconds).toBe(900);
    for (const value of ['0', '-5', '1.5', '5m', '86401']) expect(problems({ DECISIONS_MAX_SNAPSHOT_AGE_SECONDS: value })).toEqual(['DECISIONS_MAX_SNAPSHOT_AGE_SECONDS']);
    expect(parseMaxSnapshotAge(undefined)).toBe(300);
    expect(parseMaxSnapshotAge('60')).toBe(60);
    expect(parseMaxSnapshotAge('5m')).toEqual({ message: 'must be a whole number of seconds from 1 to 86400, not "5m"' });
  });
});
