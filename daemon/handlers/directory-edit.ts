import type { DirectoryObject, LinkKind, ObjectPatch, SecurityType } from '../directory/provider.js';
import { perpetual, type AttributeChange, type DirectoryScope } from './directory-support.js';

/** A Set-* call's changes to an object's own attributes; undefined means unchanged (Set is a patch). */
export interface AttributePatch {
  newName?: string;
  displayName?: string | null;
  mail?: string | null;
  enabled?: boolean;
  /** The resolved manager (users) or primary owner (groups); null clears. */
  manager?: DirectoryObject | null;
  securityType?: SecurityType;
  password?: string;
  passwordNeverExpires?: boolean;
}

const PLAIN = ['displayName', 'mail', 'enabled', 'securityType', 'passwordNeverExpires'] as const;

/**
 * The part of a patch that really changes something, and the changes as the history records
 * them: old and new value, the manager by name, a password with no values at all (a change
 * event must say that it changed and nothing else).
 */
export function changedAttributes(scope: DirectoryScope, before: DirectoryObject, patch: AttributePatch, managerAttribute: 'manager' | 'managedBy'): { patch: ObjectPatch; changes: AttributeChange[] } {
  const effective: ObjectPatch = {};
  const changes: AttributeChange[] = [];
  if (patch.newName !== undefined && patch.newName !== before.name) {
    effective.newName = patch.newName;
    changes.push({ attribute: 'name', oldValue: before.name, newValue: patch.newName });
  }
  for (const key of PLAIN) {
    const value = patch[key];
    if (value === undefined || value === before[key]) continue;
    (effective as Record<string, unknown>)[key] = value;
    changes.push({ attribute: key, oldValue: before[key], newValue: value });
  }
  if (patch.manager !== undefined && (patch.manager?.id ?? null) !== before.managerId) {
    effective.managerId = patch.manager?.id ?? null;
    const old = before.managerId === null ? null : scope.dir.get(before.managerId)?.name ?? null;
    changes.push({ attribute: managerAttribute, oldValue: old, newValue: patch.manager?.name ?? null });
  }
  if (patch.password !== undefined) {
    effective.password = patch.password;
    changes.push({ attribute: 'password', oldValue: undefined, newValue: undefined });
  }
  return { patch: effective, changes };
}

/**
 * Makes an object's links of a kind name exactly `desired`: links to others removed, new ones
 * added as perpetual; links that stay keep their type and dates. With `optOut`, additional
 * owners' opt-out flags are set to it. Returns who came and went, for the change events.
 */
export function syncLinks(scope: DirectoryScope, parent: DirectoryObject, kind: LinkKind, desired: DirectoryObject[], optOut?: Set<number>): { added: DirectoryObject[]; removed: DirectoryObject[] } {
  const { dir } = scope;
  const current = dir.links({ kind, parentId: parent.id });
  const wanted = new Set(desired.map((object) => object.id));
  const present = new Set(current.map((link) => link.childId));
  const removed: DirectoryObject[] = [];
  for (const link of current) {
    if (wanted.has(link.childId)) {
      const flag = optOut?.has(link.childId);
      if (flag !== undefined && flag !== link.notifyOptOut) dir.addLink({ ...link, notifyOptOut: flag });
      continue;
    }
    const child = dir.get(link.childId);
    dir.removeLink(kind, parent.id, link.childId);
    if (child) {
      scope.forgetSteps(kind, parent, child);
      removed.push(child);
    }
  }
  const added = desired.filter((object) => !present.has(object.id));
  for (const object of added) {
    dir.addLink(perpetual(kind, parent.id, object.id, optOut?.has(object.id) ?? false));
    scope.forgetSteps(kind, parent, object);
  }
  return { added, removed };
}

/** The objects an object's links of a kind point at, in link order. */
export function linkedObjects(scope: DirectoryScope, kind: LinkKind, parentId: number, filter: (optOut: boolean) => boolean = () => true): DirectoryObject[] {
  return scope.dir.links({ kind, parentId }).filter((link) => filter(link.notifyOptOut))
    .map((link) => scope.dir.get(link.childId)).filter((object): object is DirectoryObject => object !== undefined);
}
