import type { TokenSource } from './mail-transport.js';

/**
 * A token source that loads MSAL on the first token asked for: most stores never use OAuth,
 * and an idle daemon should not carry it.
 */
export function lazyTokenSource(): TokenSource {
  let source: Promise<TokenSource> | undefined;
  return {
    async token(config, renew) {
      source ??= import('./token-cache.js').then(({ createTokenSource }) => createTokenSource());
      return (await source).token(config, renew);
    },
  };
}
