import type { z } from 'zod';
import { daemonGetStatus } from './daemon.js';
import { identityStoreCreate, identityStoreGet, identityStoreRemove, identityStoreSet } from './identity-store.js';
import { identityStorePortalAdd, identityStorePortalGet, identityStorePortalRemove } from './identity-store-portal.js';

/**
 * Every RPC method, declared once, sorted by name (a contract test keeps it so). The
 * dispatcher, the cmdlets, help and the OpenRPC document are all derived from this table.
 */
export const METHODS = {
  'daemon.getStatus': daemonGetStatus,
  'identityStore.create': identityStoreCreate,
  'identityStore.get': identityStoreGet,
  'identityStore.remove': identityStoreRemove,
  'identityStore.set': identityStoreSet,
  'identityStorePortal.add': identityStorePortalAdd,
  'identityStorePortal.get': identityStorePortalGet,
  'identityStorePortal.remove': identityStorePortalRemove,
} as const;

export type Methods = typeof METHODS;
export type MethodName = keyof Methods;
/** What a caller may send (defaults and optional fields still optional). */
export type ParamsOf<M extends MethodName> = z.input<Methods[M]['params']>;
/** What a handler receives, after validation and defaults. */
export type ValidParamsOf<M extends MethodName> = z.output<Methods[M]['params']>;
export type ResultOf<M extends MethodName> = z.output<Methods[M]['result']>;

export const METHOD_NAMES = Object.keys(METHODS) as MethodName[];

export function isMethodName(name: string): name is MethodName {
  return Object.prototype.hasOwnProperty.call(METHODS, name);
}

export * from './daemon.js';
export * from './identity-store.js';
export * from './identity-store-portal.js';
