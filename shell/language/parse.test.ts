import { describe, expect, it } from 'vitest';
import {
  type CommandElement, type Expr, firstCommandName, IncompleteInputError, ParseError, parseScript, type Statement,
} from './index.js';

const statement = (src: string): Statement => {
  const { statements } = parseScript(src);
  expect(statements).toHaveLength(1);
  return statements[0];
};
const command = (src: string): CommandElement => {
  const element = statement(src).pipeline.elements[0];
  expect(element.kind).toBe('command');
  return element as CommandElement;
};
/** The single argument value of `X <src>`. */
const value = (src: string): Expr => {
  const { args } = command(`X ${src}`);
  expect(args).toHaveLength(1);
  expect(args[0].kind).toBe('value');
  return args[0].kind === 'value' ? args[0].value : (undefined as never);
};
const error = (src: string): ParseError => {
  try {
    parseScript(src);
  } catch (e) {
    expect(e).toBeInstanceOf(ParseError);
    return e as ParseError;
  }
  throw new Error(`no error for ${JSON.stringify(src)}`);
};
const at = (line: number, column: number) => ({ line, column });

describe('statements', () => {
  it('separates statements by newlines and semicolons, ignoring blank lines and comments', () => {
    const { statements } = parseScript('\n# heading\nA 1; B\n\n  C # trailing\n;');
    expect(statements.map((s) => s.text)).toEqual(['A 1', 'B', 'C']);
    expect(statements.map((s) => s.pos)).toEqual([at(3, 1), at(3, 6), at(5, 3)]);
  });

  it('parses an empty script', () => {
    expect(parseScript('')).toEqual({ statements: [] });
    expect(parseScript(' \n ; # nothing\n')).toEqual({ statements: [] });
  });

  it('continues a statement after a trailing backtick', () => {
    const s = statement('New-IdentityStore corp Builtin `\n   -Description "Corporate directory"');
    expect(s).toMatchObject({
      text: 'New-IdentityStore corp Builtin `\n   -Description "Corporate directory"',
      pipeline: {
        elements: [{
          kind: 'command',
          name: 'New-IdentityStore',
          args: [
            { kind: 'value', value: { kind: 'bareword', value: 'corp' } },
            { kind: 'value', value: { kind: 'bareword', value: 'Builtin' } },
            { kind: 'parameter', name: 'Description', pos: at(2, 4) },
            { kind: 'value', value: { kind: 'literal', value: 'Corporate directory', pos: at(2, 17) } },
          ],
        }],
      },
    });
  });

  it('parses assignments of pipelines and expressions', () => {
    const { statements } = parseScript('$s = Get-IdentityStore corp; $s.Name');
    expect(statements).toMatchObject([
      { assign: 's', text: '$s = Get-IdentityStore corp', pipeline: { elements: [{ kind: 'command', name: 'Get-IdentityStore', pos: at(1, 6) }] } },
      { text: '$s.Name', pipeline: { elements: [{ kind: 'expression', expr: { kind: 'variable', name: 's', path: [{ prop: 'Name' }] } }] } },
    ]);
    expect(statements[1].assign).toBeUndefined();
    expect(statement("$X='a','b'")).toMatchObject({
      assign: 'X',
      pipeline: { elements: [{ kind: 'expression', expr: { kind: 'array', items: [{ value: 'a' }, { value: 'b' }] } }] },
    });
    expect(statement('$x =\n  5')).toMatchObject({ assign: 'x', pipeline: { elements: [{ expr: { value: 5 } }] } });
  });

  it('rejects assignment to anything but a plain variable', () => {
    expect(error('$s.Name = 1').message).toBe("line 1, column 1: cannot assign to '$s.Name': only plain variables like $name can be assigned");
    expect(() => parseScript('$env:X = 1')).toThrow(/cannot assign/);
  });
});

