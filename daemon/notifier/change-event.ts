import type { DirectoryObject } from '../directory/provider.js';

export const CHANGE_KINDS = [
  'ObjectCreated', 'ObjectModified', 'ObjectDeleted', 'MemberAdded', 'MemberRemoved',
  'OwnerAdded', 'OwnerRemoved', 'ManagerAdded', 'ManagerRemoved',
] as const;
export type ChangeKind = (typeof CHANGE_KINDS)[number];

/** Who made a change: a signed-in directory user, or the daemon token's holder. */
export interface Actor {
  name: string;
  /** The signed-in directory user, when there is one. */
  user?: DirectoryObject;
  /** That user's sign-in, for stores that send with the signed-in user's credentials. Never stored. */
  smtpCredential?: { user: string; pass: string };
}

/**
 * One change made through herald, recorded in the transaction that makes it. For member,
 * owner and manager changes `object` is the group or user whose list changed and `related`
 * the one added or removed. A deletion is recorded before the object goes, so that its members
 * can still be told.
 */
export interface ChangeEvent {
  storeId: number;
  storeName: string;
  kind: ChangeKind;
  object: DirectoryObject;
  related?: DirectoryObject;
  /** ObjectModified: the attributes that changed, old and new (never passwords). */
  changes?: { attribute: string; oldValue: unknown; newValue: unknown }[];
  actor: Actor;
  /** sync: a change made in the directory with another tool, found by the periodic sync. */
  source: 'shell' | 'rpc' | 'schedule' | 'import' | 'sync';
}

/** Records changes and turns them into mails; handlers call it inside their transaction. */
export interface ChangeRecorder {
  record(event: ChangeEvent): void;
}
