import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startTestDaemon, tempDir, type TestDaemon } from './helpers/daemon.js';
import { heraldJson, runHerald } from './helpers/shell.js';

// Every feature of the command language, exercised through `herald -Command` against a real
// daemon: what a script author types, and what comes back.
let daemon: TestDaemon;
const temp = tempDir();
const json = (command: string) => heraldJson(command, temp.dir);

beforeAll(async () => {
  daemon = await startTestDaemon({ stateDir: temp.dir });
  const setup = await runHerald(['-Command', `New-IdentityStore Corp Builtin -Description 'Corporate directory'; New-IdentityStore Lab Ldap; New-IdentityStore Edge EntraId -Description "Cloud"`], { stateDir: temp.dir });
  expect(setup.stderr).toBe('');
});

afterAll(async () => {
  expect(await daemon.stop()).toBe(0);
  temp.cleanup();
});

const names = (objects: unknown[]) => objects.map((o) => (o as { Name: string }).Name);

describe('parameters', () => {
  it('binds named and positional parameters, case-insensitively, with unique prefixes', async () => {
    expect(names((await json('get-identitystore -NAME corp')).objects)).toEqual(['Corp']);
    expect(names((await json('Get-IdentityStore corp')).objects)).toEqual(['Corp']);
    const renamed = await json("Set-IdentityStore Lab -Desc 'prefix works' -Pass");
    expect(renamed.objects).toMatchObject([{ Name: 'Lab', Description: 'prefix works' }]);
  });

  it('accepts an en dash or em dash as the parameter prefix, as documentation examples use', async () => {
    expect(names((await json('Get-IdentityStore –Name Corp')).objects)).toEqual(['Corp']);
    expect(names((await json('Get-IdentityStore —IdentityStoreName Corp')).objects)).toEqual(['Corp']);
  });

  it('reports an ambiguous prefix and an unknown parameter with the valid names', async () => {
    const ambiguous = await runHerald(['-Command', 'Get-Command -N Identity*'], { stateDir: temp.dir });
    expect(ambiguous.code).toBe(1);
    expect(ambiguous.stderr).toContain('-N is ambiguous: it could be -Name, -Noun');
    const unknown = await runHerald(['-Command', 'Get-IdentityStore -Colour red'], { stateDir: temp.dir });
    expect(unknown.code).toBe(1);
    expect(unknown.stderr).toContain('no parameter matches -Colour');
    expect(unknown.stderr).toContain('-Name');
  });

  it('takes switches bare and with :$true / :$false', async () => {
    const bare = await json("Set-IdentityStore Edge -Description 'one' -PassThru");
    expect(bare.objects).toHaveLength(1);
    const off = await json("Set-IdentityStore Edge -Description 'two' -PassThru:$false");
    expect(off.objects).toHaveLength(0);
    expect((await json('Get-IdentityStore Edge')).objects).toMatchObject([{ Description: 'two' }]);
  });

  it('understands $true, $false and $null; $null clears a value', async () => {
    await json("Set-IdentityStore Edge -Description 'to be cleared'");
    await json('Set-IdentityStore Edge -Description $null');
    expect((await json('Get-IdentityStore Edge')).objects).toMatchObject([{ Description: null }]);
    expect((await json('Write-Output $true, $false, $null')).objects).toEqual([true, false, null]);
  });
});

describe('values', () => {
  it('reads single- and double-quoted strings with escapes and expansion', async () => {
    const { objects } = await json(`$n = 'Corp'; Write-Output 'it''s', "store $n", "tab\`there", "sub $((Get-IdentityStore $n).Type)"`);
    expect(objects).toEqual(["it's", 'store Corp', 'tab\there', 'sub Builtin']);
  });

  it('reads numbers and arrays in both spellings', async () => {
    const { objects } = await json("Write-Output 42, -7, 1.5; Write-Output @('a','b'); $x = 'c','d'; $x.Count");
    expect(objects).toEqual([42, -7, 1.5, 'a', 'b', 2]);
  });

  it('builds hashtables', async () => {
    const { objects } = await json("@{Key='v'; Other=1; List='a','b'}");
    expect(objects).toEqual([{ Key: 'v', Other: 1, List: ['a', 'b'] }]);
  });

  it('keeps variables between statements and passes them as parameter values', async () => {
    const { objects } = await json('$s = Get-IdentityStore corp; $s.Name; Get-IdentityStore -Name $s.Name | Select-Object -ExpandProperty Type');
    expect(objects).toEqual(['Corp', 'Builtin']);
  });

  it('runs parenthesised sub-expressions, with property access', async () => {
    const { objects } = await json('Get-IdentityStore (Get-IdentityStore corp).Name | Select-Object -ExpandProperty Id; $((Get-IdentityStore).Count)');
    expect(objects).toEqual([1, 3]);
  });

  it('builds credentials the way reference scripts do, and never prints the password', async () => {
    const { objects } = await json('$cred = New-Object System.Management.Automation.PSCredential "relay", (ConvertTo-SecureString "s3cret" -AsPlainText -Force); $cred');
    expect(objects).toEqual([{ UserName: 'relay', Password: 'System.Security.SecureString' }]);
    expect(JSON.stringify(objects)).not.toContain('s3cret');
  });
});

