import { HeraldError } from '../../protocol/index.js';
import type { Handler, Services } from '../context.js';
import type { DirectoryObject, DirectoryProvider } from '../directory/provider.js';
import { resolveRecipients } from '../notifier/recipients.js';
import { loadSettings } from '../settings/settings-store.js';
import { directoryStoreOf } from './directory-support.js';
import { actorOf } from './session.js';

function pictured(name: string, kind: DirectoryObject['kind'], mail: string | undefined, managerId: number | null): DirectoryObject {
  return {
    id: 0, guid: '', kind, name, dn: '', displayName: null, mail: mail ?? null, enabled: true, managerId,
    securityType: kind === 'Group' ? 'Private' : null, passwordLastSet: null, passwordNeverExpires: false, passwordSet: false, createdAt: '', updatedAt: '',
  };
}

function requireObject(directory: DirectoryProvider, identity: string, field: string, store: string) {
  const object = directory.find(identity);
  if (!object) throw new HeraldError('NotFound', `no object '${identity}' in identity store '${store}'`, { field, remedy: 'Get-Object lists them' });
  return object;
}

export function notificationResolveHandlers(services: Services) {
  const resolve: Handler<'notification.resolve'> = (params, caller) => {
    const store = directoryStoreOf(services, params.identityStore);
    const directory = services.directory(store.id);
    // A creation can be asked about before the object exists: it is pictured from the parameters.
    const object = params.kind === 'ObjectCreated' && params.objectKind && !directory.find(params.identity)
      ? pictured(params.identity, params.objectKind, params.mail, params.manager === undefined ? null : requireObject(directory, params.manager, 'manager', store.name).id)
      : requireObject(directory, params.identity, 'identity', store.name);
    const related = params.related === undefined ? undefined : requireObject(directory, params.related, 'related', store.name);
    const user = params.actor === undefined ? undefined : requireObject(directory, params.actor, 'actor', store.name);
    const { recipients, skipped } = resolveRecipients(
      { storeId: store.id, storeName: store.name, kind: params.kind, object, related, actor: user ? { name: user.name, user } : actorOf(services, caller, store.id), source: 'rpc' },
      loadSettings(services.db, store.id),
      directory,
    );
    return {
      identityStore: store.name,
      kind: params.kind,
      object: object.name,
      related: related?.name ?? null,
      recipients: recipients.map(({ address, name, field, reasons }) => ({ address, name, field, reasons })),
      skipped,
    };
  };
  return { 'notification.resolve': resolve };
}
