import { describe, expect, it } from 'vitest';
import { attachmentDisposition } from './content-disposition';

// RFC 6266 §4.1 (https://www.rfc-editor.org/rfc/rfc6266#section-4.1): filename is a token or a quoted-string;
// the Fetch standard's Headers refuses a value with CR, LF or NUL, or a code point above U+00FF.
describe('attachmentDisposition', () => {
  it('keeps safe parts and makes any other value a valid header', () => {
    expect(attachmentDisposition(['access', 'acme-co', 'users'], 'csv')).toBe('attachment; filename="access-acme-co-users.csv"');
    for (const evil of ['a\r\nSet-Cookie: x=1', 'a"; filename="evil.exe', '€uro', '../../etc/passwd', '\u0000', '']) {
      const value = attachmentDisposition(['access', evil, 'users'], 'csv');
      expect(() => new Headers({ 'Content-Disposition': value })).not.toThrow();
      expect(value).toMatch(/^attachment; filename="[a-z0-9-]+\.csv"$/);
    }
  });
});
