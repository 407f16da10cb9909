import { z } from 'zod';

/**
 * Distinguished names as RFC 4514 writes them, for the builtin directory and for the DNs people
 * type. Only what herald needs: `type=value` components separated by commas, values escaped with
 * `\` + character or `\` + two hex digits. Multi-valued RDNs (`+`) and `#`-BER values are not used
 * by any directory herald talks to, so a `+` or leading `#` is just a character of the value.
 */
export interface Rdn {
  type: string;
  /** Unescaped. */
  value: string;
}

// Attribute types are keywords (CN, OU, DC) or dotted OIDs.
const ATTRIBUTE_TYPE = /^(?:[A-Za-z][A-Za-z0-9-]*|\d+(?:\.\d+)*)$/;

/** The value as it must be written in a DN: specials escaped, and the spaces and `#` RFC 4514 would otherwise drop or misread. */
export function escapeDnValue(value: string): string {
  let out = '';
  for (let k = 0; k < value.length; k++) {
    const c = value[k];
    if ('\\,+"<>;='.includes(c)) out += '\\' + c;
    else if (c === '\0') out += '\\00';
    else if ((k === 0 && (c === ' ' || c === '#')) || (k === value.length - 1 && c === ' ')) out += '\\' + c;
    else out += c;
  }
  return out;
}

/**
 * The components of a DN, or undefined when the text is not one. Unescaped spaces around types,
 * values and commas are dropped (people write `CN=Users, DC=corp`); escaped ones are kept.
 */
export function parseDn(text: string): Rdn[] | undefined {
  const rdns: Rdn[] = [];
  let i = 0;
  while (i <= text.length) {
    const equals = text.indexOf('=', i);
    if (equals < 0) return undefined;
    const type = text.slice(i, equals).trim();
    if (!ATTRIBUTE_TYPE.test(type)) return undefined;
    // The value: characters up to the next unescaped comma; `kept` marks escaped ones, so that
    // trimming drops only the spaces nobody asked for.
    const chars: { c: string; kept: boolean }[] = [];
    let j = equals + 1;
    for (; j < text.length && text[j] !== ','; j++) {
      if (text[j] !== '\\') {
        chars.push({ c: text[j], kept: false });
        continue;
      }
      const hex = /^[0-9A-Fa-f]{2}/.exec(text.slice(j + 1, j + 3));
      if (hex) {
        // Hex escapes spell UTF-8 bytes; a run of them is one character or more.
        const bytes: number[] = [];
        while (text[j] === '\\' && /^[0-9A-Fa-f]{2}$/.test(text.slice(j + 1, j + 3))) {
          bytes.push(parseInt(text.slice(j + 1, j + 3), 16));
          j += 3;
        }
        j -= 1;
        for (const c of new TextDecoder().decode(new Uint8Array(bytes))) chars.push({ c, kept: true });
        continue;
      }
      if (j + 1 >= text.length) return undefined; // a lone trailing backslash
      chars.push({ c: text[j + 1], kept: true });
      j += 1;
    }
    let start = 0;
    let end = chars.length;
    while (start < end && chars[start].c === ' ' && !chars[start].kept) start++;
    while (end > start && chars[end - 1].c === ' ' && !chars[end - 1].kept) end--;
    const value = chars.slice(start, end).map((x) => x.c).join('');
    if (value === '') return undefined;
    rdns.push({ type, value });
    if (j >= text.length) break;
    i = j + 1;
  }
  return rdns;
}

export function formatDn(rdns: Rdn[]): string {
  return rdns.map((rdn) => `${rdn.type}=${escapeDnValue(rdn.value)}`).join(',');
}

/** A DN given as a parameter (a container to create in or search under): checked here, at the boundary. */
export const distinguishedName = (what: string) =>
  z
    .string()
    .trim()
    .max(2048, `${what} must be at most 2048 characters`)
    // eslint-disable-next-line no-control-regex
    .refine((text) => !/[\u0000-\u001f\u007f]/.test(text) && parseDn(text) !== undefined, {
      error: `${what} must be a distinguished name such as CN=Users,DC=Corp,DC=herald`,
    });
