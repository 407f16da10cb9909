import { HeraldError } from '../../protocol/index.js';
import { formatDn, parseDn } from '../../protocol/directory/dn.js';
import type { ObjectKind } from './provider.js';

/**
 * Reading directory exports into records that the import handler creates in two passes. Pure
 * text work, no database: every record and every reference keeps the line it came from, so that
 * any later failure (a member that does not exist, a name already taken) names the line to fix.
 */
export type ImportFormat = 'Ldif' | 'Csv';

/** A reference to another object (a member, a manager, an owner): a DN or a name, as written. */
export interface ImportRef {
  value: string;
  line: number;
}

export interface ImportRecord {
  line: number;
  kind: ObjectKind;
  name: string;
  /** LDIF only: the DN as written, which other records' references may use. */
  dn?: string;
  /** LDIF only: the DN minus its first component, so the object keeps its place in the tree. */
  container?: string;
  displayName?: string;
  mail?: string;
  enabled?: boolean;
  /** Users: the primary manager; groups: the primary owner (managedBy). */
  manager?: ImportRef;
  additionalOwners: ImportRef[];
  members: ImportRef[];
}

export const lineError = (line: number, message: string): HeraldError =>
  new HeraldError('ValidationFailed', `line ${line}: ${message}`, { field: 'content' });

/**
 * LDIF or CSV, from the text itself: the daemon is sent a file's content, never its name. An LDIF
 * export starts (after comments) with `version:` or `dn:`; anything else is read as CSV, whose
 * header check then says what is wrong.
 */
export function detectFormat(content: string): ImportFormat {
  const first = content.replace(/^\uFEFF/, '').split(/\r?\n/)
    // Folded lines (leading space) continue a comment here, since no record has started yet.
    .find((line) => line.trim() !== '' && !line.startsWith('#') && !line.startsWith(' '));
  return first !== undefined && /^(version|dn)::?/i.test(first) ? 'Ldif' : 'Csv';
}

export function parseImport(content: string, format: ImportFormat): ImportRecord[] {
  return format === 'Ldif' ? parseLdif(content) : parseCsv(content);
}

// --- LDIF (RFC 2849, content records only) ---

const USER_CLASSES = new Set(['user', 'person', 'organizationalperson', 'inetorgperson']);
const GROUP_CLASSES = new Set(['group', 'groupofnames', 'groupofuniquenames']);
/** userAccountControl's ACCOUNTDISABLE bit, as Active Directory exports a disabled account. */
const ACCOUNT_DISABLED = 0x2;

interface LdifLine {
  line: number;
  attribute: string;
  value: string;
}

/** Logical lines grouped by record: folds joined, comments dropped, base64 decoded. */
function ldifEntries(content: string): LdifLine[][] {
  const physical = content.replace(/^\uFEFF/, '').split(/\r?\n/);
  const entries: LdifLine[][] = [];
  let entry: LdifLine[] = [];
  // The logical line being built, and whether it is a comment (whose folds are comment too).
  let current: { line: number; text: string; comment: boolean } | undefined;
  const flush = () => {
    if (current && !current.comment) entry.push(parseLdifLine(current.line, current.text));
    current = undefined;
  };
  physical.forEach((text, index) => {
    const line = index + 1;
    if (text.startsWith(' ') && current) {
      current.text += text.slice(1);
      return;
    }
    flush();
    if (text.trim() === '') {
      if (entry.length) entries.push(entry);
      entry = [];
      return;
    }
    if (text.startsWith(' ')) throw lineError(line, 'a continuation line (starting with a space) follows nothing');
    current = { line, text, comment: text.startsWith('#') };
  });
  flush();
  if (entry.length) entries.push(entry);
  return entries;
}

