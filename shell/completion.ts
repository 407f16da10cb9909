import { resolveParameter } from './binder.js';
import type { Command, Parameter } from './commands/command.js';
import type { Session } from './session.js';

const STORE_CACHE_MS = 5000;

/** Parameters whose values are identity-store names, for completion. */
function namesAStore(command: Command, parameter: Parameter): boolean {
  if (/^IdentityStore(Name)?$/i.test(parameter.name)) return true;
  return /-IdentityStore$/.test(command.name) && /^(Identity|Name)$/.test(parameter.name);
}

/**
 * Tab completion: command names at the start of a pipeline element, parameter names after a
 * dash, enum values and identity-store names (asked of the daemon, briefly cached) as values.
 */
export function createCompleter(session: Session) {
  let storeNames: { at: number; names: string[] } | undefined;
  const stores = async (): Promise<string[]> => {
    if (storeNames && Date.now() - storeNames.at < STORE_CACHE_MS) return storeNames.names;
    try {
      const client = await session.client();
      const names = (await client.call('identityStore.get', {})).map((s) => s.name);
      storeNames = { at: Date.now(), names };
      return names;
    } catch {
      return [];
    }
  };

  /** The URLs of the portals linked to the store named on the line, for -PortalUrl. */
  const portalUrls = async (words: string[], command: Command): Promise<string[]> => {
    const named = words.findIndex((w) => /^[-–—](IdentityStore|IdentityStoreName)$/i.test(w));
    const store = named >= 0 ? words[named + 1] : words.slice(1).find((w) => !/^[-–—]/.test(w));
    if (!store || !command.method) return [];
    try {
      const client = await session.client();
      return (await client.call('passwordExpiryNotification.get', { identityStore: store.replace(/^['"]|['"]$/g, '') })).choices.map((c) => c.url);
    } catch {
      return [];
    }
  };

  return async (line: string): Promise<[string[], string]> => {
    const segment = line.split('|').pop() ?? '';
    const words = segment.trimStart().split(/\s+/);
    const word = words[words.length - 1] ?? '';
    const startsWith = (candidates: string[], prefix: string) =>
      [...new Set(candidates.filter((c) => c.toLowerCase().startsWith(prefix.toLowerCase())))].sort();
    if (words.length <= 1) {
      const names = session.commands.all().flatMap((c) => [c.name, ...c.aliases.filter((a) => /^[A-Za-z]/.test(a))]);
      return [startsWith(names, word), word];
    }
    const command = session.commands.find(words[0]);
    if (!command) return [[], word];
    if (/^[-–—]/.test(word)) {
      const typed = word.replace(/^[-–—]/, '');
      return [startsWith(command.parameters.map((p) => p.name), typed).map((name) => `-${name}`), word];
    }
    const previous = words[words.length - 2];
    let parameter: Parameter | undefined;
    if (previous && /^[-–—]\w/.test(previous)) {
      try {
        parameter = resolveParameter(command, previous.replace(/^[-–—]/, ''));
      } catch {
        return [[], word];
      }
    } else {
      // A positional value: the first positional parameter not named on the line.
      const named = words.filter((w) => /^[-–—]\w/.test(w)).map((w) => w.replace(/^[-–—]/, '').toLowerCase());
      parameter = command.parameters
        .filter((p) => p.position !== undefined && !named.includes(p.name.toLowerCase()))
        .sort((a, b) => a.position! - b.position!)[0];
    }
    if (!parameter) return [[], word];
    if (parameter.enumValues) return [startsWith(parameter.enumValues, word.split(',').pop() ?? '').map((v) => word.replace(/[^,]*$/, v)), word];
    if (namesAStore(command, parameter)) return [startsWith(await stores(), word), word];
    if (/PortalUrl$/i.test(parameter.name)) return [startsWith(await portalUrls(words, command), word), word];
    return [[], word];
  };
}