describe('pipelines', () => {
  it('splits commands on | and continues after a trailing |', () => {
    const s = statement('Get-IdentityStore | Where-Object Type -eq Builtin | Select-Object Name, Type | Format-Table');
    expect(s.pipeline.elements).toMatchObject([
      { kind: 'command', name: 'Get-IdentityStore', args: [], pos: at(1, 1) },
      {
        kind: 'command',
        name: 'Where-Object',
        pos: at(1, 21),
        args: [
          { kind: 'value', value: { kind: 'bareword', value: 'Type' } },
          { kind: 'parameter', name: 'eq' },
          { kind: 'value', value: { kind: 'bareword', value: 'Builtin' } },
        ],
      },
      {
        kind: 'command',
        name: 'Select-Object',
        args: [{ kind: 'value', value: { kind: 'array', items: [{ kind: 'bareword', value: 'Name' }, { kind: 'bareword', value: 'Type' }] } }],
      },
      { kind: 'command', name: 'Format-Table', args: [] },
    ]);
    expect(statement('Get-A |\n\n  Get-B').pipeline.elements.map((e) => e.kind === 'command' && e.name)).toEqual(['Get-A', 'Get-B']);
  });

  it('allows an expression as the first element only', () => {
    expect(statement('$s | Format-List').pipeline.elements).toMatchObject([
      { kind: 'expression', expr: { kind: 'variable', name: 's' }, pos: at(1, 1) },
      { kind: 'command', name: 'Format-List' },
    ]);
    expect(statement("'a','b' | ConvertTo-Json").pipeline.elements[0]).toMatchObject({
      kind: 'expression',
      expr: { kind: 'array', items: [{ value: 'a' }, { value: 'b' }] },
    });
    expect(statement('@{A=1} | Format-Table').pipeline.elements[0]).toMatchObject({ kind: 'expression', expr: { kind: 'hashtable' } });
    expect(statement('-5').pipeline.elements[0]).toMatchObject({ kind: 'expression', expr: { kind: 'literal', value: -5 } });
    expect(error("Get-A | 'x'").message).toBe("line 1, column 9: expected a command after '|', found ''x''");
  });

  it('accepts ? and % as command names, also directly before a script block', () => {
    expect(statement("Get-IdentityStore | ? { $_.Name -like 'c*' }").pipeline.elements[1]).toMatchObject({
      kind: 'command',
      name: '?',
      args: [{ kind: 'value', value: { kind: 'scriptblock', text: " $_.Name -like 'c*' ", pos: at(1, 23) } }],
    });
    expect(statement('Get-A | %{$_.Name}').pipeline.elements[1]).toMatchObject({
      name: '%',
      args: [{ value: { kind: 'scriptblock', text: '$_.Name' } }],
    });
  });

  it('rejects command names with other characters', () => {
    expect(error('foo.bar 1').message).toBe("line 1, column 1: 'foo.bar' is not a valid command name");
  });
});

describe('parameters', () => {
  it('parses -Name and -Name:value, keeping the spelling', () => {
    expect(command('Remove-IdentityStore -Identity corp -Confirm:$false').args).toEqual([
      { kind: 'parameter', name: 'Identity', pos: at(1, 22) },
      { kind: 'value', value: { kind: 'bareword', value: 'corp', pos: at(1, 32) }, pos: at(1, 32) },
      { kind: 'parameter', name: 'Confirm', value: { kind: 'literal', value: false, pos: at(1, 46) }, pos: at(1, 37) },
    ]);
    expect(command('X -sslEnabled: $TRUE -To:a,b').args).toMatchObject([
      { kind: 'parameter', name: 'sslEnabled', value: { kind: 'literal', value: true } },
      { kind: 'parameter', name: 'To', value: { kind: 'array', items: [{ value: 'a' }, { value: 'b' }] } },
    ]);
  });

  it('accepts en and em dashes', () => {
    expect(command('Set-Notifications –IdentityStoreName Corp —NotifyOwners $true').args).toMatchObject([
      { kind: 'parameter', name: 'IdentityStoreName' },
      { kind: 'value', value: { kind: 'bareword', value: 'Corp' } },
      { kind: 'parameter', name: 'NotifyOwners' },
      { kind: 'value', value: { kind: 'literal', value: true } },
    ]);
  });

  it('treats negative numbers as values', () => {
    expect(command('X -Offset -5 -1.5').args).toMatchObject([
      { kind: 'parameter', name: 'Offset' },
      { kind: 'value', value: { kind: 'literal', value: -5 } },
      { kind: 'value', value: { kind: 'literal', value: -1.5 } },
    ]);
  });

  it('requires a value after -Name:', () => {
    expect(error('X -Confirm:\nY').message).toBe("line 1, column 12: expected a value after '-Confirm:', found end of line");
    expect(error('X -Confirm:').message).toBe("line 1, column 12: expected a value after '-Confirm:', found end of input");
  });
});