function parseLdifLine(line: number, text: string): LdifLine {
  const match = /^([A-Za-z0-9][A-Za-z0-9.;-]*)\s*:(:|<)?\s?(.*)$/.exec(text);
  if (!match) throw lineError(line, `'${text.slice(0, 40)}' is not an LDIF line (attribute: value)`);
  // Options such as ;lang-en or ;binary do not change which attribute it is.
  const attribute = match[1].split(';')[0].toLowerCase();
  const [, , marker, rest] = match;
  if (marker === '<') throw lineError(line, `${attribute}: values read from URLs (:<) are not supported; put the value in the file`);
  if (marker !== ':') return { line, attribute, value: rest.trim() };
  const encoded = rest.trim();
  if (!/^[A-Za-z0-9+/]*={0,2}$/.test(encoded) || encoded.length % 4 !== 0) throw lineError(line, `${attribute}:: is not valid base64`);
  const bytes = Buffer.from(encoded, 'base64');
  try {
    return { line, attribute, value: new TextDecoder('utf-8', { fatal: true }).decode(bytes) };
  } catch {
    throw lineError(line, `${attribute}:: is not UTF-8 text once decoded`);
  }
}

function parseLdif(content: string): ImportRecord[] {
  const records: ImportRecord[] = [];
  for (const entry of ldifEntries(content)) {
    let lines = entry;
    // `version: 1` may stand before the first record, in the same paragraph or its own.
    if (lines[0].attribute === 'version') lines = lines.slice(1);
    if (lines.length === 0) continue;
    const [first] = lines;
    if (first.attribute !== 'dn') throw lineError(first.line, `a record must start with dn:, not ${first.attribute}:`);
    const values = (attribute: string) => lines.filter((l) => l.attribute === attribute);
    const single = (attribute: string): LdifLine | undefined => {
      const found = values(attribute);
      if (found.length > 1) throw lineError(found[1].line, `${attribute} is given more than once in this record`);
      return found[0];
    };
    const change = single('changetype');
    if (change) throw lineError(change.line, 'changetype records are not imported: give the objects as content records (dn, objectClass, attributes)');

    const classes = values('objectclass').map((l) => l.value.toLowerCase());
    const kind: ObjectKind | undefined = classes.includes('contact') ? 'Contact'
      : classes.some((c) => GROUP_CLASSES.has(c)) ? 'Group'
        : classes.some((c) => USER_CLASSES.has(c)) ? 'User' : undefined;
    if (!kind) throw lineError(first.line, `${first.value}: objectClass must name a user (user, person, inetOrgPerson), a group (group, groupOfNames) or a contact`);

    const dn = first.value;
    const rdns = splitFirstRdn(dn);
    if (!rdns) throw lineError(first.line, `'${dn}' is not a distinguished name`);
    const name = single('cn')?.value ?? rdns.value;
    const uac = single('useraccountcontrol');
    let enabled: boolean | undefined;
    if (uac) {
      const flags = Number(uac.value);
      if (!Number.isInteger(flags)) throw lineError(uac.line, `userAccountControl '${uac.value}' is not a number`);
      enabled = (flags & ACCOUNT_DISABLED) === 0;
    }
    const ref = (l: LdifLine): ImportRef => ({ value: l.value, line: l.line });
    const manager = single(kind === 'Group' ? 'managedby' : 'manager');
    if (kind === 'Contact' && manager) throw lineError(manager.line, 'a contact has no manager');
    const members = [...values('member'), ...values('uniquemember')];
    const owners = values('owner');
    if (kind !== 'Group' && (members.length || owners.length)) throw lineError((members[0] ?? owners[0]).line, `a ${kind.toLowerCase()} has no members or owners`);
    records.push({
      line: first.line, kind, name, dn, container: rdns.container,
      displayName: single('displayname')?.value, mail: single('mail')?.value, enabled: kind === 'User' ? enabled : undefined,
      manager: manager && ref(manager), additionalOwners: owners.map(ref), members: members.map(ref),
    });
  }
  return records;
}

/** The first RDN's value and the rest of the DN, or undefined for text that is not a DN. */
function splitFirstRdn(dn: string): { value: string; container: string | undefined } | undefined {
  const rdns = parseDn(dn);
  if (!rdns) return undefined;
  return { value: rdns[0].value, container: rdns.length > 1 ? formatDn(rdns.slice(1)) : undefined };
}

// --- CSV (RFC 4180: quotes, doubled quotes, commas and line breaks inside quotes) ---

const CSV_COLUMNS = ['ObjectType', 'Name', 'DisplayName', 'Mail', 'Enabled', 'Manager', 'ManagedBy', 'AdditionalOwners', 'Members'] as const;
type CsvColumn = (typeof CSV_COLUMNS)[number];

