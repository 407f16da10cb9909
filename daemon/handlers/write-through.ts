import type { Handlers, Services } from '../context.js';

/**
 * The directory-changing methods. Each runs through the directory write-through, so that on an
 * Ldap or ActiveDirectory store its changes reach the server before herald commits them.
 */
const DIRECTORY_WRITES = [
  'group.create', 'group.set', 'group.remove', 'groupMember.add', 'groupMember.remove',
  'user.create', 'user.set', 'user.remove', 'contact.create', 'contact.set', 'contact.remove',
] as const;

export function withDirectoryWriteThrough(handlers: Handlers, services: Pick<Services, 'ldap'>): Handlers {
  const wrapped = { ...handlers } as Record<string, (params: unknown, caller: unknown) => unknown>;
  for (const name of DIRECTORY_WRITES) {
    const handler = handlers[name] as (params: unknown, caller: unknown) => unknown;
    wrapped[name] = (params, caller) => services.ldap.writeThrough(() => handler(params, caller));
  }
  return wrapped as unknown as Handlers;
}
