/**
 * One template, two bodies: an email is written once as a list of typed blocks, and rendered both as plain text and as
 * HTML from that list, so the two parts always say the same thing. Every value is escaped where it enters the HTML
 * (text, attribute), and nothing in a block is ever taken as markup. Inline styles only: mail clients drop <style>
 * and ignore classes. docs/decisions/0014-accessibility-and-layout.md says why this is hand-written.
 */
export type MailBlock =
  | { kind: 'paragraph'; text: string }
  /** A link drawn as a button in HTML; in text, `lead` and then the address on a line of its own. */
  | { kind: 'button'; label: string; lead: string; href: string }
  /** Label/value pairs: a small table in HTML, "Label: value" lines in text. */
  | { kind: 'facts'; rows: { label: string; value: string }[] }
  /** Small print. */
  | { kind: 'note'; text: string };

export interface MailTemplate {
  /** The document title in HTML (usually the subject). */
  title: string;
  blocks: MailBlock[];
}

export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' })[c]!);
}

const FONT = "font-family: -apple-system, 'Segoe UI', Roboto, Arial, sans-serif;";

function blockText(block: MailBlock): string {
  switch (block.kind) {
    case 'paragraph':
    case 'note':
      return block.text;
    case 'button':
      return `${block.lead}\n\n${block.href}`;
    case 'facts':
      return block.rows.map((r) => `${r.label}: ${r.value}`).join('\n');
  }
}

function blockHtml(block: MailBlock): string {
  switch (block.kind) {
    case 'paragraph':
      return `<p style="margin: 0 0 16px;">${escapeHtml(block.text)}</p>`;
    case 'note':
      return `<p style="margin: 0 0 16px; font-size: 13px; color: #52525b;">${escapeHtml(block.text)}</p>`;
    case 'button':
      return [
        '<p style="margin: 24px 0;">',
        `<a href="${escapeHtml(block.href)}" style="display: inline-block; background: #4338ca; color: #ffffff; padding: 10px 20px; border-radius: 6px; font-weight: 600; text-decoration: none;">${escapeHtml(block.label)}</a>`,
        '</p>',
        `<p style="margin: 0 0 16px; font-size: 13px; color: #52525b;">Or paste this address into your browser: <a href="${escapeHtml(block.href)}" style="color: #4338ca; word-break: break-all;">${escapeHtml(block.href)}</a></p>`,
      ].join('\n');
    case 'facts':
      return [
        '<table role="presentation" style="margin: 0 0 16px; border-collapse: collapse;">',
        ...block.rows.map(
          (r) =>
            `<tr><th scope="row" style="padding: 2px 16px 2px 0; text-align: left; font-weight: 600; vertical-align: top;">${escapeHtml(r.label)}</th><td style="padding: 2px 0;">${escapeHtml(r.value)}</td></tr>`,
        ),
        '</table>',
      ].join('\n');
  }
}

/** The plain-text body: blocks separated by blank lines, ending with a newline. */
export function renderText(template: MailTemplate): string {
  return template.blocks.map(blockText).join('\n\n') + '\n';
}

/** The HTML body: a complete, self-contained document with inline styles. */
export function renderHtml(template: MailTemplate): string {
  return [
    '<!doctype html>',
    `<html lang="en"><head><meta charset="utf-8"><meta name="viewport" content="width=device-width"><title>${escapeHtml(template.title)}</title></head>`,
    `<body style="margin: 0; padding: 24px; background: #f4f4f5; ${FONT} font-size: 15px; line-height: 1.5; color: #18181b;">`,
    '<div style="max-width: 560px; margin: 0 auto; padding: 32px; background: #ffffff; border-radius: 8px;">',
    ...template.blocks.map(blockHtml),
    '</div>',
    '</body></html>',
    '',
  ].join('\n');
}