/** Rows of fields, each row with the line it starts on. */
function csvRows(content: string): { line: number; fields: string[] }[] {
  const text = content.replace(/^\uFEFF/, '');
  const rows: { line: number; fields: string[] }[] = [];
  let line = 1;
  let row: string[] = [];
  let rowLine = 1;
  let field = '';
  let quoted = false;
  let k = 0;
  const endRow = () => {
    row.push(field);
    if (row.length > 1 || row[0].trim() !== '') rows.push({ line: rowLine, fields: row });
    row = [];
    field = '';
  };
  while (k < text.length) {
    const c = text[k];
    if (quoted) {
      if (c === '"' && text[k + 1] === '"') { field += '"'; k += 2; continue; }
      if (c === '"') { quoted = false; k++; continue; }
      if (c === '\n') line++;
      field += c;
      k++;
      continue;
    }
    if (c === '"' && field.trim() === '') { field = ''; quoted = true; k++; continue; }
    if (c === ',') { row.push(field); field = ''; k++; continue; }
    if (c === '\r' && text[k + 1] === '\n') { k++; continue; }
    if (c === '\n') { endRow(); line++; rowLine = line; k++; continue; }
    field += c;
    k++;
  }
  if (quoted) throw lineError(rowLine, 'a quoted field is not closed');
  if (field !== '' || row.length) endRow();
  return rows;
}

function parseCsv(content: string): ImportRecord[] {
  const [header, ...rows] = csvRows(content);
  if (!header) throw lineError(1, `the file is empty: a CSV import needs a header row (${CSV_COLUMNS.join(',')})`);
  const columns = header.fields.map((name) => {
    const column = CSV_COLUMNS.find((known) => known.toLowerCase() === name.trim().toLowerCase());
    if (!column) throw lineError(header.line, `unknown column '${name.trim()}': the columns are ${CSV_COLUMNS.join(', ')}`);
    return column;
  });
  for (const needed of ['ObjectType', 'Name'] as const) {
    if (!columns.includes(needed)) throw lineError(header.line, `the header has no ${needed} column`);
  }
  return rows.map(({ line, fields }) => {
    if (fields.length !== columns.length) throw lineError(line, `${fields.length} fields, the header has ${columns.length}`);
    const cell = (column: CsvColumn): string | undefined => {
      const at = columns.indexOf(column);
      const value = at < 0 ? '' : fields[at].trim();
      return value === '' ? undefined : value;
    };
    const type = cell('ObjectType') ?? '';
    const kind = (['User', 'Group', 'Contact'] as const).find((k) => k.toLowerCase() === type.toLowerCase());
    if (!kind) throw lineError(line, `ObjectType '${type}' must be User, Group or Contact`);
    const list = (column: CsvColumn): ImportRef[] =>
      (cell(column) ?? '').split(';').map((value) => value.trim()).filter((value) => value !== '').map((value) => ({ value, line }));
    const enabledText = cell('Enabled');
    if (enabledText !== undefined && !/^(true|false)$/i.test(enabledText)) throw lineError(line, `Enabled '${enabledText}' must be True or False`);
    const managerColumn = kind === 'Group' ? 'ManagedBy' : 'Manager';
    const wrong = (kind === 'Group' ? ['Manager', 'Enabled'] : kind === 'User' ? ['ManagedBy', 'AdditionalOwners', 'Members'] : ['Manager', 'ManagedBy', 'Enabled', 'AdditionalOwners', 'Members'])
      .find((column) => cell(column as CsvColumn) !== undefined);
    if (wrong) throw lineError(line, `a ${kind.toLowerCase()} has no ${wrong}`);
    const manager = cell(managerColumn);
    return {
      line, kind, name: cell('Name') ?? '', displayName: cell('DisplayName'), mail: cell('Mail'),
      enabled: enabledText === undefined ? undefined : enabledText.toLowerCase() === 'true',
      manager: manager === undefined ? undefined : { value: manager, line },
      additionalOwners: list('AdditionalOwners'), members: list('Members'),
    };
  });
}
