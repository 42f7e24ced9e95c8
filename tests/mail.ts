import { simpleParser, type AddressObject } from 'mailparser';

/**
 * The one RFC 822 reader of the tests (lib/mail.int.test.ts reads what its SMTP server received, e2e/fixtures.ts
 * what the e2e server's SMTP capture wrote to disk). mailparser does the MIME work (folded headers, RFC 2047 encoded
 * words, multipart bodies, quoted-printable and base64), so the tests check our messages, not a home-made parser.
 */
export interface ReadMail {
  /** The To header as written (display names and addresses). */
  to: string;
  from: string;
  subject: string;
  /** The decoded text/plain body, with \n line ends. */
  text: string;
  /** The http(s) links in the text, in order. */
  links: string[];
  /** The text/html body, or null when the message has none. */
  html: string | null;
}

function addresses(value: AddressObject | AddressObject[] | undefined): string {
  if (!value) return '';
  return (Array.isArray(value) ? value : [value]).map((a) => a.text).join(', ');
}

/** Reads one message as it travelled over SMTP. */
export async function readMail(raw: string | Buffer): Promise<ReadMail> {
  const parsed = await simpleParser(raw);
  const text = (parsed.text ?? '').replace(/\r\n/g, '\n');
  return {
    to: addresses(parsed.to),
    from: addresses(parsed.from),
    subject: parsed.subject ?? '',
    text,
    links: linksIn(text),
    html: typeof parsed.html === 'string' ? parsed.html : null,
  };
}

function linksIn(text: string): string[] {
  return text.match(/https?:\/\/[^\s<>"]*[^\s<>".,;:!?)\]']/g) ?? [];
}
