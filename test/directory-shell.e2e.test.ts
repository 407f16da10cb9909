import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { heraldJson, runHerald } from './helpers/shell.js';

// The directory cmdlets as administrators type them, reference Management Shell lines first:
// no -IdentityStore (the daemon has one store), objects piped by property, hashtables.
let daemon: TestDaemon;
const temp = tempDir();
const json = (command: string) => heraldJson(command, temp.dir);
const run = (command: string) => runHerald(['-Command', command], { stateDir: temp.dir });

beforeAll(async () => {
  daemon = await startTestDaemon({ stateDir: temp.dir });
  const setup = await run('New-IdentityStore Corp Builtin | Out-Null');
  expect(setup.stderr).toBe('');
});

afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
});

/** Runs lines that must succeed, and returns what they output. */
async function ok(command: string): Promise<Record<string, unknown>[]> {
  const result = await json(command);
  expect(result.stderr, command).toBe('');
  expect(result.code, command).toBe(0);
  return result.objects as Record<string, unknown>[];
}

describe('reference lines', () => {
  it('New-User, New-Group and New-Contact without naming the store', async () => {
    const [jdoe] = await ok("New-User -Name jdoe -DisplayName 'John Doe' -Mail jdoe@corp.example");
    expect(jdoe).toMatchObject({ IdentityStore: 'Corp', Kind: 'User', Name: 'jdoe', Dn: 'CN=jdoe,CN=Users,DC=Corp,DC=herald', DisplayName: 'John Doe', Mail: 'jdoe@corp.example', PasswordSet: false });
    await ok("New-User alice -Mail alice@corp.example | Out-Null; New-User bob -Mail bob@corp.example | Out-Null; New-User carol -Enabled $false | Out-Null");
    const [sales] = await ok("New-Group Sales -DisplayName 'Sales team' -Mail sales@corp.example -ManagedBy alice");
    expect(sales).toMatchObject({ Name: 'Sales', SecurityType: 'Private', ManagedBy: 'alice', MemberCount: 0 });
    const [partner] = await ok("New-Contact partner -Mail orders@partner.example");
    expect(partner).toMatchObject({ Kind: 'Contact', Dn: 'CN=partner,CN=Contacts,DC=Corp,DC=herald' });
  });

  it('Add-GroupMember -GroupIdentity Sales -Identity jdoe, and objects piped in', async () => {
    expect(await ok('Add-GroupMember -GroupIdentity Sales -Identity jdoe')).toEqual([]);
    expect(await ok('Get-User jdoe | Add-GroupMember -GroupIdentity Sales')).toEqual([]);
    const piped = await ok("'alice', 'bob' | Get-User | Add-GroupMember -GroupIdentity Sales -PassThru");
    expect(piped.map((m) => m.Name)).toEqual(['alice', 'bob']);
    await ok("'partner' | Add-GroupMember -GroupIdentity Sales");
    const members = await ok('Get-GroupMember -Identity Sales');
    expect(members.map((m) => [m.Name, m.Kind, m.Type, m.BeginningDate, m.EndingDate])).toEqual([
      ['jdoe', 'User', 'Perpetual', null, null], ['alice', 'User', 'Perpetual', null, null], ['bob', 'User', 'Perpetual', null, null], ['partner', 'Contact', 'Perpetual', null, null],
    ]);
  });

  it("Set-Group Sales -Add @{AdditionalOwners='alice','bob'} and -SecurityType Semi_Private", async () => {
    expect(await ok("Set-Group Sales -Add @{AdditionalOwners='alice','bob'}")).toEqual([]);
    await ok('Set-Group Sales -SecurityType Semi_Private');
    const [sales] = await ok('Get-Group Sales');
    expect(sales).toMatchObject({ SecurityType: 'SemiPrivate', AdditionalOwners: ['alice', 'bob'], MemberCount: 4 });
    const [replaced] = await ok("Set-Group -Identity Sales -Remove @{AdditionalOwners='bob'} -Replace @{NotifyOptOutAdditionalOwners='alice'} -PassThru");
    expect(replaced).toMatchObject({ AdditionalOwners: ['alice'], NotifyOptOutAdditionalOwners: ['alice'] });
    const [listed] = await ok("Set-Group Sales -AdditionalOwners 'bob', 'carol' -NotifyOptOutAdditionalOwners $null -ManagedBy $null -PassThru");
    expect(listed).toMatchObject({ AdditionalOwners: ['bob', 'carol'], NotifyOptOutAdditionalOwners: [], ManagedBy: null });
  });

  it('Set-User -Manager <user> -AdditionalManagers <users>', async () => {
    const [jdoe] = await ok('Set-User jdoe -Manager alice -AdditionalManagers bob, carol -PassThru');
    expect(jdoe).toMatchObject({ Manager: 'alice', AdditionalManagers: ['bob', 'carol'] });
    await ok('Get-User jdoe | Set-User -Enabled $false');
    expect((await ok('Get-User jdoe'))[0].Enabled).toBe(false);
  });

  it('Get-Object -SearchContainer <dn> -ObjectType User|Group|Contact', async () => {
    const users = await ok("Get-Object -SearchContainer 'CN=Users,DC=Corp,DC=herald' -ObjectType User");
    expect(users.map((o) => o.Name)).toEqual(['alice', 'bob', 'carol', 'jdoe']);
    expect((await ok("Get-Object -SearchContainer 'DC=Corp,DC=herald' -ObjectType Contact")).map((o) => o.Name)).toEqual(['partner']);
    // What Get-Object finds pipes into the typed cmdlets: it binds by Guid.
    expect((await ok("Get-Object -ObjectType Group | Get-Group")).map((o) => o.Name)).toEqual(['Sales']);
  });

  it('Get-GroupMember -Recursive expands nested groups, with a cycle', async () => {
    await ok('New-Group Emea | Out-Null; New-Group Paris | Out-Null; Add-GroupMember Sales Emea; Add-GroupMember Emea Paris, carol; Add-GroupMember Paris Sales, jdoe');
    const all = await ok('Get-GroupMember Sales -Recursive');
    expect(all.map((m) => `${m.Name}<${m.Group}`)).toEqual(['jdoe<Sales', 'alice<Sales', 'bob<Sales', 'partner<Sales', 'carol<Emea']);
  });

  it('Remove-GroupMember and Remove-User run in scripts without -Force, as reference scripts expect', async () => {
    const file = join(temp.dir, 'cleanup.ps1');
    writeFileSync(file, ['Remove-GroupMember -GroupIdentity Sales -Identity jdoe', 'Remove-GroupMember –GroupIdentity Sales –Identity partner', 'Remove-Contact partner'].join('\r\n') + '\r\n');
    const script = await runHerald(['-File', file], { stateDir: temp.dir });
    expect(script.stderr).toBe('');
    expect(script.code).toBe(0);
    expect((await ok('Get-GroupMember Sales')).map((m) => m.Name)).toEqual(['alice', 'bob', 'Emea']);
    // -WhatIf describes and changes nothing.
    const whatIf = await run('Remove-User bob -WhatIf');
    expect(whatIf.stderr + whatIf.stdout).toContain('What if: Performing the operation "Remove-User" on target "bob"');
    expect(await ok('Get-User bob')).toHaveLength(1);
  });
});

