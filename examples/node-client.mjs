// A Node script using herald's typed client: the local daemon, found through its state directory.
import { connect } from 'herald/client';

const herald = await connect(); // HERALD_STATE_DIR or ~/.local/state/herald; or { url, token }
try {
  const stores = await herald.call('identityStore.get', {});
  for (const store of stores) console.log(`${store.name} (${store.type})`);
} catch (error) {
  console.error(`${error.errorName}: ${error.message}`);
  process.exitCode = 1;
} finally {
  await herald.close();
}
