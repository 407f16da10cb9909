import { describe, expect, it } from 'vitest';
import { METHODS, type MethodName } from '../protocol/index.js';
import { runHerald } from './helpers/shell.js';
import { useDaemon } from './helpers/suite.js';

// Get-Help's examples for the directory cmdlets are meant to be copied: each one must run as
// written, in a daemon with one store and the people they name. Examples compute their dates
// from Get-Date (the shell's clock); the daemon's clock stands still at an instant before any
// of them, so no example's date can fall into the daemon's past while the test runs.
const suite = useDaemon({ extraArgs: ['--test-clock=2026-01-01T09:00:00Z'] });

// An order in which every example finds what it names; removals last.
const ORDER: MethodName[] = [
  'user.create', 'contact.create', 'group.create', 'user.get', 'contact.get', 'group.get', 'user.set', 'contact.set', 'group.set',
  'groupMember.add', 'groupMember.get', 'directoryObject.search', 'groupMember.remove', 'contact.remove', 'group.remove', 'user.remove',
];

describe('the directory cmdlets\' help examples', () => {
  it('run as written, one after the other', async () => {
    const setup = [
      'New-IdentityStore Corp Builtin',
      ...['alice', 'bob', 'carol', 'temp1', 'test1'].map((name) => `New-User ${name} -Mail ${name}@emea.corp.example`),
      'New-Group SalesEmea', 'New-Group SalesAmericas',
    ];
    // Read-Host waits for someone at a terminal, which a test does not have.
    const examples = ORDER.flatMap((name) => METHODS[name].cmdlet.examples.map((example) => example.command)).filter((command) => !command.includes('Read-Host'));
    expect(examples.length).toBeGreaterThan(ORDER.length);
    const script = [...setup.map((line) => `${line} | Out-Null`), ...examples].join('\n');
    const run = await runHerald([], { stateDir: suite.stateDir, stdin: script });
    expect(run.stderr).toBe('');
    expect(run.code).toBe(0);
    // Each cmdlet's own examples ran: the last ones removed Sales, jdoe and the test users.
    const after = await runHerald(['-OutputFormat', 'Json', '-Command', 'Get-Object | Select-Object -ExpandProperty Name'], { stateDir: suite.stateDir });
    expect(JSON.parse(after.stdout)).toEqual(['alice', 'bob', 'carol', 'intern1', 'intern2', 'SalesAmericas', 'SalesEmea', 'Staff', 'temp1']);
  });
});
