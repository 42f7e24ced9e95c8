import { describe, expect, it } from 'vitest';
import { CreateOrgInput, OrgSlug, slugify, UpdateOrgSettingsInput } from './org';

describe('org schemas', () => {
  it('accepts well-formed slugs and normalizes case', () => {
    expect(OrgSlug.parse('acme')).toBe('acme');
    expect(OrgSlug.parse(' Acme-Corp ')).toBe('acme-corp');
  });
  it.each(['ab', '-acme', 'acme-', 'ac--me', 'acme_corp', 'ácme', 'a'.repeat(49), 'platform', 'api'])('rejects %j', (slug) => {
    expect(OrgSlug.safeParse(slug).success).toBe(false);
  });
  it('slugifies names into valid slugs', () => {
    expect(slugify('Acme Corp.')).toBe('acme-corp');
    expect(slugify('  Über  Größe!! ')).toBe('uber-grosse');
    expect(OrgSlug.safeParse(slugify('Globex Corporation International')).success).toBe(true);
  });
  it('requires a name and bounds the invitation expiry', () => {
    expect(CreateOrgInput.safeParse({ name: '  ', slug: 'acme' }).success).toBe(false);
    expect(UpdateOrgSettingsInput.safeParse({ name: 'A', invitationTtlDays: 31 }).success).toBe(false);
    expect(UpdateOrgSettingsInput.safeParse({ name: 'A', invitationTtlDays: '0' }).success).toBe(false);
    expect(UpdateOrgSettingsInput.parse({ name: 'A', invitationTtlDays: '14' }).invitationTtlDays).toBe(14);
  });
});
