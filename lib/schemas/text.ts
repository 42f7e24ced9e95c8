import { z } from 'zod';

/**
 * The one string schema every text input is built from (names, descriptions, keys, identifiers, search boxes).
 *
 * PostgreSQL refuses a NUL byte in text outright, so a NUL that reached the database answered 500; the other control
 * characters are stored but break headers, CSV cells and mail subjects later. So text refuses C0 and C1 control
 * characters (and DEL) up front with a field error. Multi-line text (descriptions) keeps line breaks and tabs, with
 * CR LF and CR read as LF.
 *
 * Names ({@link nameText}: of orgs, roles, APIs, applications, rules, keys, people) also lose bidi controls
 * (LRE/RLE/PDF/LRO/RLO, the isolates, LRM/RLM/ALM) and zero-width characters (ZWSP, ZWNJ, ZWJ, word joiner, invisible
 * operators, BOM): they are invisible, and a name with a right-to-left override or hidden characters can read as
 * something else than it is, in the console and in invitation mail. They are removed rather than refused because
 * they arrive unseen in pasted text. (A ZWJ emoji sequence such as a family falls apart into its parts; that is the
 * price.) Identifiers, addresses and search text keep them, and their own formats or lookups refuse them.
 */

const BIDI_CONTROLS = '\\u061C\\u200E\\u200F\\u202A-\\u202E\\u2066-\\u2069';
const ZERO_WIDTH = '\\u180E\\u200B-\\u200D\\u2060-\\u2064\\uFEFF';
const INVISIBLE = new RegExp(`[${BIDI_CONTROLS}${ZERO_WIDTH}]`, 'g');

/** One line: no C0 or C1 control character, no DEL, no Unicode line or paragraph separator. */
export const SINGLE_LINE_TEXT = /^[^\u0000-\u001F\u007F-\u009F\u2028\u2029]*$/;
/** Several lines: as one line, but line feeds and tabs are allowed. */
export const MULTILINE_TEXT = /^[^\u0000-\u0008\u000B-\u001F\u007F-\u009F]*$/;

export interface TextOptions {
  /** Most characters, counted after trimming. */
  max: number;
  /** Fewest characters after trimming (default 0: may be empty). */
  min?: number;
  /** Shown when shorter than `min`; default "Use at least N characters." ("Enter a value." for 1). */
  minMessage?: string;
  /** Shown when longer than `max`; default "Use at most N characters.". */
  maxMessage?: string;
  /** Shown when the value is not a string at all. */
  typeMessage?: string;
  /** Descriptions: line breaks and tabs allowed. */
  multiline?: boolean;
  /**
   * Identifiers compared as given (a decision API `sub`, client id, audience): not trimmed and nothing removed, only
   * control characters refused, so what is looked up is what was sent.
   */
  exact?: boolean;
}

/** Removes bidi controls and zero-width characters (see the module comment). */
export function stripInvisible(value: string): string {
  return value.replace(INVISIBLE, '');
}

/**
 * A string schema that refuses control characters and, unless `exact`, trims before the length checks. Returns a
 * plain `z.ZodString`, so more checks can follow (`.toLowerCase()`, `.regex(...)`).
 */
export function text(options: TextOptions): z.ZodString {
  return build(options, false);
}

/** A one-line name: {@link text} that also removes invisible characters; at least one character unless `min` says otherwise. */
export function nameText(options: Omit<TextOptions, 'multiline' | 'exact'>): z.ZodString {
  return build({ min: 1, ...options }, true);
}

function build(options: TextOptions, strip: boolean): z.ZodString {
  const { max, min = 0, multiline = false, exact = false } = options;
  let schema = options.typeMessage ? z.string({ error: options.typeMessage }) : z.string();
  if (multiline) schema = schema.overwrite((v) => v.replace(/\r\n?/g, '\n'));
  if (strip) schema = schema.overwrite(stripInvisible);
  if (!exact) schema = schema.trim();
  schema = schema.regex(multiline ? MULTILINE_TEXT : SINGLE_LINE_TEXT, {
    error: multiline ? 'Remove control characters (line breaks and tabs are fine).' : 'Use one line of text without control characters.',
    abort: true,
  });
  if (min > 0) schema = schema.min(min, options.minMessage ?? (min === 1 ? 'Enter a value.' : `Use at least ${min} characters.`));
  return schema.max(max, options.maxMessage ?? `Use at most ${max} characters.`);
}
