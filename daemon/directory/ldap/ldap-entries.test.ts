import { describe, expect, it } from 'vitest';
import { entryFilter, formatObjectGuid, formatObjectSid, parseRange, requestedAttributes } from './ldap-entries.js';
import { DEFAULT_ATTRIBUTE_MAPS } from './attribute-map.js';

describe('Active Directory value formats', () => {
  it('reads a ranged attribute name as AD sends large member lists', () => {
    expect(parseRange('member;range=0-1499')).toEqual({ type: 'member', start: 0, end: 1499 });
    expect(parseRange('member;range=1500-*')).toEqual({ type: 'member', start: 1500, end: '*' });
    expect(parseRange('member')).toBeUndefined();
    expect(parseRange('member;binary')).toBeUndefined();
  });

  it('formats objectGUID bytes as Windows prints the GUID (first three groups little-endian)', () => {
    // {b3e1a4c2-1f2e-4d3c-8b7a-0123456789ab} as AD stores it.
    const bytes = Buffer.from('c2a4e1b32e1f3c4d8b7a0123456789ab', 'hex');
    expect(formatObjectGuid(bytes)).toBe('b3e1a4c2-1f2e-4d3c-8b7a-0123456789ab');
  });

  it('formats objectSid bytes as Windows prints the SID (authority big-endian, sub-authorities little-endian)', () => {
    // S-1-5-21-3623811015-3361044348-30300820-1013: revision 1, 5 sub-authorities, authority 5 (NT).
    const bytes = Buffer.from('010500000000000515000000c7f7fed77c7755c8945ace01f5030000', 'hex');
    expect(formatObjectSid(bytes)).toBe('S-1-5-21-3623811015-3361044348-30300820-1013');
    // The well-known SID of the Administrators group: two sub-authorities.
    expect(formatObjectSid(Buffer.from('01020000000000052000000020020000', 'hex'))).toBe('S-1-5-32-544');
    // A length that does not match the sub-authority count is not a SID.
    expect(formatObjectSid(Buffer.from('0105000000000005150000', 'hex'))).toBeNull();
  });
});

describe('what a sync asks for', () => {
  it('asks OpenLDAP for entryUUID and modifyTimestamp, Active Directory for objectGUID and uSNChanged', () => {
    expect(requestedAttributes(DEFAULT_ATTRIBUTE_MAPS.Ldap, 'Ldap')).toEqual(expect.arrayContaining(['entryUUID', 'owner', 'manager', 'modifyTimestamp']));
    expect(requestedAttributes(DEFAULT_ATTRIBUTE_MAPS.ActiveDirectory, 'ActiveDirectory'))
      .toEqual(expect.arrayContaining(['objectGUID', 'objectSid', 'managedBy', 'msExchCoManagedByLink', 'userAccountControl', 'pwdLastSet', 'uSNChanged']));
  });

  it('leaves unmapped classes out of the filter', () => {
    expect(entryFilter(DEFAULT_ATTRIBUTE_MAPS.Ldap)).toBe('(|(objectClass=inetOrgPerson)(objectClass=groupOfNames))');
    expect(entryFilter(DEFAULT_ATTRIBUTE_MAPS.ActiveDirectory)).toBe('(|(objectClass=user)(objectClass=group)(objectClass=contact))');
  });
});
