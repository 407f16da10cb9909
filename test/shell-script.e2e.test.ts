import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { heraldJson, runHerald } from './helpers/shell.js';

// The shell as scripts and automation use it: order, exit codes, machine output, errors.
let daemon: TestDaemon;
const temp = tempDir();

beforeAll(async () => {
  daemon = await startTestDaemon({ stateDir: temp.dir, tcp: true });
});

afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
});

const storeNames = async () => (await heraldJson('Get-IdentityStore | Select-Object -ExpandProperty Name', temp.dir)).objects;

describe('scripts piped on stdin', () => {
  it('run strictly in order and exit 0', async () => {
    const script = [
      "New-IdentityStore Alpha Builtin | Out-Null",
      "Write-Output 'after alpha'",
      "(Get-IdentityStore Alpha).Name",
      "New-IdentityStore Beta Builtin | Select-Object -ExpandProperty Name",
      "Write-Output 'end'",
    ].join('\n');
    const run = await runHerald(['-OutputFormat', 'Json'], { stateDir: temp.dir, stdin: script });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual(['after alpha', 'Alpha', 'Beta', 'end']);
  });

  it('stop at the first error with exit code 1, the line number and a remedy; later lines do not run', async () => {
    const script = ["New-IdentityStore Gamma Builtin | Out-Null", "Get-IdentityStore Nowhere", "New-IdentityStore Delta Builtin"].join('\n');
    const run = await runHerald([], { stateDir: temp.dir, stdin: script });
    expect(run.code).toBe(1);
    expect(run.stderr).toContain("stdin:2: Get-IdentityStore: identity store 'Nowhere' not found (-Name) [NotFound]");
    expect(run.stderr).toContain('remedy: list the stores with Get-IdentityStore');
    const names = await storeNames();
    expect(names).toContain('Gamma');
    expect(names).not.toContain('Delta');
  });

  it('end with the code given to exit', async () => {
    const run = await runHerald([], { stateDir: temp.dir, stdin: "Write-Output one\nexit 3\nWrite-Output never\n" });
    expect(run.code).toBe(3);
    expect(run.stdout).toBe('one\n');
  });
});

