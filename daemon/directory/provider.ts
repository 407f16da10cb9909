/**
 * What herald needs from a directory, whatever holds it: the builtin store in herald's own
 * database, or an LDAP server (ldap/ldap-directory.ts). Every cmdlet, rule and schedule works through this.
 * Calls are synchronous for the builtin provider; a network provider wraps the same shape.
 */
export type ObjectKind = 'User' | 'Group' | 'Contact';
export type SecurityType = 'Private' | 'SemiPrivate' | 'Public';
export type LinkKind = 'Member' | 'AdditionalOwner' | 'AdditionalManager';
export type LinkType = 'Perpetual' | 'Temporary' | 'AdditionPending' | 'RemovalPending' | 'TemporaryRemoved';

export interface DirectoryObject {
  /** herald's row id: stable within the store, never shown to users. */
  id: number;
  guid: string;
  kind: ObjectKind;
  /** The CN / sAMAccountName-like name, unique in the store regardless of case. */
  name: string;
  dn: string;
  displayName: string | null;
  mail: string | null;
  /** Users only: disabled users are never notified. */
  enabled: boolean;
  /** Users: primary manager; groups: primary owner (ManagedBy). */
  managerId: number | null;
  /** Groups only. */
  securityType: SecurityType | null;
  /** Users only: a password is stored (for sign-in); the password itself never leaves the provider. */
  passwordSet: boolean;
  passwordLastSet: string | null;
  passwordNeverExpires: boolean;
  createdAt: string;
  updatedAt: string;
}

/**
 * A membership, additional ownership or additional management. `parentId` is the object whose
 * list it is (the group, or the managed user); `childId` the member, owner or manager.
 */
export interface DirectoryLink {
  kind: LinkKind;
  parentId: number;
  childId: number;
  type: LinkType;
  startDate: string | null;
  endDate: string | null;
  /** Additional owners only: this owner does not want notifications. */
  notifyOptOut: boolean;
}

export interface NewObject {
  kind: ObjectKind;
  name: string;
  container?: string;
  displayName?: string | null;
  mail?: string | null;
  enabled?: boolean;
  managerId?: number | null;
  securityType?: SecurityType | null;
  password?: string;
  passwordNeverExpires?: boolean;
}

export type ObjectPatch = Partial<Omit<NewObject, 'kind' | 'container'>> & { newName?: string };

/** What fan-out needs of a member: enough to mail it or to expand it, nothing more. */
export type DirectoryMember = Pick<DirectoryObject, 'id' | 'kind' | 'name' | 'mail' | 'enabled'>;

/** The directory's own password lifetime, as the last sync read it. */
export interface PasswordPolicy {
  /** The policy entry read; null when there was not exactly one. */
  dn: string | null;
  /** null: the directory sets no lifetime (pwdMaxAge 0 or absent, or no single policy). */
  maxAgeDays: number | null;
  /** How many policy entries the sync found. */
  policies: number;
}

export interface DirectoryProvider {
  /** By DN, GUID, name or mail, case-insensitively; undefined when nothing matches. */
  find(identity: string, kind?: ObjectKind): DirectoryObject | undefined;
  get(id: number): DirectoryObject | undefined;
  /**
   * Objects under a container (the whole subtree), of a kind, whose name matches a pattern with
   * `*` and `?` wildcards; each filter optional. Sorted by name.
   */
  search(filter: { container?: string; kind?: ObjectKind; name?: string }): DirectoryObject[];
  /** Fails with Conflict (field `name` or `mail`) when the name or mail address is taken in the store. */
  create(object: NewObject, now: string): DirectoryObject;
  /** As create; a rename keeps the object in its container. Conflicts name the field `newName` or `mail`. */
  update(id: number, patch: ObjectPatch, now: string): DirectoryObject;
  /** Its links go with it; objects it managed or owned are left without one. */
  remove(id: number): void;
  links(filter: { kind: LinkKind; parentId?: number; childId?: number }): DirectoryLink[];
  /** Adds the link, or replaces the one of the same kind, parent and child (its type, dates, opt-out). */
  /**
   * A group's current members as objects, in one read: the fan-out of a large group must not
   * cost a lookup per member. Pending additions and temporary removals are left out.
   */
  currentMembers(groupId: number): DirectoryMember[];
  addLink(link: DirectoryLink): void;
  removeLink(kind: LinkKind, parentId: number, childId: number): boolean;
  /** Checks a user's password: false for a wrong one, and for an object without one. A directory server answers later: by a bind. */
  verifyPassword(userId: number, password: string): boolean | Promise<boolean>;
  /** Directory servers that have one (OpenLDAP's ppolicy); undefined: none, or not read yet. */
  passwordPolicy?(): PasswordPolicy | undefined;
}
