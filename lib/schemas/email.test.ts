import { describe, expect, it } from 'vitest';
import { Email, isEmailAddress } from './email';

/**
 * The address syntax of RFC 5321 §4.1.2 (https://www.rfc-editor.org/rfc/rfc5321#section-4.1.2) with the UTF-8
 * extensions of RFC 6531 §3.3 (https://www.rfc-editor.org/rfc/rfc6531#section-3.3: `atext =/ UTF8-non-ascii`,
 * `qtextSMTP =/ UTF8-non-ascii`, `sub-domain =/ U-label`), and the size limits of RFC 5321 §4.5.3.1
 * (https://www.rfc-editor.org/rfc/rfc5321#section-4.5.3.1: local part 64 octets, domain 255, path 256).
 */
describe('isEmailAddress', () => {
  it.each([
    ['a plain address', 'alice@example.com'],
    ['every RFC 5322 atext symbol', "!#$%&'*+-/=?^_`{|}~@example.com"],
    ['an exclamation mark', "o!reilly@example.com"],
    ['an apostrophe', "o'reilly@example.com"],
    ['dots between atoms', 'first.middle.last@example.com'],
    ['a plus tag', 'alice+gatehouse@example.com'],
    ['UTF-8 in the local part (RFC 6531)', 'josé@example.com'],
    ['a non-Latin local part', 'пользователь@example.com'],
    ['a U-label domain (IDN)', 'user@bücher.example'],
    ['an A-label domain', 'user@xn--bcher-kva.example'],
    ['a fully international address', '用户@例子.广告'],
    ['a quoted local part with a space', '"john doe"@example.com'],
    ['a quoted local part with an @ and an escaped quote', '"a@b\\"c"@example.com'],
    ['digits and hyphens in labels', 'a@mail-1.example-2.com'],
    ['a 64-octet local part', `${'a'.repeat(64)}@example.com`],
  ])('accepts %s', (_name, address) => {
    expect(isEmailAddress(address)).toBe(true);
  });

  it.each([
    ['no @', 'alice.example.com'],
    ['two @ outside quotes', 'two@at@example.com'],
    ['an empty local part', '@example.com'],
    ['an empty domain', 'alice@'],
    ['a single-label domain', 'alice@localhost'],
    ['a leading dot', '.alice@example.com'],
    ['two dots in a row', 'a..b@example.com'],
    ['a trailing dot in the local part', 'alice.@example.com'],
    ['a space outside quotes', 'a b@example.com'],
    ['a comma', 'a,b@example.com'],
    ['an unclosed quote', '"a@example.com'],
    ['a label starting with a hyphen', 'a@-example.com'],
    ['a label ending with a hyphen', 'a@example-.com'],
    ['an underscore in the domain', 'a@exa_mple.com'],
    ['an empty label', 'a@example..com'],
    ['an address literal', 'a@[192.0.2.1]'],
    ['a control character', 'a\u0000b@example.com'],
    ['a right-to-left override (spoofing)', '\u202eevil@example.com'],
    ['a zero-width space', 'ali\u200bce@example.com'],
    ['a no-break space', 'ali\u00a0ce@example.com'],
    ['a 65-octet local part', `${'a'.repeat(65)}@example.com`],
    ['a local part over 64 octets in UTF-8 (33 × é)', `${'é'.repeat(33)}@example.com`],
    ['a 64-octet label', `a@${'b'.repeat(64)}.com`],
    ['an address over 254 octets', `a@${Array.from({ length: 5 }, () => 'b'.repeat(60)).join('.')}.com`],
  ])('refuses %s', (_name, address) => {
    expect(isEmailAddress(address)).toBe(false);
  });
});

describe('Email', () => {
  it('keeps the address as given and reports a readable error', () => {
    expect(Email.parse('José@Example.com')).toBe('José@Example.com');
    const result = Email.safeParse('not an address');
    expect(result.success).toBe(false);
    expect(result.error?.issues[0]?.message).toBe('Not a valid email address.');
  });
});
