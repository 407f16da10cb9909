import type { Parameter } from './command.js';

const shellSwitch = (name: string, description: string): Parameter => ({
  name, key: name, aliases: [], type: 'boolean', required: false, isSwitch: true, description,
});

export const WHAT_IF = shellSwitch('WhatIf', 'Shows what would happen, changing nothing.');
export const CONFIRM = shellSwitch('Confirm', 'Asks before acting; -Confirm:$false never asks.');
export const FORCE = shellSwitch('Force', 'Acts without asking for confirmation.');
export const PASS_THRU = shellSwitch('PassThru', 'Writes the changed object to the pipeline.');

/** Shell-side switches that never travel to the daemon. */
export const SHELL_ONLY_KEYS = new Set([WHAT_IF.key, CONFIRM.key, FORCE.key, PASS_THRU.key]);