describe('values', () => {
  it('parses single-quoted strings without expansion', () => {
    expect(value("'it''s $x `n'")).toEqual({ kind: 'literal', value: "it's $x `n", pos: at(1, 3) });
  });

  it('parses double-quoted strings with variables, subexpressions and escapes', () => {
    expect(value('"Hello $name, $($x.Y) `n `t `" `$ `` `0 ""q"" $env:HOME$a.b"')).toEqual({
      kind: 'expandable',
      pos: at(1, 3),
      parts: [
        'Hello ',
        { kind: 'variable', name: 'name', path: [], pos: at(1, 10) },
        ', ',
        {
          kind: 'subexpression',
          path: [],
          pos: at(1, 17),
          statements: [{
            text: '$x.Y',
            pos: at(1, 19),
            pipeline: { elements: [{ kind: 'expression', expr: { kind: 'variable', name: 'x', path: [{ prop: 'Y' }], pos: at(1, 19) }, pos: at(1, 19) }] },
          }],
        },
        ' \n \t " $ ` \0 "q" ',
        { kind: 'variable', name: 'HOME', scope: 'env', path: [], pos: at(1, 49) },
        { kind: 'variable', name: 'a', path: [], pos: at(1, 58) },
        '.b',
      ],
    });
  });

  it('turns double-quoted strings without expansions into literals', () => {
    expect(value('"cost: 5$ `$x"')).toEqual({ kind: 'literal', value: 'cost: 5$ $x', pos: at(1, 3) });
  });

  it('parses commands and nested strings inside "$( )"', () => {
    expect(value('"n=$(Get-Count "a b" | Measure)!"')).toMatchObject({
      kind: 'expandable',
      parts: [
        'n=',
        {
          kind: 'subexpression',
          statements: [{
            pipeline: {
              elements: [
                { kind: 'command', name: 'Get-Count', args: [{ value: { kind: 'literal', value: 'a b' } }] },
                { kind: 'command', name: 'Measure' },
              ],
            },
          }],
        },
        '!',
      ],
    });
  });

  it('parses numbers', () => {
    expect([value('587'), value('1.25'), value('-3'), value('1KB'), value('2GB')].map((e) => e.kind === 'literal' && e.value))
      .toEqual([587, 1.25, -3, 1024, 2 * 2 ** 30]);
  });

  it('parses $true, $false and $null case-insensitively', () => {
    expect([value('$TRUE'), value('$False'), value('$null')]).toMatchObject([
      { kind: 'literal', value: true },
      { kind: 'literal', value: false },
      { kind: 'literal', value: null },
    ]);
  });

  it('parses variables with properties, indexes and scopes', () => {
    expect(value('$Store.Portals[0].Name')).toEqual({
      kind: 'variable',
      name: 'Store',
      path: [{ prop: 'Portals' }, { index: 0 }, { prop: 'Name' }],
      pos: at(1, 3),
    });
    expect(value('$env:HOME')).toEqual({ kind: 'variable', name: 'HOME', scope: 'env', path: [], pos: at(1, 3) });
    expect(value('$_')).toMatchObject({ kind: 'variable', name: '_' });
  });

  it('parses bare words', () => {
    for (const word of ['corp', 'Builtin', 'https://x.example/a?b=1', 'C:\\path', '*.example', 'a@b.example', '10.0.0.1']) {
      expect(value(word)).toEqual({ kind: 'bareword', value: word, pos: at(1, 3) });
    }
    expect(command('X Temporary Member').args).toMatchObject([
      { value: { kind: 'bareword', value: 'Temporary' } },
      { value: { kind: 'bareword', value: 'Member' } },
    ]);
  });

  it('makes one array argument of a comma list, also across a line break after a comma', () => {
    expect(command("X 'a','b', 'c' d").args).toMatchObject([
      { kind: 'value', value: { kind: 'array', pos: at(1, 3), items: [{ value: 'a' }, { value: 'b' }, { value: 'c', pos: at(1, 12) }] } },
      { kind: 'value', value: { kind: 'bareword', value: 'd' } },
    ]);
    expect(command('X -To a@x,b@x').args).toMatchObject([
      { kind: 'parameter', name: 'To' },
      { kind: 'value', value: { kind: 'array', items: [{ kind: 'bareword', value: 'a@x' }, { kind: 'bareword', value: 'b@x' }] } },
    ]);
    expect(value('1,\n  2')).toMatchObject({ kind: 'array', items: [{ value: 1 }, { value: 2, pos: at(2, 3) }] });
  });

  it('parses @( ) arrays, also across lines', () => {
    expect(value("@('a','b')")).toEqual({
      kind: 'array',
      pos: at(1, 3),
      items: [{ kind: 'literal', value: 'a', pos: at(1, 5) }, { kind: 'literal', value: 'b', pos: at(1, 9) }],
    });
    expect(value('@()')).toEqual({ kind: 'array', items: [], pos: at(1, 3) });
    expect(value("@(\n  'a'\n  'b', 'c'\n  @{K=1}\n)")).toMatchObject({
      kind: 'array',
      items: [{ value: 'a' }, { value: 'b' }, { value: 'c' }, { kind: 'hashtable' }],
    });
  });

  it('leaves @( ) with commands or variables to the evaluator', () => {
    expect(value('@(Get-A)')).toMatchObject({
      kind: 'subexpression',
      array: true,
      path: [],
      statements: [{ pipeline: { elements: [{ kind: 'command', name: 'Get-A' }] } }],
    });
    expect(value('@($x)')).toMatchObject({ kind: 'subexpression', array: true });
    // A comma list is unrolled one level only, so $x stays a single item here.
    expect(value('@($x, 1)')).toMatchObject({ kind: 'array', items: [{ kind: 'variable' }, { value: 1 }] });
    expect(value('@(1,2).Count')).toMatchObject({ kind: 'subexpression', array: true, path: [{ prop: 'Count' }] });
  });

  it('parses hashtables', () => {
    expect(value("@{Key='v'; Other=1; List='a','b'}")).toEqual({
      kind: 'hashtable',
      pos: at(1, 3),
      entries: [
        { key: 'Key', value: { kind: 'literal', value: 'v', pos: at(1, 9) }, pos: at(1, 5) },
        { key: 'Other', value: { kind: 'literal', value: 1, pos: at(1, 20) }, pos: at(1, 14) },
        {
          key: 'List',
          pos: at(1, 23),
          value: { kind: 'array', pos: at(1, 28), items: [{ kind: 'literal', value: 'a', pos: at(1, 28) }, { kind: 'literal', value: 'b', pos: at(1, 32) }] },
        },
      ],
    });
    expect(value(`@{\n  'Display Name' = "x"\n  Type = Builtin\n  Nested = @{ A = $true }\n}`)).toMatchObject({
      kind: 'hashtable',
      entries: [
        { key: 'Display Name', value: { value: 'x' } },
        { key: 'Type', value: { kind: 'bareword', value: 'Builtin' }, pos: at(3, 3) },
        { key: 'Nested', value: { kind: 'hashtable', entries: [{ key: 'A', value: { value: true } }] } },
      ],
    });
    expect(value('@{}')).toEqual({ kind: 'hashtable', entries: [], pos: at(1, 3) });
  });

  it('rejects malformed hashtables', () => {
    expect(error('X @{A=1; a=2}').message).toBe("line 1, column 10: duplicate hashtable key 'a'");
    expect(error('X @{A 1}').message).toBe("line 1, column 7: expected '=' after hashtable key 'A', found '1'");
    expect(error("X @{A=1 B=2}").message).toBe("line 1, column 9: expected ';' or a line break between hashtable entries, found 'B=2'");
    expect(error('X @{$a=1}').message).toBe("line 1, column 5: expected a hashtable key, found '$a'");
  });

  it('parses parenthesised pipelines with accessors', () => {
    expect(value('(Get-IdentityStore corp).Name')).toEqual({
      kind: 'subexpression',
      path: [{ prop: 'Name' }],
      pos: at(1, 3),
      statements: [{
        text: 'Get-IdentityStore corp',
        pos: at(1, 4),
        pipeline: {
          elements: [{
            kind: 'command',
            name: 'Get-IdentityStore',
            pos: at(1, 4),
            args: [{ kind: 'value', value: { kind: 'bareword', value: 'corp', pos: at(1, 22) }, pos: at(1, 22) }],
          }],
        },
      }],
    });
    expect(value('(Get-Credential)')).toMatchObject({ kind: 'subexpression', path: [], statements: [{ pipeline: { elements: [{ name: 'Get-Credential' }] } }] });
    expect(value('$(Get-A; Get-B)[1]')).toMatchObject({ kind: 'subexpression', path: [{ index: 1 }], statements: [{ text: 'Get-A' }, { text: 'Get-B' }] });
    expect(value('$()')).toMatchObject({ kind: 'subexpression', statements: [] });
  });

  it('keeps script block source untouched', () => {
    expect(value("{ $_.Name -eq 'corp' }")).toEqual({ kind: 'scriptblock', text: " $_.Name -eq 'corp' ", pos: at(1, 3) });
    expect(value('{\n  if ($x) { "}" }\n}')).toMatchObject({ kind: 'scriptblock', text: '\n  if ($x) { "}" }\n' });
  });

  it('requires whitespace between adjacent values', () => {
    expect(error("X 'a'b").message).toBe("line 1, column 6: unexpected 'b' right after a value; separate arguments with a space");
  });
});

