import { X509Certificate } from 'node:crypto';
import { isIP } from 'node:net';
import { z } from 'zod';

/**
 * Mail addresses, mail servers and the other endpoints notification settings point at. The
 * checks are deliberately stricter than the RFCs: whatever passes here must be accepted by any
 * submission server herald talks to, and must not be able to smuggle header syntax (CR/LF,
 * angle brackets, quotes, list separators) into a message.
 */

// The local part is a dot-atom: atext runs joined by single dots. Quoted local parts ("a b"@x)
// are legal in RFC 5321 but refused by many servers and never needed by real mailboxes.
const ATEXT = "A-Za-z0-9!#$%&'*+/=?^_`{|}~-";
const DOT_ATOM = new RegExp(`^[${ATEXT}]+(?:\\.[${ATEXT}]+)*$`);

// Letters, digits and hyphens, no hyphen at either end, 1–63 characters (RFC 1035, RFC 1123).
const LABEL = /^[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?$/;

// A top-level label of digits only would make the name indistinguishable from (part of) an IPv4
// address, so RFC 3696 §2 rules it out.
const ALL_DIGITS = /^[0-9]+$/;

// Anything that is not ordinary text in a display name: controls (C0, DEL, C1), format characters
// (bidi overrides can make a name read as something else), lone surrogates, line/paragraph separators.
const NOT_PRINTABLE = /[\p{Cc}\p{Cf}\p{Cs}\p{Zl}\p{Zp}]/u;

// Characters that would end or restructure a plain display-name phrase, or split an address list.
const PHRASE_SPECIALS = /[<>",;@]/;

/** True for a hostname of at least `minLabels` labels; `text` carries no trailing dot. */
function isLabelSequence(text: string, minLabels: number): boolean {
  if (text.length === 0 || text.length > 253) return false;
  const labels = text.split('.');
  if (labels.length < minLabels) return false;
  if (!labels.every((label) => LABEL.test(label))) return false;
  return !ALL_DIGITS.test(labels[labels.length - 1]);
}

/**
 * An address literal as RFC 5321 §4.1.3 writes it. IPv6 zone ids (`%eth0`) name an interface of
 * one machine and mean nothing to a mail server, so `isIP`'s acceptance of them is overruled.
 */
function isAddressLiteral(text: string): boolean {
  if (!text.startsWith('[') || !text.endsWith(']')) return false;
  const inner = text.slice(1, -1);
  if (inner.includes('%')) return false;
  // The tag is ABNF text, which is case-insensitive.
  if (/^ipv6:/i.test(inner)) return isIP(inner.slice(5)) === 6;
  return isIP(inner) === 4;
}

/**
 * A mail address as mail submission accepts it: `local@domain`, ASCII only. Internationalised
 * addresses (SMTPUTF8, RFC 6531) are not accepted yet: herald cannot tell whether the server
 * offers the extension, and a message that fails mid-delivery is worse than a setting refused
 * up front. Internationalised domains can still be written in their xn-- (punycode) form.
 */
export function isMailAddress(text: string): boolean {
  // 254, not 320: the forward path is limited to 256 octets including the angle brackets.
  if (text.length === 0 || text.length > 254) return false;
  const at = text.indexOf('@');
  if (at < 0 || at !== text.lastIndexOf('@')) return false;
  const local = text.slice(0, at);
  const domain = text.slice(at + 1);
  // ASCII-only patterns below, so characters are octets and the 64 limit is the RFC's.
  if (local.length > 64 || !DOT_ATOM.test(local)) return false;
  // A bare host ("a@b") is a local alias at best; submission servers want a real domain.
  return isLabelSequence(domain, 2) || isAddressLiteral(domain);
}

/**
 * A hostname: a fully qualified name or a single label (`localhost`, `mail`), which a resolver
 * search list may complete. A trailing dot marks a name as absolute and is allowed.
 */
export function isHostName(text: string): boolean {
  return isLabelSequence(text.endsWith('.') ? text.slice(0, -1) : text, 1);
}

/** A hostname, an IPv4 address, or an IPv6 address, plain or in brackets as URLs write it. */
export function isServerAddress(text: string): boolean {
  if (text.includes('%')) return false; // zone ids: see isAddressLiteral
  if (text.startsWith('[') && text.endsWith(']')) return isIP(text.slice(1, -1)) === 6;
  return isIP(text) !== 0 || isHostName(text);
}

export interface Mailbox {
  name?: string;
  address: string;
}

/**
 * A mail address with an optional display name: `addr`, `Name <addr>` or `"Last, First" <addr>`.
 * Angle brackets only appear with a display name: a bare `<addr>` is refused, so each value has
 * one spelling. The display name may use any printable Unicode (mailers encode it per RFC 2047);
 * the address itself must be ASCII. Returns undefined when the text is not such a mailbox.
 */
export function parseMailbox(text: string): Mailbox | undefined {
  // Refusing controls first means no CR/LF can reach a header, and makes trimming safe.
  if (NOT_PRINTABLE.test(text)) return undefined;
  const value = text.trim();
  if (!value.endsWith('>')) return isMailAddress(value) ? { address: value } : undefined;

  let name: string;
  let rest: string;
  if (value.startsWith('"')) {
    // A quoted string: `\x` stands for x, so names can contain quotes and backslashes.
    let i = 1;
    name = '';
    while (i < value.length && value[i] !== '"') {
      if (value[i] === '\\') {
        if (i + 1 >= value.length) return undefined;
        i += 1;
      }
      name += value[i];
      i += 1;
    }
    if (i >= value.length) return undefined; // no closing quote
    rest = value.slice(i + 1).trimStart();
  } else {
    const open = value.indexOf('<');
    if (open < 0) return undefined;
    name = value.slice(0, open);
    if (PHRASE_SPECIALS.test(name)) return undefined;
    rest = value.slice(open);
  }
  name = name.trim();
  if (name === '') return undefined;

  // Nothing may follow the closing bracket: the match is anchored at both ends.
  const angle = /^<([^<>]*)>$/.exec(rest);
  if (!angle || !isMailAddress(angle[1])) return undefined;
  return { name, address: angle[1] };
}

/**
 * The entries of an address list. An array is taken as already split, entry for entry, so that a
 * validation error's index points at the caller's own element; entries are only trimmed. A string
 * is split on `;` (what the reference product writes) and `,` (what admins also type), outside
 * double quotes so `"Last, First" <a@x.example>` stays one entry; empty entries are dropped.
 */
export function splitAddressList(value: string | string[]): string[] {
  if (Array.isArray(value)) return value.map((entry) => entry.trim());
  const entries: string[] = [];
  let current = '';
  let quoted = false;
  for (let i = 0; i < value.length; i += 1) {
    const c = value[i];
    if (quoted && c === '\\' && i + 1 < value.length) {
      // An escaped character inside quotes, possibly a quote: keep both, it ends nothing.
      current += c + value[i + 1];
      i += 1;
      continue;
    }
    if (c === '"') quoted = !quoted;
    if (!quoted && (c === ';' || c === ',')) {
      entries.push(current);
      current = '';
      continue;
    }
    current += c;
  }
  entries.push(current);
  return entries.map((entry) => entry.trim()).filter((entry) => entry !== '');
}

/** Exchange Online / Office 365 / Outlook.com SMTP endpoints, where Basic authentication fails under mandatory MFA. */
const OFFICE365_HOSTS = new Set(['smtp.office365.com', 'outlook.office365.com', 'smtp-mail.outlook.com', 'smtp.outlook.com']);
const OFFICE365_SUFFIXES = ['.mail.protection.outlook.com', '.office365.com'];

export function isOffice365Host(server: string): boolean {
  let host = server.trim().toLowerCase();
  if (host.endsWith('.')) host = host.slice(0, -1);
  return OFFICE365_HOSTS.has(host) || OFFICE365_SUFFIXES.some((suffix) => host.endsWith(suffix));
}

/**
 * A value echoed in a message: controls shown as escapes so a CR/LF cannot break the line it is
 * printed on, and long values cut so a pasted document does not become the error message.
 */
function shown(value: unknown): string {
  const text = typeof value === 'string' ? value : String(value);
  const cut = text.length > 80 ? `${text.slice(0, 80)}…` : text;
  const escaped = cut.replace(/[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]/gu, (c) => {
    const named: Record<string, string> = { '\r': '\\r', '\n': '\\n', '\t': '\\t' };
    return named[c] ?? `\\u${c.charCodeAt(0).toString(16).padStart(4, '0')}`;
  });
  return `'${escaped}'`;
}

export const mailAddress = (what: string) =>
  z
    .string()
    .trim()
    .refine(isMailAddress, { error: (issue) => `${what} ${shown(issue.input)} is not a valid mail address (expected name@example.com)` });

/** A sender or similar single mailbox; the value stays as written (trimmed), parseMailbox reads it. */
export const mailbox = (what: string) =>
  z
    .string()
    .trim()
    .max(512, `${what} must be at most 512 characters`)
    .refine((text) => parseMailbox(text) !== undefined, {
      error: (issue) => `${what} ${shown(issue.input)} is not a valid mailbox (expected name@example.com or Name <name@example.com>)`,
    });

/**
 * A list of plain mail addresses, given as an array or as one `;`/`,`-separated string. Each
 * element is checked on its own so the issue path carries its index (`to.1`). Duplicates differing
 * only in case are dropped, keeping the first spelling: a recipient listed twice gets one copy.
 * The limit counts distinct addresses.
 */
export const addressList = (what: string, max = 100) =>
  z
    // A union, not z.preprocess, so the input JSON Schema (OpenRPC, shell parameters) still says string or string[].
    .union([z.string(), z.array(z.string())], { error: `${what} must be a string or an array of strings` })
    .transform(splitAddressList)
    .pipe(
      z.array(
        z.string().refine(isMailAddress, { error: (issue) => `${what}: ${shown(issue.input)} is not a valid mail address` }),
      ),
    )
    .transform((addresses) => {
      const seen = new Set<string>();
      return addresses.filter((address) => {
        const key = address.toLowerCase();
        if (seen.has(key)) return false;
        seen.add(key);
        return true;
      });
    })
    // Ending in a plain array schema keeps the output JSON Schema typed (string[], maxItems).
    .pipe(z.array(z.string()).max(max, `${what} may list at most ${max} addresses`));

/**
 * An SMTP (or other) server: hostname, IPv4 or IPv6. Lower-cased because DNS names are
 * case-insensitive and comparisons (isOffice365Host, change history) should not see two spellings.
 * Brackets around IPv6 are kept as written; strip them before handing the value to a socket.
 */
export const serverAddress = (what: string) =>
  z
    .string()
    .trim()
    .toLowerCase()
    .refine(isServerAddress, {
      error: (issue) => `${what} ${shown(issue.input)} is not a valid server address (expected a hostname such as smtp.example.com, or an IP address)`,
    });

// A CA bundle such as Mozilla's is about 220 KB; the limit leaves room for that and no more.
const MAX_PEM_LENGTH = 512 * 1024;
const PEM_BLOCK = /-----BEGIN ([A-Z0-9 ]+)-----[\s\S]*?-----END \1-----/g;

/**
 * One or more PEM certificates, each readable by OpenSSL. Text outside the blocks (the
 * `subject=`/`issuer=` lines openssl prints) is allowed, as RFC 7468 allows it; other blocks are
 * not, and a private key gets its own message because pasting one here would leak it.
 */
export const pemCertificate = (what: string) =>
  z
    .string()
    .trim()
    .max(MAX_PEM_LENGTH, `${what} must be at most ${MAX_PEM_LENGTH} characters`)
    .superRefine((text, ctx) => {
      if (/-----BEGIN [A-Z ]*PRIVATE KEY-----/.test(text)) {
        ctx.addIssue({ code: 'custom', message: `${what} must contain certificates only, not a private key` });
        return;
      }
      const expected = `${what} must be one or more PEM certificates (-----BEGIN CERTIFICATE----- … -----END CERTIFICATE-----)`;
      const blocks = [...text.matchAll(PEM_BLOCK)];
      // Counting BEGIN lines catches a block whose END line is missing, which the pattern skips.
      const begins = text.match(/-----BEGIN /g)?.length ?? 0;
      if (blocks.length === 0 || blocks.length !== begins || blocks.some((block) => block[1] !== 'CERTIFICATE')) {
        ctx.addIssue({ code: 'custom', message: expected });
        return;
      }
      for (const [index, [block]] of blocks.entries()) {
        try {
          new X509Certificate(block);
        } catch {
          const which = blocks.length > 1 ? ` (certificate ${index + 1} of ${blocks.length} does not parse)` : ' (the certificate does not parse)';
          ctx.addIssue({ code: 'custom', message: expected + which });
          return;
        }
      }
    });

/**
 * An absolute https:// URL, for endpoints that receive tokens or credentials: http would send
 * them in clear. User info in the URL is refused because it would be a secret stored, logged and
 * shown as plain settings text; secrets go in their own write-only fields.
 */
export const httpsUrl = (what: string) =>
  z
    .string()
    .trim()
    .max(2048, `${what} must be at most 2048 characters`)
    .superRefine((text, ctx) => {
      let url: URL | undefined;
      // The WHATWG parser silently drops tabs and newlines and accepts `https:host`; neither is
      // what the user meant to store, so the raw text must already be in plain absolute form.
      if (/^https:\/\//i.test(text) && !/[\s\p{Cc}]/u.test(text)) {
        try {
          url = new URL(text);
        } catch {
          url = undefined;
        }
      }
      if (!url || url.protocol !== 'https:' || url.hostname === '') {
        ctx.addIssue({ code: 'custom', message: `${what} must be an absolute https:// URL (https is required)` });
        return;
      }
      if (url.username !== '' || url.password !== '') {
        ctx.addIssue({ code: 'custom', message: `${what} must not contain a user name or password: secrets do not belong in URLs` });
      }
    });
