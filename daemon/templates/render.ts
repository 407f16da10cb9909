import { TAG_NAMES, TEMPLATE_KINDS, tagText, type NotificationKind, type TagName } from '../../protocol/index.js';

/** A mail as a template holds it, and as rendering returns it. */
export interface MailTemplate {
  subject: string;
  text: string;
  html: string;
}

export type TagValues = Partial<Record<TagName, string>>;

/**
 * Tags in templates: `%PREFIX_Attribute%` or `%PREFIX%`, matched ignoring case
 * (`%targetobject_displayname%` is `%TARGETOBJECT_DisplayName%`), because directory attribute
 * names are case-insensitive and a stricter rule would only turn typos into refusals. `%%` writes
 * one literal `%`. A value put in is never scanned for tags again.
 *
 * Which `%…%` words count as tags: those whose prefix is in capitals (at least three letters) or
 * is one of the known prefixes in any case. Anything else stays text as written, so percent
 * signs in prose and percent-encoded URLs (`%C3%A9cole%20`) never need escaping.
 *
 * `%%` comes first in the pattern, so that it is consumed before it could open a tag.
 */
const TOKEN = /%%|%([A-Za-z][A-Za-z0-9]*)(?:_([A-Za-z][A-Za-z0-9]*))?%/g;

const BY_FOLDED_NAME = new Map<string, TagName>(TAG_NAMES.map((name) => [name.toLowerCase(), name]));
const KNOWN_PREFIXES = new Set(TAG_NAMES.map((name) => name.split('_')[0]));

type Token = { kind: 'percent' } | { kind: 'tag'; written: string; tag: TagName | undefined };

/** Classifies one match of TOKEN; undefined when the match is plain text. */
function classify(match: RegExpExecArray): Token | undefined {
  if (match[0] === '%%') return { kind: 'percent' };
  const [written, prefix, attribute] = match;
  const looksLikeTag = /^[A-Z][A-Z0-9]{2,}$/.test(prefix) || KNOWN_PREFIXES.has(prefix.toUpperCase());
  if (!looksLikeTag) return undefined;
  const name = attribute === undefined ? prefix : `${prefix}_${attribute}`;
  return { kind: 'tag', written, tag: BY_FOLDED_NAME.get(name.toLowerCase()) };
}

/**
 * Replaces tokens in `text`. A plain-text match gives back only its first character, so that a
 * `%` that closed nothing can still open the next tag (`50%DAYS%` -> `50` and `%DAYS%`).
 */
function substitute(text: string, replace: (token: Token) => string): string {
  const pattern = new RegExp(TOKEN);
  let out = '';
  let from = 0;
  for (let match = pattern.exec(text); match; match = pattern.exec(text)) {
    const token = classify(match);
    if (!token) {
      pattern.lastIndex = match.index + 1;
      continue;
    }
    out += text.slice(from, match.index) + replace(token);
    from = pattern.lastIndex;
  }
  return out + text.slice(from);
}

/** The tag-looking words of a text, as written, that are not among `allowed`. */
export function unknownTags(text: string, allowed: readonly TagName[]): string[] {
  const found = new Set<string>();
  substitute(text, (token) => {
    if (token.kind === 'tag' && (!token.tag || !allowed.includes(token.tag))) found.add(token.written);
    return '';
  });
  return [...found];
}

/** Every problem with the given parts of a kind's template: tags it does not have. */
export function checkTemplate(kind: NotificationKind, parts: Partial<MailTemplate>): { field: keyof MailTemplate; message: string }[] {
  const allowed = TEMPLATE_KINDS[kind].tags;
  const problems: { field: keyof MailTemplate; message: string }[] = [];
  for (const field of ['subject', 'text', 'html'] as const) {
    const text = parts[field];
    if (text === undefined) continue;
    const unknown = unknownTags(text, allowed);
    if (unknown.length === 0) continue;
    problems.push({
      field,
      message: `${field} uses ${unknown.join(', ')}, which ${unknown.length === 1 ? 'is not a tag' : 'are not tags'} of ${kind} templates; `
        + `their tags are ${allowed.map(tagText).join(', ')} (write %% for a literal %)`,
    });
  }
  return problems;
}

const HTML_ESCAPES: Record<string, string> = { '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&#39;' };

/** Safe between tags and inside quoted attributes; line breaks stay visible as <br>. */
export function escapeHtml(value: string): string {
  return value.replace(/[&<>"']/g, (c) => HTML_ESCAPES[c]).replace(/\r?\n/g, '<br>\n');
}

/** A value fit for a one-line subject: line breaks and other control characters become spaces. */
function oneLine(value: string): string {
  // eslint-disable-next-line no-control-regex
  return value.replace(/[\u0000-\u001f\u007f]+/g, ' ').trim();
}

/**
 * Puts the values into a template: plain in the text body, HTML-escaped in the HTML body, on one
 * line in the subject. A tag without a value becomes empty; text that is no tag stays as written.
 */
export function renderTemplate(template: MailTemplate, values: TagValues): MailTemplate {
  const fill = (text: string, encode: (value: string) => string) =>
    substitute(text, (token) => (token.kind === 'percent' ? '%' : token.tag ? encode(values[token.tag] ?? '') : token.written));
  return {
    subject: oneLine(fill(template.subject, oneLine)),
    text: fill(template.text, (value) => value),
    html: fill(template.html, escapeHtml),
  };
}