describe('the documented examples', () => {
  it('Set-SmtpServer', () => {
    const c = command(
      'Set-SmtpServer -IdentityStoreName "Corp" -SmtpServer smtp.corp.example -FromEmail \'herald@corp.example\' -ToEmail admin@corp.example,ops@corp.example -Port 587 -UseSmptUserAuthentication -Credential $cred -SslEnabled',
    );
    expect(c).toMatchObject({
      name: 'Set-SmtpServer',
      args: [
        { kind: 'parameter', name: 'IdentityStoreName' },
        { kind: 'value', value: { kind: 'literal', value: 'Corp' } },
        { kind: 'parameter', name: 'SmtpServer' },
        { kind: 'value', value: { kind: 'bareword', value: 'smtp.corp.example' } },
        { kind: 'parameter', name: 'FromEmail' },
        { kind: 'value', value: { kind: 'literal', value: 'herald@corp.example' } },
        { kind: 'parameter', name: 'ToEmail' },
        { kind: 'value', value: { kind: 'array', items: [{ value: 'admin@corp.example' }, { value: 'ops@corp.example' }] } },
        { kind: 'parameter', name: 'Port' },
        { kind: 'value', value: { kind: 'literal', value: 587 } },
        { kind: 'parameter', name: 'UseSmptUserAuthentication' },
        { kind: 'parameter', name: 'Credential' },
        { kind: 'value', value: { kind: 'variable', name: 'cred' } },
        { kind: 'parameter', name: 'SslEnabled' },
      ],
    });
    expect(c.args).toHaveLength(14);
  });

  it('New-Object PSCredential', () => {
    expect(statement('$cred = New-Object System.Management.Automation.PSCredential "user", (ConvertTo-SecureString "pw" -AsPlainText -Force)')).toMatchObject({
      assign: 'cred',
      pipeline: {
        elements: [{
          name: 'New-Object',
          args: [
            { value: { kind: 'bareword', value: 'System.Management.Automation.PSCredential' } },
            {
              value: {
                kind: 'array',
                items: [
                  { kind: 'literal', value: 'user' },
                  {
                    kind: 'subexpression',
                    statements: [{
                      pipeline: {
                        elements: [{
                          name: 'ConvertTo-SecureString',
                          args: [{ value: { value: 'pw' } }, { kind: 'parameter', name: 'AsPlainText' }, { kind: 'parameter', name: 'Force' }],
                        }],
                      },
                    }],
                  },
                ],
              },
            },
          ],
        }],
      },
    });
  });

  it('Set-Notifications', () => {
    expect(command('Set-Notifications –IdentityStoreName Corp –NotifyOwners $true -XDaysBeforeLeaveNotificationML 2').args).toMatchObject([
      { kind: 'parameter', name: 'IdentityStoreName' },
      { value: { kind: 'bareword', value: 'Corp' } },
      { kind: 'parameter', name: 'NotifyOwners' },
      { value: { kind: 'literal', value: true } },
      { kind: 'parameter', name: 'XDaysBeforeLeaveNotificationML' },
      { value: { kind: 'literal', value: 2 } },
    ]);
  });

  it('Set-Group with a hashtable', () => {
    expect(command('Set-Group -Identity Sales -Add @{AdditionalOwners="a","b"}').args).toMatchObject([
      { kind: 'parameter', name: 'Identity' },
      { value: { kind: 'bareword', value: 'Sales' } },
      { kind: 'parameter', name: 'Add' },
      { value: { kind: 'hashtable', entries: [{ key: 'AdditionalOwners', value: { kind: 'array', items: [{ value: 'a' }, { value: 'b' }] } }] } },
    ]);
  });

  it('parses all of them as one script', () => {
    const script = [
      'Set-SmtpServer -IdentityStoreName "Corp" -SmtpServer smtp.corp.example -FromEmail \'herald@corp.example\' -ToEmail admin@corp.example,ops@corp.example -Port 587 -UseSmptUserAuthentication -Credential $cred -SslEnabled',
      '$cred = New-Object System.Management.Automation.PSCredential "user", (ConvertTo-SecureString "pw" -AsPlainText -Force)',
      'Set-Notifications –IdentityStoreName Corp –NotifyOwners $true -XDaysBeforeLeaveNotificationML 2',
      'Set-Group -Identity Sales -Add @{AdditionalOwners="a","b"}',
      'Get-IdentityStore | Where-Object Type -eq Builtin | Select-Object Name, Type | Format-Table',
      "Get-IdentityStore | ? { $_.Name -like 'c*' }",
      'New-IdentityStore corp Builtin `',
      '   -Description "Corporate directory"',
      '$s = Get-IdentityStore corp; $s.Name',
      'Remove-IdentityStore -Identity corp -Confirm:$false',
    ].join('\n');
    const { statements } = parseScript(script);
    expect(statements.map((s) => s.pos.line)).toEqual([1, 2, 3, 4, 5, 6, 7, 9, 9, 10]);
    expect(statements[9]).toMatchObject({ text: 'Remove-IdentityStore -Identity corp -Confirm:$false', pos: at(10, 1) });
  });
});

