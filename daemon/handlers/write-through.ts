import type { Handlers, Services } from '../context.js';

/**
 * The directory-changing methods. Each runs through the directory write-through, so that on an
 * Ldap or ActiveDirectory store its changes reach the server before herald commits them.
 */
const DIRECTORY_WRITES = [
  'group.create', 'group.set', 'group.remove', 'groupMember.add', 'groupMember.remove',
  'user.create', 'user.set', 'user.remove', 'contact.create', 'contact.set', 'contact.remove',
  'groupMember.set', 'groupOwner.add', 'groupOwner.remove', 'userManager.add', 'userManager.remove',
  'smartGroup.create', 'smartGroup.set', 'group.update',
] as const;
// Not here: testClock.set and schedule.invoke run the scheduler, whose batches go through the
// write-through themselves (one at a time: wrapping the call too would wait on itself).

export function withDirectoryWriteThrough(handlers: Handlers, services: Pick<Services, 'ldap'>): Handlers {
  const wrapped = { ...handlers } as Record<string, (params: unknown, caller: unknown) => unknown>;
  for (const name of DIRECTORY_WRITES) {
    const handler = handlers[name] as (params: unknown, caller: unknown) => unknown;
    wrapped[name] = (params, caller) => services.ldap.writeThrough(() => handler(params, caller));
  }
  return wrapped as unknown as Handlers;
}
