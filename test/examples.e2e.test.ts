import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { makeCertificates } from './helpers/certificates.js';
import { ROOT, startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';

const run = promisify(execFile);
// Debian's python3-websockets installs for the system interpreter, not for pyenv's.
const PYTHON = '/usr/bin/python3';

let daemon: TestDaemon;
const temp = tempDir();
const certificates = makeCertificates();

beforeAll(async () => {
  daemon = await startTestDaemon({ stateDir: temp.dir, tls: { certFile: certificates.certFile, keyFile: certificates.keyFile } });
});

afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
  certificates.cleanup();
});

describe('the README examples', () => {
  it('python-client.py speaks raw JSON-RPC over wss:// with the token as a subprotocol', async () => {
    expect(existsSync(PYTHON), '.ci/run installs python3-websockets for /usr/bin/python3').toBe(true);
    const { stdout } = await run(PYTHON, [`${ROOT}examples/python-client.py`, daemon.wssUrl!, daemon.token, certificates.caFile]);
    const lines = stdout.trim().split('\n');
    expect(lines[0]).toMatch(/^call 1: \{.*"name": "FromPython".*\}$/);
    expect(lines[1]).toMatch(/^call 2: \[\{.*"description": "made over raw JSON-RPC".*\}\]$/);
    expect(lines[2]).toBe("call 3: error -32000: identity store 'Missing' not found");
  });

  it('node-client.mjs lists the stores through herald/client', async () => {
    const { stdout } = await run(process.execPath, [`${ROOT}examples/node-client.mjs`], { env: { ...process.env, HERALD_STATE_DIR: temp.dir } });
    expect(stdout).toContain('FromPython (Builtin)');
  });
});