describe('errors', () => {
  it('names what was expected and where', () => {
    const e = error('Get-A\nSet-B -X (Get-C))');
    expect(e).not.toBeInstanceOf(IncompleteInputError);
    expect(e.pos).toEqual(at(2, 17));
    expect(e.message).toBe("line 2, column 17: unexpected ')'");
    expect(error('Get-A | | B').message).toBe("line 1, column 9: expected a command after '|', found '|'");
    expect(error('-Name x').message).toBe("line 1, column 1: expected a command or expression, found '-Name'");
    expect(error('1 + 2').message).toBe("line 1, column 3: unexpected '+'");
    expect(error('X (Get-A}').message).toBe("line 1, column 9: unexpected '}'");
    expect(error('X ()').message).toBe("line 1, column 3: expected an expression after '('");
    expect(error('X $a[b]').message).toBe("line 1, column 5: expected an integer index inside '[ ]'");
    expect(error('X @"\nhi\n"@').message).toBe('line 1, column 3: here-strings are not supported');
  });

  it('reports input that ends too early as IncompleteInputError', () => {
    const cases: [string, string][] = [
      ["X 'abc", `line 1, column 3: missing closing "'"`],
      ['X "abc\n', `line 1, column 3: missing closing '"'`],
      ['X "$(Get-A', "line 1, column 4: missing closing ')'"],
      ['X (Get-A', "line 1, column 3: missing closing ')'"],
      ['X (\n  Get-A -B:', "line 1, column 3: missing closing ')'"],
      ['X @(', "line 1, column 3: missing closing ')'"],
      ['X @{A=1', "line 1, column 3: missing closing '}'"],
      ['X @{A=', "line 1, column 3: missing closing '}'"],
      ['X { $_', "line 1, column 3: missing closing '}'"],
      ['Get-A |', "line 1, column 8: expected a command after '|'"],
      ['Get-A |\n', "line 2, column 1: expected a command after '|'"],
      ['Get-A `', 'line 1, column 7: expected another line after the continuation backtick'],
      ['$x =', "line 1, column 5: expected a value after '='"],
      ['X a,', "line 1, column 5: expected a value after ','"],
    ];
    for (const [src, message] of cases) {
      const e = error(src);
      expect(e, src).toBeInstanceOf(IncompleteInputError);
      expect(e.message, src).toBe(message);
    }
  });

  it('becomes complete once the continuation arrives', () => {
    expect(statement('Get-A |\nGet-B').pipeline.elements).toHaveLength(2);
    expect(statement('X @{\nA=1\n}')).toMatchObject({ pipeline: { elements: [{ args: [{ value: { kind: 'hashtable' } }] }] } });
  });
});

