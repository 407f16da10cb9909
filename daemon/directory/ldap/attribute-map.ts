import type { AttributeMap } from '../../../protocol/directory/connection.js';

/**
 * The attribute names each directory type uses, as shipped. Active Directory has attributes for
 * the primary owner (managedBy) and the additional owners (msExchCoManagedByLink, from Exchange);
 * OpenLDAP's groupOfNames has one `owner` list, which herald reads as the additional owners and
 * keeps the primary owner itself. Neither has a list of additional managers: herald keeps those.
 */
export const DEFAULT_ATTRIBUTE_MAPS: Record<'Ldap' | 'ActiveDirectory', AttributeMap> = {
  Ldap: {
    guid: 'entryUUID', sid: null, userName: 'uid', groupName: 'cn', contactName: null, displayName: 'displayName', mail: 'mail',
    member: 'member', managedBy: null, additionalOwners: 'owner', manager: 'manager', passwordLastSet: 'pwdChangedTime',
    accountControl: null, userClass: 'inetOrgPerson', groupClass: 'groupOfNames', contactClass: null,
  },
  ActiveDirectory: {
    guid: 'objectGUID', sid: 'objectSid', userName: 'sAMAccountName', groupName: 'sAMAccountName', contactName: 'cn', displayName: 'displayName', mail: 'mail',
    member: 'member', managedBy: 'managedBy', additionalOwners: 'msExchCoManagedByLink', manager: 'manager', passwordLastSet: 'pwdLastSet',
    accountControl: 'userAccountControl', userClass: 'user', groupClass: 'group', contactClass: 'contact',
  },
};

export function effectiveAttributeMap(type: 'Ldap' | 'ActiveDirectory', overrides: Partial<AttributeMap>): AttributeMap {
  return { ...DEFAULT_ATTRIBUTE_MAPS[type], ...overrides };
}
