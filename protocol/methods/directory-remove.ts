import { z } from 'zod';
import { DIRECTORY_STORE_PARAMETER, IDENTITY_PARAMETER, directoryStore, objectIdentity } from '../directory/views.js';
import { defineMethod, type CmdletExample } from '../method.js';

/**
 * Remove-User, Remove-Group and Remove-Contact differ only in their words: one definition,
 * asking first at a terminal and proceeding in scripts, as the reference shell's did.
 */
export function removeObjectMethod(spec: {
  kind: 'User' | 'Group' | 'Contact';
  summary: string;
  description?: string;
  exampleIdentity: string;
  examples: CmdletExample[];
}) {
  const noun = spec.kind.toLowerCase();
  return defineMethod({
    name: `${noun}.remove`,
    access: 'write',
    summary: spec.summary,
    ...(spec.description ? { description: spec.description } : {}),
    params: z.strictObject({
      identity: objectIdentity('identity').describe(`DN, GUID, name or mail of the ${noun}`),
      identityStore: directoryStore,
    }),
    result: z.null(),
    errors: ['NotFound'],
    examples: [{ name: 'remove', params: { identityStore: 'Corp', identity: spec.exampleIdentity }, result: null }],
    cmdlet: {
      name: `Remove-${spec.kind}`,
      whatIfNotification: { kind: 'ObjectDeleted', identity: 'identity' },
      parameters: { identity: IDENTITY_PARAMETER, identityStore: DIRECTORY_STORE_PARAMETER },
      target: 'identity',
      confirmImpact: 'High',
      confirmWhen: 'interactive',
      output: 'none',
      examples: spec.examples,
    },
  });
}