describe('firstCommandName', () => {
  it('returns the first command name, skipping an assignment', () => {
    expect(firstCommandName('Get-IdentityStore corp')).toBe('Get-IdentityStore');
    expect(firstCommandName('$s = Get-IdentityStore')).toBe('Get-IdentityStore');
    expect(firstCommandName('\n  get-identitystore | ft')).toBe('get-identitystore');
    expect(firstCommandName('? { $_ }')).toBe('?');
  });

  it('returns barewords that are probably JavaScript; the caller checks known commands', () => {
    expect(firstCommandName('const x = 1')).toBe('const');
    expect(firstCommandName('await foo()')).toBe('await');
  });

  it('returns undefined for expressions and malformed input, never throwing', () => {
    for (const src of ['1 + 2', '$s | Format-List', "'a' | X", '$s.Name = 1', '', 'foo.bar()', '"abc', '$x =', '{ a: 1 }']) {
      expect(firstCommandName(src), src).toBeUndefined();
    }
  });

  it('looks only at the start, so a mistake later on still names the command', () => {
    expect(firstCommandName('Get-IdentityStore (')).toBe('Get-IdentityStore');
    expect(firstCommandName("Set-Group -Add @{A=1; A=2}")).toBe('Set-Group');
  });
});

describe('method calls', () => {
  it('parses .Method(args) after a group or a variable, chained with properties', () => {
    expect(value('(Get-Date).Date.AddDays(-30).ToString()')).toMatchObject({
      kind: 'subexpression',
      path: [
        { prop: 'Date' },
        { method: 'AddDays', args: { kind: 'subexpression', statements: [{ pipeline: { elements: [{ kind: 'expression', expr: { kind: 'literal', value: -30 } }] } }] } },
        { method: 'ToString', args: { kind: 'subexpression', statements: [] } },
      ],
    });
    expect(value("$name.Replace('a', 'b')")).toMatchObject({
      kind: 'variable',
      path: [{ method: 'Replace', args: { statements: [{ pipeline: { elements: [{ expr: { kind: 'array', items: [{ value: 'a' }, { value: 'b' }] } }] } }] } }],
    });
  });

  it('reports an unclosed argument list as incomplete', () => {
    expect(() => parseScript('$d.AddDays(1')).toThrow(IncompleteInputError);
  });
});
