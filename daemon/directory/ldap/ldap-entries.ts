import type { Client, Entry } from 'ldapts';
import type { AttributeMap } from '../../../protocol/directory/connection.js';
import type { ObjectKind } from '../provider.js';

/** One user, group or contact as the directory holds it, in herald's terms. */
export interface DirectoryEntry {
  guid: string;
  /** Active Directory's security identifier (S-1-5-21-…); null where the directory has none. */
  sid: string | null;
  dn: string;
  kind: ObjectKind;
  name: string;
  displayName: string | null;
  mail: string | null;
  /** null: the directory has no attribute for it (herald keeps its own value). */
  enabled: boolean | null;
  passwordNeverExpires: boolean | null;
  passwordLastSet: string | null;
  /** Users: the manager's DN; groups: the primary owner's. undefined: not mapped. */
  managerDn: string | null | undefined;
  memberDns: string[];
  /** undefined: additional owners are not mapped (herald keeps them). */
  ownerDns: string[] | undefined;
  /** modifyTimestamp or uSNChanged: how far a sync has read. */
  mark: string | null;
}

export const PAGE_SIZE = 500;

/** The attribute that says how recent a change is: AD's update sequence number, else the time stamp. */
export const markAttribute = (type: 'Ldap' | 'ActiveDirectory') => (type === 'ActiveDirectory' ? 'uSNChanged' : 'modifyTimestamp');

/** `member;range=0-1499` → the start and end of the range (`*` end: the last part). */
export function parseRange(attributeKey: string): { type: string; start: number; end: number | '*' } | undefined {
  const match = /^([^;]+);range=(\d+)-(\d+|\*)$/i.exec(attributeKey);
  if (!match) return undefined;
  return { type: match[1], start: Number(match[2]), end: match[3] === '*' ? '*' : Number(match[3]) };
}

const list = (value: Entry[string] | undefined): string[] =>
  value === undefined ? [] : (Array.isArray(value) ? value : [value]).map((item) => (Buffer.isBuffer(item) ? item.toString('utf8') : item));
const single = (value: Entry[string] | undefined): string | null => list(value)[0] ?? null;

