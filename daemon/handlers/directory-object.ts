import type { Handler, Services } from '../context.js';
import { openScope, summaryView } from './directory-support.js';

export function directoryObjectHandlers(services: Services) {
  const search: Handler<'directoryObject.search'> = ({ identityStore, searchContainer, objectType, name }, caller) => {
    const scope = openScope(services, identityStore, caller);
    return scope.dir.search({ container: searchContainer, kind: objectType, name }).map((object) => summaryView(scope, object));
  };
  return { 'directoryObject.search': search };
}
