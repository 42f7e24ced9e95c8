/**
 * A `Content-Disposition: attachment` value built only from safe characters. Parts of a filename often come from the
 * request (an org slug filter) or the database; a CR or LF in one split the response header (500), a quote ended the
 * filename early, and a character outside Latin-1 made `Headers` throw. Each part is cut down to lower-case letters,
 * digits and hyphens, so the header is valid whatever it was given (RFC 6266 §4.1: a quoted-string filename).
 */
export function attachmentDisposition(parts: readonly string[], extension: string): string {
  const clean = (s: string) =>
    s
      .toLowerCase()
      .replace(/[^a-z0-9-]+/g, '-')
      .replace(/-{2,}/g, '-')
      .replace(/^-|-$/g, '')
      .slice(0, 60);
  const name = parts.map(clean).filter(Boolean).join('-') || 'download';
  return `attachment; filename="${name}.${clean(extension) || 'bin'}"`;
}
