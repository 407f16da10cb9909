import { describe, expect, it } from 'vitest';
import { formatTable } from './table.js';

describe('formatTable', () => {
  it('aligns text left and numbers right, headers and dashes included', () => {
    const servers = [
      { Name: 'smtp1', Port: 25, Enabled: true },
      { Name: 'relay-eu', Port: 587, Enabled: false },
    ];
    expect(formatTable(servers)).toBe(`
Name     Port Enabled
----     ---- -------
smtp1      25 True
relay-eu  587 False

`);
  });

  it('shows null as empty, arrays in braces and nested objects in short form', () => {
    const rows = [
      { Name: 'a', Tags: ['x', 'y'] },
      { Name: 'b', Owner: { id: 7, role: 'admin' } },
      { Name: null, Tags: [1, 2, 3, 4, 5] },
    ];
    expect(formatTable(rows)).toBe(`
Name Tags          Owner
---- ----          -----
a    {x, y}
b                  @{id=7; role=admin}
     {1, 2, 3, 4…}

`);
  });

  it('right-aligns a numeric column even when some values are missing', () => {
    expect(formatTable([{ Id: 1000 }, { Id: null }, { Id: 7 }])).toBe(`
  Id
  --
1000

   7

`);
  });

  it('cuts the widest column with … when the table is too wide', () => {
    const rows = [{ Name: 'mail', Description: 'Primary outbound relay for the EU region' }];
    const table = formatTable(rows, { width: 30 });
    expect(table).toBe(`
Name Description
---- -----------
mail Primary outbound relay f…

`);
    expect(Math.max(...table.split('\n').map((line) => line.length))).toBe(30);
  });

  it('cuts headers too, keeping the dashes within the column', () => {
    expect(formatTable([{ DistinguishedName: 'cn=a', Id: 1 }], { width: 10 })).toBe(`
Distin… Id
------- --
cn=a     1

`);
  });

  it('does not shrink columns below four characters, overflowing instead', () => {
    expect(formatTable([{ A: 'aaaaaa', B: 'bbbbbb' }], { width: 5 })).toBe(`
A    B
-    -
aaa… bbb…

`);
  });

  it('leaves a table that fits alone', () => {
    const rows = [{ Description: 'Primary outbound relay for the EU region' }];
    expect(formatTable(rows)).toBe(`
Description
-----------
Primary outbound relay for the EU region

`);
  });

  it('uses the union of keys in first-seen order, case-insensitively', () => {
    expect(formatTable([{ name: 'a' }, { Name: 'b', Port: 1 }])).toBe(`
name Port
---- ----
a
b       1

`);
  });

  it('shows the requested properties, with wildcards and missing ones', () => {
    const rows = [{ Name: 'a', Port: 1, Note: 'x', Other: 'hidden' }];
    expect(formatTable(rows, { properties: ['port', 'n*', 'Missing'] })).toBe(`
Port Name Note Missing
---- ---- ---- -------
   1 a    x

`);
  });

  it('flattens line breaks inside a cell', () => {
    expect(formatTable([{ Text: 'one\r\ntwo\tthree' }])).toBe(`
Text
----
one two three

`);
  });

  it('prints plain values one per line, skipping null', () => {
    expect(formatTable(['a', 1, true, null, ['x']])).toBe('a\n1\nTrue\n{x}\n');
  });

  it('keeps the order of mixed plain values and objects', () => {
    expect(formatTable(['before', { A: 1 }, 'after'])).toBe(`before

A
-
1

after
`);
  });

  it('returns an empty string when there is nothing to show', () => {
    expect(formatTable([])).toBe('');
    expect(formatTable([{}, {}])).toBe('');
  });

  it('rejects a non-positive width', () => {
    expect(() => formatTable([{ A: 1 }], { width: 0 })).toThrow(RangeError);
  });
});
