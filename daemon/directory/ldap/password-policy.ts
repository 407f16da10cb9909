import type { Client } from 'ldapts';
import type { PasswordPolicy } from '../provider.js';

const DAY_SECONDS = 86_400;

/**
 * OpenLDAP's password lifetime: `pwdMaxAge` (seconds) of the ppolicy overlay's default policy.
 * The overlay names that entry in its own configuration (olcPPolicyDefault), which a service
 * account cannot read; herald reads the pwdPolicy entries under the store's base DN instead and
 * takes the one there is. With none, or several (herald cannot tell which is the default), the
 * directory sets no lifetime herald can use.
 */
export async function readPasswordPolicy(client: Client, baseDn: string): Promise<PasswordPolicy> {
  const { searchEntries } = await client.search(baseDn, { scope: 'sub', filter: '(objectClass=pwdPolicy)', attributes: ['pwdMaxAge'] });
  if (searchEntries.length !== 1) return { dn: null, maxAgeDays: null, policies: searchEntries.length };
  const [policy] = searchEntries;
  const seconds = Number(Array.isArray(policy.pwdMaxAge) ? policy.pwdMaxAge[0] : policy.pwdMaxAge);
  // pwdMaxAge 0 or absent: passwords never expire by this policy.
  const maxAgeDays = Number.isFinite(seconds) && seconds > 0 ? Math.max(1, Math.round(seconds / DAY_SECONDS)) : null;
  return { dn: policy.dn, maxAgeDays, policies: 1 };
}