describe('script text', () => {
  it('continues a line after a backtick and skips comments', async () => {
    const run = await runHerald(['-OutputFormat', 'Json'], {
      stateDir: temp.dir,
      stdin: "# list one store\nGet-IdentityStore `\n  -Name Corp # trailing comment\n",
    });
    expect(run.code).toBe(0);
    expect(names(JSON.parse(run.stdout))).toEqual(['Corp']);
  });

  it('runs JavaScript lines with top-level await, and cmdlets as async functions', async () => {
    const { objects } = await json('const stores = await GetIdentityStore(); stores.map((s) => s.Name).sort().join(",")');
    expect(objects).toEqual(['Corp,Edge,Lab']);
  });

  it('shares variables between the shell and JavaScript', async () => {
    const run = await runHerald(['-OutputFormat', 'Json'], { stateDir: temp.dir, stdin: "$s = Get-IdentityStore corp\n$s.Name.toUpperCase() + '!'\n$s.Name.ToLower()\n" });
    expect(JSON.parse(run.stdout)).toEqual(['CORP!', 'corp']);
  });

  it('reports a syntax error with its position', async () => {
    const run = await runHerald(['-Command', "Get-IdentityStore -Name 'unterminated"], { stateDir: temp.dir });
    expect(run.code).toBe(1);
    expect(run.stderr).toMatch(/syntax error at line 1, column \d+/);
  });
});

describe('pipelines', () => {
  it('filters with Where-Object operators and script blocks', async () => {
    expect(names((await json('Get-IdentityStore | Where-Object Type -eq builtin')).objects)).toEqual(['Corp']);
    expect(names((await json('Get-IdentityStore | Where-Object Type -ne Builtin')).objects)).toEqual(['Edge', 'Lab']);
    expect(names((await json("Get-IdentityStore | Where-Object Name -like '*a*'")).objects)).toEqual(['Lab']);
    expect(names((await json('Get-IdentityStore | Where-Object Id -gt 1')).objects).sort()).toEqual(['Edge', 'Lab']);
    expect(names((await json('Get-IdentityStore | Where-Object Id -lt 2')).objects)).toEqual(['Corp']);
    expect(names((await json("Get-IdentityStore | ? { $_.Name -like 'c*' }")).objects)).toEqual(['Corp']);
  });

  it('selects properties and counts', async () => {
    expect((await json('Get-IdentityStore | Select-Object Name, Type -First 1')).objects).toEqual([{ Name: 'Corp', Type: 'Builtin' }]);
  });

  it('formats tables and lists for people', async () => {
    const table = await runHerald(['-Command', 'Get-IdentityStore | Format-Table Name, Type'], { stateDir: temp.dir });
    expect(table.stdout).toMatch(/Name +Type\n-+ +-+\nCorp +Builtin\n/);
    const list = await runHerald(['-Command', 'Get-IdentityStore corp | Format-List'], { stateDir: temp.dir });
    expect(list.stdout).toMatch(/Name +: Corp\n/);
    expect(list.stdout).toMatch(/CreatedAt +: \d{4}-/);
  });

  it('converts to JSON text and discards with Out-Null', async () => {
    const converted = await runHerald(['-Command', 'Get-IdentityStore corp | Select-Object Name | ConvertTo-Json -Compress'], { stateDir: temp.dir });
    expect(converted.stdout.trim()).toBe('{"Name":"Corp"}');
    const discarded = await runHerald(['-Command', 'Get-IdentityStore | Out-Null'], { stateDir: temp.dir });
    expect(discarded.stdout).toBe('');
  });

  it('binds piped objects by property name, and -WhatIf changes nothing', async () => {
    const run = await runHerald(['-Command', 'Get-IdentityStore | Remove-IdentityStore -WhatIf'], { stateDir: temp.dir });
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('What if: Performing the operation "Remove-IdentityStore" on target "Corp".');
    expect(run.stdout).toContain('on target "Lab"');
    expect((await json('Get-IdentityStore')).objects).toHaveLength(3);
  });

  it('binds piped strings by value', async () => {
    expect(names((await json("'corp','lab' | Get-IdentityStore")).objects)).toEqual(['Corp', 'Lab']);
  });
});
