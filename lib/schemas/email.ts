import { text } from './text';

/**
 * Email addresses as the mail standards define them, so everyone Auth0 signs in can be placed by Gatehouse:
 * RFC 5321 §4.1.2 (the SMTP mailbox syntax) extended by RFC 6531 §3.3 (SMTPUTF8: UTF-8 in the local part and
 * U-labels in the domain). `o!reilly@example.com`, `josé@example.com` and `user@bücher.example` are all addresses.
 *
 *   Mailbox       = Local-part "@" Domain
 *   Local-part    = Dot-string / Quoted-string
 *   Dot-string    = Atom *("." Atom)           Atom = 1*atext
 *   atext         = ALPHA / DIGIT / one of !#$%&'*+-/=?^_`{|}~   (RFC 5322 §3.2.3)  =/ UTF8-non-ascii (RFC 6531)
 *   Quoted-string = DQUOTE *(qtextSMTP / quoted-pairSMTP) DQUOTE
 *   qtextSMTP     = %d32-33 / %d35-91 / %d93-126                 =/ UTF8-non-ascii (RFC 6531)
 *   quoted-pairSMTP = "\" %d32-126
 *   Domain        = sub-domain *("." sub-domain)
 *   sub-domain    = Let-dig [Ldh-str]                            =/ U-label (RFC 6531)
 *
 * Limits (RFC 5321 §4.5.3.1): a local part of at most 64 octets, a domain of at most 255, and a path of at most 256
 * octets including the angle brackets, so an address of at most 254. Octets are counted in UTF-8.
 *
 * Deliberately narrower than the grammar, because these addresses are people's identities in Gatehouse:
 * - the domain needs at least two labels (no `user@localhost`) and address literals (`user@[192.0.2.1]`) are
 *   refused: default-role rules match on the domain name;
 * - non-ASCII means letters, marks, numbers, symbols and punctuation: control, format (bidi overrides, zero-width
 *   characters), private-use, unassigned and separator characters are refused, as they serve only to spoof;
 * - a U-label is checked for its shape (letters, marks, digits, hyphens; no hyphen at either end), not against the
 *   full IDNA2008 tables, which Auth0 and the mail servers apply themselves.
 */

const MAX_ADDRESS_OCTETS = 254;
const MAX_LOCAL_OCTETS = 64;
const MAX_DOMAIN_OCTETS = 255;
const MAX_LABEL_OCTETS = 63;

/** Non-ASCII characters allowed in addresses: anything but controls, format, surrogates, private use, unassigned and separators. */
const NON_ASCII = String.raw`[^\x00-\x7F\p{C}\p{Z}]`;
const ATEXT = String.raw`(?:[A-Za-z0-9!#$%&'*+\-/=?^_\x60{|}~]|${NON_ASCII})`;
const DOT_STRING = new RegExp(String.raw`^${ATEXT}+(?:\.${ATEXT}+)*$`, 'u');
const QUOTED_STRING = new RegExp(String.raw`^"(?:[\x20\x21\x23-\x5B\x5D-\x7E]|\\[\x20-\x7E]|${NON_ASCII})*"$`, 'u');
/** An LDH label (RFC 5321 sub-domain), or a U-label's shape: starts with a letter or digit, ends without a hyphen. */
const LABEL = /^[\p{L}\p{N}](?:[\p{L}\p{N}\p{M}-]*[\p{L}\p{N}\p{M}])?$/u;

const encoder = new TextEncoder();
const octets = (s: string) => encoder.encode(s).length;

/** True when `value` is an address by RFC 5321 / RFC 6531 (within the limits above). */
export function isEmailAddress(value: string): boolean {
  if (octets(value) > MAX_ADDRESS_OCTETS) return false;
  const at = value.lastIndexOf('@');
  if (at <= 0 || at === value.length - 1) return false;
  const local = value.slice(0, at);
  const domain = value.slice(at + 1);
  if (octets(local) > MAX_LOCAL_OCTETS || octets(domain) > MAX_DOMAIN_OCTETS) return false;
  if (!DOT_STRING.test(local) && !QUOTED_STRING.test(local)) return false;
  const labels = domain.split('.');
  if (labels.length < 2) return false;
  // An A-label (xn--…) is an LDH label. A U-label is measured in UTF-8 octets, close to but not exactly its
  // A-label's length; the DNS applies the exact limit.
  return labels.every((l) => octets(l) <= MAX_LABEL_OCTETS && LABEL.test(l));
}

/**
 * An email address as Auth0 and the mail standards allow it (see above), for the decision API's login input and
 * the console's sign-in claims. Only the syntax is checked; case is left as given.
 */
export const Email = text({ max: MAX_ADDRESS_OCTETS, exact: true, maxMessage: `Use at most ${MAX_ADDRESS_OCTETS} characters.` })
  .refine(isEmailAddress, { error: 'Not a valid email address.' })
  .meta({ format: 'idn-email', description: 'An email address (RFC 5321, with the UTF-8 of RFC 6531: international local parts and domains).' });
