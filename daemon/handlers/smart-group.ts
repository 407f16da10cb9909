import { HeraldError, type SmartGroupView } from '../../protocol/index.js';
import type { Caller, Handler, Services } from '../context.js';
import type { DirectoryObject } from '../directory/provider.js';
import {
  FOLLOW_DIRECTORY_POLICY, domainExpiration, refuseWithoutMail, smartGroupRow, updatePasswordExpiryGroup, type SmartGroupRow,
} from '../smart-groups/password-expiry.js';
import { prepared } from '../sql.js';
import { openScope, type DirectoryScope } from './directory-support.js';
import { actorOf } from './session.js';

export function smartGroupHandlers(services: Services) {
  const { db } = services;
  const context = { ...services.lifecycle, notifier: { policy: services.delivery.policy, wake: services.delivery.wake } };

  const view = (scope: DirectoryScope, group: DirectoryObject, row: SmartGroupRow): SmartGroupView => {
    const expiration = domainExpiration(row, scope.dir);
    return {
      identityStore: scope.store.name, name: group.name, guid: group.guid, isPasswordExpiryGroup: true,
      domainExpiration: expiration.days, domainExpirationSource: expiration.source,
      expirationRange: row.expiration_range_days, includeDisabledUsers: row.include_disabled === 1, includePasswordNeverExpireUsers: row.include_never_expire === 1,
      sendEmail: row.send_email === 1, lastUpdateAt: row.last_update_at,
      memberCount: scope.dir.links({ kind: 'Member', parentId: group.id }).length,
    };
  };

  const requireSmart = (scope: DirectoryScope, identity: string): { group: DirectoryObject; row: SmartGroupRow } => {
    const group = scope.require(identity, 'identity', ['Group']);
    const row = smartGroupRow(db, scope.store.id, group.guid);
    if (!row) throw new HeraldError('ValidationFailed', `group '${group.name}' is not a smart group: its members are set by hand`, { field: 'identity', remedy: 'Get-SmartGroup lists the smart groups' });
    return { group, row };
  };

  const update = (scope: DirectoryScope, row: SmartGroupRow, caller: Caller) =>
    updatePasswordExpiryGroup(context, scope.store, row, services.clock(), actorOf(services, caller, scope.store.id), 'rpc');

  /**
   * Ldap and ActiveDirectory stores create groups with the directory's own tools: there the
   * smart group is a group the directory already has, whose members herald then sets.
   */
  const directoryGroup = (scope: DirectoryScope, type: string, name: string): DirectoryObject | undefined => {
    if (type !== 'Ldap' && type !== 'ActiveDirectory') return undefined;
    const group = scope.dir.find(name, 'Group');
    if (group && smartGroupRow(db, scope.store.id, group.guid)) {
      throw new HeraldError('Conflict', `group '${group.name}' is a smart group already`, { field: 'name', remedy: `change it with Set-SmartGroup ${group.name}` });
    }
    return group;
  };

  const create: Handler<'smartGroup.create'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const type = (prepared(db, 'SELECT type FROM identity_store WHERE id = ?').get(scope.store.id) as { type: string }).type;
      if (type === 'EntraId') {
        throw new HeraldError('ValidationFailed', `identity store '${scope.store.name}' is an EntraId store: password-expiry groups cannot be created in Microsoft Entra ID stores`, { field: 'identityStore' });
      }
      if (params.sendEmail) refuseWithoutMail(db, scope.store.id, scope.store.name);
      // Without -DomainExpiration the group follows the directory's password policy (42 days where it has none).
      const days = params.domainExpiration ?? FOLLOW_DIRECTORY_POLICY;
      const existing = directoryGroup(scope, type, params.name);
      const group = existing ?? scope.dir.create({ kind: 'Group', name: params.name }, scope.now);
      if (!existing) scope.record('ObjectCreated', group);
      prepared(db, `INSERT INTO smart_group (store_id, group_guid, kind, domain_expiration_days, expiration_range_days, include_disabled, include_never_expire, send_email)
        VALUES (?, ?, 'PasswordExpiry', ?, ?, ?, ?, ?)`).run(scope.store.id, group.guid, days, params.expirationRange ?? null,
        params.includeDisabledUsers ? 1 : 0, params.includePasswordNeverExpireUsers ? 1 : 0, params.sendEmail ? 1 : 0);
      update(scope, smartGroupRow(db, scope.store.id, group.guid)!, caller);
      return view(scope, scope.dir.get(group.id)!, smartGroupRow(db, scope.store.id, group.guid)!);
    })();

  const get: Handler<'smartGroup.get'> = ({ identity, identityStore }, caller) => {
    const scope = openScope(services, identityStore, caller);
    if (identity !== undefined) {
      const { group, row } = requireSmart(scope, identity);
      return [view(scope, group, row)];
    }
    const rows = prepared(db, 'SELECT * FROM smart_group WHERE store_id = ? ORDER BY group_guid').all(scope.store.id) as SmartGroupRow[];
    return rows.flatMap((row) => {
      const group = scope.dir.find(row.group_guid, 'Group');
      return group ? [view(scope, group, row)] : [];
    }).sort((a, b) => a.name.localeCompare(b.name));
  };

  const set: Handler<'smartGroup.set'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const { group, row } = requireSmart(scope, params.identity);
      const flag = (value: boolean | undefined, current: number) => (value === undefined ? current : value ? 1 : 0);
      const next: SmartGroupRow = {
        ...row,
        domain_expiration_days: params.domainExpiration ?? row.domain_expiration_days,
        expiration_range_days: params.expirationRange === undefined ? row.expiration_range_days : params.expirationRange,
        include_disabled: flag(params.includeDisabledUsers, row.include_disabled),
        include_never_expire: flag(params.includePasswordNeverExpireUsers, row.include_never_expire),
        send_email: flag(params.sendEmail, row.send_email),
      };
      prepared(db, `UPDATE smart_group SET domain_expiration_days = ?, expiration_range_days = ?, include_disabled = ?, include_never_expire = ?, send_email = ?
        WHERE store_id = ? AND group_guid = ?`).run(next.domain_expiration_days, next.expiration_range_days, next.include_disabled, next.include_never_expire,
        next.send_email, row.store_id, row.group_guid);
      update(scope, next, caller);
      return view(scope, scope.dir.get(group.id)!, smartGroupRow(db, scope.store.id, group.guid)!);
    })();

  const updateNow: Handler<'group.update'> = (params, caller) =>
    db.transaction(() => {
      const scope = openScope(services, params.identityStore, caller);
      const { row } = requireSmart(scope, params.identity);
      return update(scope, row, caller)!;
    })();

  return { 'smartGroup.create': create, 'smartGroup.get': get, 'smartGroup.set': set, 'group.update': updateNow };
}
