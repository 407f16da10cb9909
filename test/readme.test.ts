import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { METHODS, METHOD_NAMES } from '../protocol/index.js';
import { createCommandTable } from '../shell/commands/registry.js';

const readme = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

function between(start: string, end: string): string {
  const from = readme.indexOf(start);
  const to = readme.indexOf(end);
  expect(from, `README lacks ${start}`).toBeGreaterThan(-1);
  return readme.slice(from + start.length, to).trim();
}

/** The cmdlet table as the README must show it, generated from the command table. */
export function cmdletTable(): string {
  const rows = createCommandTable(async () => null)
    .all()
    .sort((a, b) => a.name.localeCompare(b.name))
    .map((c) => `| \`${c.name}\` | ${c.method ? `\`${c.method}\`` : 'shell'} | ${c.summary} |`);
  return ['| Command | JSON-RPC method | What it does |', '|---|---|---|', ...rows].join('\n');
}

describe('README', () => {
  it('lists every command exactly as the shell has them', () => {
    expect(between('<!-- commands:start -->', '<!-- commands:end -->'), 'paste the expected table into README.md').toBe(cmdletTable());
  });

  it('names every JSON-RPC method in the protocol section', () => {
    const protocol = between('<!-- protocol:start -->', '<!-- protocol:end -->');
    for (const name of METHOD_NAMES) expect(protocol, name).toContain(`\`${name}\``);
    expect(Object.keys(METHODS).length).toBe(METHOD_NAMES.length);
  });

  it('documents the test command that CI runs', () => {
    expect(readme).toContain('npm test');
    expect(readFileSync(new URL('../.ci/run', import.meta.url), 'utf8')).toContain('npm test');
  });
});