/** AD's objectGUID is 16 bytes, the first three groups little-endian. */
export function formatObjectGuid(bytes: Buffer): string {
  const hex = bytes.toString('hex');
  const swap = (part: string) => part.match(/../g)!.reverse().join('');
  return `${swap(hex.slice(0, 8))}-${swap(hex.slice(8, 12))}-${swap(hex.slice(12, 16))}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}

/**
 * AD's objectSid: revision, sub-authority count, a 48-bit big-endian identifier authority, then
 * that many 32-bit little-endian sub-authorities (the last one the relative ID).
 */
export function formatObjectSid(bytes: Buffer): string | null {
  // Anything else is not a SID; the object is still read, without one.
  if (bytes.length < 8 || bytes.length !== 8 + bytes[1] * 4) return null;
  const authority = bytes.readUIntBE(2, 6);
  const subAuthorities = Array.from({ length: bytes[1] }, (_, index) => bytes.readUInt32LE(8 + index * 4));
  return ['S', bytes[0], authority, ...subAuthorities].join('-');
}

/** `20261126145619Z` (generalized time) or an AD file time (100 ns since 1601) as ISO 8601. */
function timeOf(text: string | null): string | null {
  if (!text || text === '0') return null;
  const generalized = /^(\d{4})(\d{2})(\d{2})(\d{2})(\d{2})(\d{2})(?:\.\d+)?Z$/.exec(text);
  if (generalized) {
    const [, y, mo, d, h, mi, s] = generalized;
    return new Date(Date.UTC(+y, +mo - 1, +d, +h, +mi, +s)).toISOString();
  }
  if (/^\d{15,}$/.test(text)) return new Date(Number(BigInt(text) / 10_000n) - 11_644_473_600_000).toISOString();
  return null;
}

/** Everything a sync asks the server for, per the store's map. */
export function requestedAttributes(map: AttributeMap, type: 'Ldap' | 'ActiveDirectory'): string[] {
  const names = [map.guid, map.sid, map.userName, map.groupName, map.contactName, map.displayName, map.mail, map.member, map.managedBy,
    map.additionalOwners, map.manager, map.passwordLastSet, map.accountControl, 'objectClass', markAttribute(type)];
  return [...new Set(names.filter((name): name is string => name !== null))];
}

export function entryFilter(map: AttributeMap): string {
  const classes = [map.userClass, map.groupClass, map.contactClass].filter((name): name is string => name !== null);
  return `(|${classes.map((name) => `(objectClass=${name})`).join('')})`;
}

/**
 * Values of a multi-valued attribute, all of them: Active Directory hands out large ones in
 * ranges (`member;range=0-1499`), each further range read with a base search of its own.
 */
async function allValues(client: Client, entry: Entry, type: string): Promise<string[]> {
  const values = list(entry[type]);
  let ranged = Object.keys(entry).map(parseRange).find((range) => range?.type.toLowerCase() === type.toLowerCase());
  if (!ranged) return values;
  values.push(...list(entry[`${ranged.type};range=${ranged.start}-${ranged.end}`]));
  while (ranged && ranged.end !== '*') {
    const next = `${type};range=${ranged.end + 1}-*`;
    const { searchEntries } = await client.search(entry.dn, { scope: 'base', attributes: [next] });
    const part = searchEntries[0];
    ranged = part && Object.keys(part).map(parseRange).find((range) => range?.type.toLowerCase() === type.toLowerCase());
    if (ranged) values.push(...list(part[`${ranged.type};range=${ranged.start}-${ranged.end}`]));
  }
  return values;
}

function kindOf(entry: Entry, map: AttributeMap): ObjectKind | undefined {
  const classes = new Set(list(entry.objectClass).map((name) => name.toLowerCase()));
  const has = (name: string | null) => name !== null && classes.has(name.toLowerCase());
  // AD computers are users too (objectClass computer); herald has no use for them.
  if (classes.has('computer')) return undefined;
  if (has(map.groupClass)) return 'Group';
  if (has(map.contactClass)) return 'Contact';
  if (has(map.userClass)) return 'User';
  return undefined;
}

export async function toDirectoryEntry(client: Client, entry: Entry, map: AttributeMap, type: 'Ldap' | 'ActiveDirectory'): Promise<DirectoryEntry | undefined> {
  const kind = kindOf(entry, map);
  const rawGuid = entry[map.guid!];
  const guid = Buffer.isBuffer(rawGuid) ? formatObjectGuid(rawGuid) : single(rawGuid)?.toLowerCase();
  const nameAttribute = kind === 'Group' ? map.groupName : kind === 'Contact' ? map.contactName : map.userName;
  const name = single(entry[nameAttribute ?? 'cn']) ?? single(entry.cn);
  if (!kind || !guid || !name) return undefined;
  const rawSid = map.sid ? entry[map.sid] : undefined;
  const sid = Buffer.isBuffer(rawSid) ? formatObjectSid(rawSid) : single(rawSid);
  const control = map.accountControl ? single(entry[map.accountControl]) : null;
  const flags = control === null ? null : Number(control);
  const managerAttribute = kind === 'Group' ? map.managedBy : map.manager;
  return {
    guid, sid, dn: entry.dn, kind, name,
    displayName: map.displayName ? single(entry[map.displayName]) : null,
    mail: map.mail ? single(entry[map.mail]) : null,
    // userAccountControl: 0x2 disabled, 0x10000 the password never expires.
    enabled: flags === null || kind !== 'User' ? null : (flags & 0x2) === 0,
    passwordNeverExpires: flags === null || kind !== 'User' ? null : (flags & 0x10000) !== 0,
    passwordLastSet: map.passwordLastSet ? timeOf(single(entry[map.passwordLastSet])) : null,
    managerDn: managerAttribute ? single(entry[managerAttribute]) : undefined,
    memberDns: kind === 'Group' && map.member ? await allValues(client, entry, map.member) : [],
    ownerDns: kind === 'Group' && map.additionalOwners ? await allValues(client, entry, map.additionalOwners) : undefined,
    mark: single(entry[markAttribute(type)]),
  };
}

/** Users, groups and contacts under the base DN (changed at or after `since`, when given), page by page. */
export async function readEntries(client: Client, options: { baseDn: string; map: AttributeMap; type: 'Ldap' | 'ActiveDirectory'; since?: string | null }): Promise<DirectoryEntry[]> {
  const { baseDn, map, type, since } = options;
  const filter = since ? `(&${entryFilter(map)}(${markAttribute(type)}>=${since}))` : entryFilter(map);
  const out: DirectoryEntry[] = [];
  const pages = client.searchPaginated(baseDn, {
    scope: 'sub', filter, attributes: requestedAttributes(map, type), paged: { pageSize: PAGE_SIZE },
    explicitBufferAttributes: type === 'ActiveDirectory' ? [map.guid, map.sid].filter((name): name is string => name !== null) : [],
  });
  for await (const page of pages) {
    for (const entry of page.searchEntries) {
      const converted = await toDirectoryEntry(client, entry, map, type);
      if (converted) out.push(converted);
    }
  }
  return out;
}
