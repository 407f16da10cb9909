import type { StoredSettings } from '../../protocol/index.js';
import type { DirectoryMember, DirectoryObject, DirectoryProvider } from '../directory/provider.js';
import type { ChangeEvent } from './change-event.js';

/** Why someone is notified: a fixed list, or one of the Also-notify rules. */
export type Reason = 'To' | 'Cc' | 'LoggedInUser' | 'ModifiedObject' | 'GroupOwners' | 'Managers' | 'AddedMembers' | 'RemovedMembers' | 'PublicGroupOwners';

export interface Recipient {
  address: string;
  /** The directory object behind the address, when there is one. */
  name: string | null;
  field: 'to' | 'cc';
  reasons: Reason[];
}

/** Someone the rules named but who gets no mail, and why. */
export interface Skipped {
  name: string;
  reason: Reason;
  why: 'no mail address' | 'disabled';
}

const MEMBER_CHANGES = new Set(['MemberAdded', 'MemberRemoved']);

/**
 * Who hears of a change, by the store's To/CC lists and Also-notify rules, each person once
 * however many rules name them. A group named by a rule means its members, nested groups
 * expanded (cycles cut); objects without mail and disabled users are skipped.
 */
export function resolveRecipients(event: ChangeEvent, settings: StoredSettings, directory: DirectoryProvider): { recipients: Recipient[]; skipped: Skipped[] } {
  const byAddress = new Map<string, Recipient>();
  const skipped: Skipped[] = [];
  const add = (address: string, name: string | null, field: 'to' | 'cc', reason: Reason) => {
    const key = address.toLowerCase();
    const existing = byAddress.get(key);
    if (!existing) return void byAddress.set(key, { address, name, field, reasons: [reason] });
    if (!existing.reasons.includes(reason)) existing.reasons.push(reason);
    // Named by a rule as well as by the CC list: one mail, addressed to them.
    if (field === 'to') existing.field = 'to';
    existing.name ??= name;
  };

  const people = (object: DirectoryObject, reason: Reason) =>
    expandPeople(directory, object, (person) => add(person.mail!, person.name, 'to', reason), (name, why) => skipped.push({ name, reason, why }));

  const owners = (group: DirectoryObject, reason: Reason) => {
    if (group.managerId !== null) {
      const primary = directory.get(group.managerId);
      if (primary) people(primary, reason);
    }
    for (const link of directory.links({ kind: 'AdditionalOwner', parentId: group.id })) {
      if (link.notifyOptOut || link.type === 'AdditionPending' || link.type === 'TemporaryRemoved') continue;
      const owner = directory.get(link.childId);
      if (owner) people(owner, reason);
    }
  };

  for (const address of settings.to) add(address, null, 'to', 'To');
  for (const address of settings.cc) add(address, null, 'cc', 'Cc');
  const { object, related, actor } = event;
  if (settings.notifyLoggedInUser && actor.user) people(actor.user, 'LoggedInUser');
  if (settings.notifyModifiedObject) people(object, 'ModifiedObject');
  if (settings.notifyGroupOwners && object.kind === 'Group') owners(object, 'GroupOwners');
  if (settings.notifyManagers && object.kind === 'User') {
    if (object.managerId !== null) {
      const manager = directory.get(object.managerId);
      if (manager) people(manager, 'Managers');
    }
    for (const link of directory.links({ kind: 'AdditionalManager', parentId: object.id })) {
      const manager = directory.get(link.childId);
      if (manager) people(manager, 'Managers');
    }
  }
  if (settings.notifyAddedMembers && event.kind === 'MemberAdded' && related) people(related, 'AddedMembers');
  if (settings.notifyRemovedMembers && event.kind === 'MemberRemoved' && related) people(related, 'RemovedMembers');
  if (settings.notifyPublicGroupOwners && MEMBER_CHANGES.has(event.kind) && object.kind === 'Group' && object.securityType === 'Public') {
    owners(object, 'PublicGroupOwners');
  }
  return { recipients: [...byAddress.values()], skipped };
}

/**
 * The people an object stands for: itself, or a group's members all the way down (each group
 * once, so cycles end). People without mail, and disabled users, are reported instead.
 */
export function expandPeople(
  directory: DirectoryProvider,
  object: DirectoryMember,
  onPerson: (person: DirectoryMember) => void,
  onSkip: (name: string, why: Skipped['why']) => void,
  visited = new Set<number>(),
): void {
  if (object.kind === 'Group') {
    if (visited.has(object.id)) return;
    visited.add(object.id);
    for (const member of directory.currentMembers(object.id)) expandPeople(directory, member, onPerson, onSkip, visited);
    return;
  }
  if (object.kind === 'User' && !object.enabled) return onSkip(object.name, 'disabled');
  if (!object.mail) return onSkip(object.name, 'no mail address');
  onPerson(object);
}
