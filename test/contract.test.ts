import { describe, expect, it } from 'vitest';
import { z } from 'zod';
import { openDatabase } from '../daemon/database.js';
import { DEFAULT_RETRY_POLICY } from '../daemon/delivery/retry-policy.js';
import { createHandlers } from '../daemon/handlers/index.js';
import { createLogger } from '../daemon/logger.js';
import { APPROVED_VERBS, METHODS, METHOD_NAMES, type MethodSpec } from '../protocol/index.js';
import { createCommandTable } from '../shell/commands/registry.js';

const specs = Object.values(METHODS) as unknown as MethodSpec[];
const commands = createCommandTable(async () => null);
// PowerShell's own pipeline cmdlet keeps its name, whose verb is not on the approved list.
const CORE_CMDLETS = new Set(['Where-Object']);

describe('the method table', () => {
  it('is sorted by method name and keyed by each method\'s own name', () => {
    expect(METHOD_NAMES).toEqual([...METHOD_NAMES].sort());
    for (const [key, spec] of Object.entries(METHODS)) expect(spec.name).toBe(key);
  });

  it('names methods noun.verb in lowerCamel', () => {
    for (const name of METHOD_NAMES) expect(name).toMatch(/^[a-z][A-Za-z]*\.[a-z][A-Za-z]*$/);
  });

  it('has exactly one handler per method', () => {
    const handlers = createHandlers({
      db: openDatabase(':memory:'),
      secrets: { seal: () => '', open: () => '' },
      directory: () => { throw new Error('no directory in the contract test'); },
      changes: { record: () => undefined },
      delivery: { wake: () => undefined, forgetStore: () => undefined, rememberCredential: () => undefined, policy: DEFAULT_RETRY_POLICY, tokens: { token: async () => ({ accessToken: '', expiresOn: new Date() }) } },
      clock: () => new Date(),
      log: createLogger(undefined, 'error'),
      runtime: { version: '0', stateDir: '/tmp', startedAt: new Date(), listeners: () => [], connections: () => 0 },
    } as never);
    expect(Object.keys(handlers).sort()).toEqual([...METHOD_NAMES].sort());
  });

  it('gives every method exactly one cmdlet, and every cmdlet an approved verb', () => {
    const cmdletNames = specs.map((spec) => spec.cmdlet.name);
    expect(new Set(cmdletNames).size).toBe(cmdletNames.length);
    for (const name of cmdletNames) {
      const [verb, noun] = name.split('-');
      expect(APPROVED_VERBS.has(verb), `${name}: '${verb}' is not an approved verb`).toBe(true);
      expect(noun).toMatch(/^[A-Z][A-Za-z]+$/);
      expect(commands.find(name)?.method).toBeDefined();
    }
  });

  it('has examples whose params and results fit the schemas', () => {
    for (const spec of specs) {
      expect(spec.examples.length, spec.name).toBeGreaterThan(0);
      for (const example of spec.examples) {
        expect(() => spec.params.parse(example.params), `${spec.name} example params`).not.toThrow();
        expect(() => (spec.result as z.ZodType).parse(example.result), `${spec.name} example result`).not.toThrow();
      }
    }
  });

  it('names only parameters that exist in cmdlet metadata, positions without gaps', () => {
    for (const spec of specs) {
      const keys = Object.keys(spec.params.shape);
      for (const key of Object.keys(spec.cmdlet.parameters ?? {})) expect(keys, `${spec.cmdlet.name} -${key}`).toContain(key);
      const positions = Object.values(spec.cmdlet.parameters ?? {}).map((p) => p.position).filter((p) => p !== undefined).sort();
      expect(positions).toEqual(positions.map((_, i) => i));
      if (spec.cmdlet.target) expect(keys).toContain(spec.cmdlet.target);
    }
  });
});

describe('the command table', () => {
  it('has help with at least one example for every command, approved verbs throughout', () => {
    for (const command of commands.all()) {
      expect(command.summary, command.name).not.toBe('');
      expect(command.examples.length, `${command.name} has no example`).toBeGreaterThan(0);
      if (!CORE_CMDLETS.has(command.name)) expect(APPROVED_VERBS.has(command.name.split('-')[0]), command.name).toBe(true);
    }
  });

  it('offers -WhatIf and -Confirm on every changing cmdlet, and -Force where it asks first', () => {
    for (const spec of specs) {
      const names = commands.find(spec.cmdlet.name)!.parameters.map((p) => p.name);
      if (spec.access === 'write') expect(names, spec.cmdlet.name).toEqual(expect.arrayContaining(['WhatIf', 'Confirm']));
      else expect(names).not.toContain('WhatIf');
      if (spec.cmdlet.name.startsWith('Remove-')) {
        expect(spec.cmdlet.confirmImpact, `${spec.cmdlet.name} must ask first`).toBe('High');
        expect(names).toContain('Force');
      }
    }
  });

  it('has no parameter name or alias that two parameters of one command share', () => {
    for (const command of commands.all()) {
      const names = command.parameters.flatMap((p) => [p.name, ...p.aliases].map((n) => n.toLowerCase()));
      expect(new Set(names).size, command.name).toBe(names.length);
    }
  });
});