describe('-File and -Command', () => {
  it('runs a script file', async () => {
    const file = join(temp.dir, 'setup.ps1');
    writeFileSync(file, "# provisioning\nNew-IdentityStore FromFile Builtin -Description 'made by a script' | Out-Null\nGet-IdentityStore FromFile | Select-Object Name, Description\n");
    const run = await runHerald(['-OutputFormat', 'Json', '-File', file], { stateDir: temp.dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ Name: 'FromFile', Description: 'made by a script' }]);
  });

  it('keeps stdout pure JSON in Json mode: -WhatIf and Write-Host go to stderr', async () => {
    const run = await runHerald(['-OutputFormat', 'Json', '-Command', "Write-Host 'hello people'; Remove-IdentityStore FromFile -WhatIf; Get-IdentityStore FromFile | Select-Object Name"], { stateDir: temp.dir });
    expect(run.code).toBe(0);
    expect(JSON.parse(run.stdout)).toEqual([{ Name: 'FromFile' }]);
    expect(run.stderr).toContain('hello people');
    expect(run.stderr).toContain('What if: Performing the operation "Remove-IdentityStore" on target "FromFile".');
  });

  it('refuses to remove without confirmation when nobody can answer, and removes with -Force', async () => {
    await runHerald(['-Command', 'New-IdentityStore Doomed Builtin'], { stateDir: temp.dir });
    const asked = await runHerald(['-Command', 'Remove-IdentityStore Doomed'], { stateDir: temp.dir });
    expect(asked.code).toBe(1);
    expect(asked.stderr).toContain('add -Force or -Confirm:$false');
    expect(await storeNames()).toContain('Doomed');
    const forced = await runHerald(['-Command', 'Remove-IdentityStore Doomed -Force'], { stateDir: temp.dir });
    expect(forced.code).toBe(0);
    expect(await storeNames()).not.toContain('Doomed');
  });

  it('names the parameter at fault when the daemon rejects a value, and changes nothing', async () => {
    const run = await runHerald(['-Command', "New-IdentityStore 'bad/name' Builtin"], { stateDir: temp.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/identity store name may contain .* \(-Name\) \[InvalidParams\]/);
    expect(await storeNames()).not.toContain('bad/name');
  });

  it('explains an unknown command and an unknown enum value', async () => {
    const unknown = await runHerald(['-Command', 'Get-IdentityStores'], { stateDir: temp.dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toMatch(/'Get-IdentityStores' is not a command|not defined/);
    const badType = await runHerald(['-Command', 'New-IdentityStore X Novell'], { stateDir: temp.dir });
    expect(badType.stderr).toContain('-Type takes one of Builtin, Ldap, ActiveDirectory, EntraId');
  });
});

describe('help', () => {
  it('shows examples and full help generated from the protocol table', async () => {
    const examples = await runHerald(['-Command', 'Get-Help New-IdentityStore -Examples'], { stateDir: temp.dir });
    expect(examples.stdout).toContain('EXAMPLE 1');
    expect(examples.stdout).toContain('PS> New-IdentityStore -Name Corp -Type Builtin');
    const full = await runHerald(['-Command', 'Get-Help Set-IdentityStore -Full'], { stateDir: temp.dir });
    expect(full.stdout).toContain('Set-IdentityStore [-Identity] <string>');
    expect(full.stdout).toContain('Aliases: Name, IdentityStoreName');
    expect(full.stdout).toContain('identityStore.set');
  });

  it('lists commands by noun and by wildcard', async () => {
    const { objects } = await heraldJson('Get-Command -Noun IdentityStore | Select-Object -ExpandProperty Name', temp.dir);
    expect(objects).toEqual(['Connect-IdentityStore', 'Disconnect-IdentityStore', 'Get-IdentityStore', 'New-IdentityStore', 'Remove-IdentityStore', 'Set-IdentityStore', 'Sync-IdentityStore']);
  });

  it('prints usage for -Help and refuses unknown options with exit code 2', async () => {
    expect((await runHerald(['-Help'], { stateDir: temp.dir })).stdout).toContain('usage: herald');
    const bad = await runHerald(['-Bogus'], { stateDir: temp.dir });
    expect(bad.code).toBe(2);
    expect(bad.stderr).toContain("unknown option '-Bogus'");
  });
});

describe('reaching a daemon', () => {
  it('says how to start the daemon when none answers', async () => {
    const empty = tempDir();
    try {
      const run = await runHerald(['-Command', 'Get-IdentityStore'], { stateDir: empty.dir });
      expect(run.code).toBe(1);
      expect(run.stderr).toContain('start the daemon with `npm run daemon`');
    } finally {
      empty.cleanup();
    }
  });

  it('starts a local daemon in the background when none answers, and says so', async () => {
    const fresh = tempDir();
    let pid = 0;
    try {
      const run = await runHerald(['-Command', 'New-IdentityStore Auto Builtin | Out-Null; (Get-DaemonStatus).StateDir'], { stateDir: fresh.dir, env: { HERALD_NO_AUTOSTART: '' } });
      pid = Number(/started a daemon \(pid (\d+)\)/.exec(run.stdout)?.[1]);
      expect(pid).toBeGreaterThan(0);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain(fresh.dir);
      const again = await runHerald(['-Command', 'Get-IdentityStore Auto | Select-Object -ExpandProperty Name'], { stateDir: fresh.dir });
      expect(again.stdout.trim()).toBe('Auto');
    } finally {
      if (pid) process.kill(pid, 'SIGTERM');
      await new Promise((resolve) => setTimeout(resolve, 300));
      fresh.cleanup();
    }
  });

  it('reaches a daemon by -Url and -Token, and explains a wrong token', async () => {
    const elsewhere = tempDir();
    try {
      const ok = await runHerald(['-Url', daemon.tcpUrl!, '-Token', daemon.token, '-OutputFormat', 'Json', '-Command', 'Get-DaemonStatus | Select-Object StateDir'], { stateDir: elsewhere.dir });
      expect(JSON.parse(ok.stdout)).toEqual([{ StateDir: temp.dir }]);
      const bad = await runHerald(['-Url', daemon.tcpUrl!, '-Token', 'wrong', '-Command', 'Get-IdentityStore'], { stateDir: elsewhere.dir });
      expect(bad.code).toBe(1);
      expect(bad.stderr).toContain('refused the token');
      expect(bad.stderr).toContain('remedy:');
    } finally {
      elsewhere.cleanup();
    }
  });

  it('switches daemons inside a session with Connect-Daemon', async () => {
    // Never starting with '-', which the shell would read as a parameter name.
    expect(daemon.token).toMatch(/^herald_[A-Za-z0-9_-]{43}$/);
    const other = tempDir();
    try {
      const run = await runHerald(['-OutputFormat', 'Json', '-Command', `Connect-Daemon -Url ${daemon.tcpUrl} -Token ${daemon.token} | Out-Null; (Get-DaemonStatus).StateDir`], { stateDir: other.dir });
      expect(run.stderr).toBe('');
      expect(JSON.parse(run.stdout)).toEqual([temp.dir]);
    } finally {
      other.cleanup();
    }
  });

  it('never writes the token to the daemon log', () => {
    expect(readFileSync(join(temp.dir, 'herald.log'), 'utf8')).not.toContain(daemon.token);
  });
});