describe('passwords', () => {
  it('takes a secure string or plain text, and shows only PasswordSet, never the password', async () => {
    const [user] = await ok("New-User svc -Password (ConvertTo-SecureString 'S3cret-Value!' -AsPlainText -Force)");
    expect(user).toMatchObject({ Name: 'svc', PasswordSet: true });
    const all = await run('Get-User svc | Format-List; Get-User svc | ConvertTo-Json');
    expect(all.stdout).toContain('PasswordSet');
    expect(all.stdout).not.toContain('S3cret-Value!');
    await ok("Set-User svc -Password 'N3w-Value!'");
  });
});

describe('errors', () => {
  it('names the identity and the parameter, and exits 1', async () => {
    const missing = await run('Add-GroupMember -GroupIdentity Sales -Identity nobody');
    expect(missing.code).toBe(1);
    expect(missing.stderr).toContain("identity 'nobody' not found in identity store 'Corp'");
    expect(missing.stderr).toContain('(-Identity)');
    const duplicate = await run('New-Group SALES');
    expect(duplicate.code).toBe(1);
    expect(duplicate.stderr).toContain("identity store 'Corp' already has a group named 'Sales'");
    const temporary = await run("Add-GroupMember -GroupIdentity Sales -Identity carol -Type 'Temporary Member' -EndDate '2020-01-01'");
    expect(temporary.code).toBe(1);
    expect(temporary.stderr).toContain('EndDate 2020-01-01 is in the past');
    expect(temporary.stderr).toContain('(-EndDate)');
    const table = await run("Set-Group Sales -Add @{Owners='bob'}");
    expect(table.stderr).toContain("-Add names 'Owners': it takes AdditionalOwners, Members or NotifyOptOutAdditionalOwners");
  });

  it('asks for -IdentityStore once there are two stores, and takes it by its reference name', async () => {
    await ok('New-IdentityStore Lab Builtin | Out-Null');
    const unnamed = await run('Get-User');
    expect(unnamed.code).toBe(1);
    expect(unnamed.stderr).toContain('there are several identity stores');
    expect((await ok('Get-User -IdentityStoreName Corp jdoe')).map((u) => u.Name)).toEqual(['jdoe']);
    // A piped object carries its store with it.
    expect((await ok('Get-User -IdentityStore Corp alice | Get-User')).map((u) => u.IdentityStore)).toEqual(['Corp']);
    await ok('Remove-IdentityStore Lab -Force');
  });
});
