import { afterAll, beforeAll, expect } from 'vitest';
import { HeraldError, type HeraldClient } from '../../client/index.js';
import { startTestDaemon, tempDir, type TestDaemon } from './daemon.js';

export interface Suite {
  stateDir: string;
  /** Replaceable, for tests that restart the daemon. */
  daemon: TestDaemon;
  client: HeraldClient;
}

/** One daemon and one client for a test file: started before its tests, stopped (exit 0) after. */
export function useDaemon(options: { tcp?: boolean; extraArgs?: string[] } = {}): Suite {
  const temp = tempDir();
  const suite = { stateDir: temp.dir } as Suite;
  beforeAll(async () => {
    suite.daemon = await startTestDaemon({ stateDir: temp.dir, ...options });
    suite.client = await suite.daemon.client();
  });
  afterAll(async () => {
    await suite.client?.close();
    expect(await suite.daemon.stop()).toBe(0);
    temp.cleanup();
  });
  return suite;
}

/** The HeraldError a call failed with; fails the test when the call succeeded. */
export async function failure(call: Promise<unknown>): Promise<HeraldError> {
  const outcome = await call.then((result) => ({ result }), (error: unknown) => ({ error }));
  if (!('error' in outcome)) throw new Error(`expected the call to fail, it returned ${JSON.stringify(outcome.result)}`);
  expect(outcome.error).toBeInstanceOf(HeraldError);
  return outcome.error as HeraldError;
}
