import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { openTerminal } from './helpers/terminal.js';
import { useDaemon } from './helpers/suite.js';

// The interactive shell at a real terminal: what an administrator sees and types.
const suite = useDaemon();

describe('the interactive shell', () => {
  it('runs commands, completes with Tab, asks before removing, hides secrets and keeps history', async () => {
    const terminal = openTerminal({ HERALD_STATE_DIR: suite.stateDir, HERALD_NO_AUTOSTART: '1' });
    await terminal.waitFor('Connected to herald daemon');
    await terminal.waitFor('herald> ');

    terminal.type('New-IdentityStore Pty Builtin\r');
    await terminal.waitFor(/Pty +Builtin/);

    // Tab completes the cmdlet, then the store name, which the daemon supplies.
    // Each completion is awaited before typing on: the store name takes a trip to the daemon.
    terminal.type('Get-IdentityStor\t');
    await terminal.waitFor(/Get-IdentityStore(?!P)/);
    terminal.type(' P\t');
    await terminal.waitFor(/IdentityStore Pty/);
    terminal.type(' | Select-Object -ExpandProperty Type\r');
    await terminal.waitFor(/\r?\nBuiltin\r?\n/);

    terminal.type('Remove-IdentityStore Pty\r');
    await terminal.waitFor('[Y] Yes  [A] Yes to All  [N] No  [L] No to All');
    terminal.type('n\r');
    await terminal.waitFor('herald> ');
    terminal.type('(Get-IdentityStore).Count\r');
    await terminal.waitFor(/\r?\n1\r?\n/);

    terminal.type('$c = Get-Credential -UserName bob\r');
    await terminal.waitFor('Password for user bob:');
    terminal.type('sekrit-value\r');
    await terminal.waitFor('herald> ');
    terminal.type('$c.GetNetworkCredential().Password.length\r');
    await terminal.waitFor(/\r?\n12\r?\n/);

    terminal.type('exit\r');
    expect(await terminal.exited).toBe(0);
    expect(terminal.screen()).not.toContain('sekrit-value');
    const history = readFileSync(join(suite.stateDir, 'history'), 'utf8');
    expect(history).toContain('New-IdentityStore Pty Builtin');
    expect(history).not.toContain('sekrit-value');
  });
});
