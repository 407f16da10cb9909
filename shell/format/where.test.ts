import { describe, expect, it } from 'vitest';
import { createWherePredicate, whereObject } from './where.js';

const servers = [
  { Name: 'smtp-eu', Port: 25, Enabled: true, Tags: ['mail', 'EU'], Smtp: { Port: 587, Host: 'Relay.example' } },
  { Name: 'SMTP-us', Port: 587, Enabled: false, Tags: ['mail'], Smtp: { Port: 25, Host: 'relay.example' } },
  { Name: 'ldap', Port: 389, Enabled: true, Tags: [], Smtp: null },
];

/** Names of the servers that pass the filter, to keep expectations short. */
function where(property: string, operator: string, value: unknown): unknown[] {
  return whereObject(servers, property, operator, value).map((server) => (server as { Name: unknown }).Name);
}

describe('whereObject equality', () => {
  it('-eq / -ne compare strings case-insensitively', () => {
    expect(where('Name', '-eq', 'SMTP-EU')).toEqual(['smtp-eu']);
    expect(where('Name', '-ne', 'SMTP-EU')).toEqual(['SMTP-us', 'ldap']);
  });

  it('-ceq / -cne compare strings case-sensitively', () => {
    expect(where('Name', '-ceq', 'smtp-eu')).toEqual(['smtp-eu']);
    expect(where('Name', '-ceq', 'SMTP-EU')).toEqual([]);
    expect(where('Name', '-cne', 'smtp-eu')).toEqual(['SMTP-us', 'ldap']);
  });

  it('compares numerically when the property is a number and the value a numeric string', () => {
    expect(where('Port', '-eq', '25')).toEqual(['smtp-eu']);
    expect(where('Port', '-eq', ' 587 ')).toEqual(['SMTP-us']);
    expect(where('Port', '-eq', 'abc')).toEqual([]);
    expect(where('Port', '-ne', 'abc')).toEqual(['smtp-eu', 'SMTP-us', 'ldap']);
  });

  it('converts the value to a string when the property is a string', () => {
    const items = [{ Code: '25' }, { Code: '025' }, { Code: 'True' }];
    expect(whereObject(items, 'Code', '-eq', 25)).toEqual([{ Code: '25' }]);
    expect(whereObject(items, 'Code', '-eq', true)).toEqual([{ Code: 'True' }]);
  });

  it('compares booleans with booleans, numbers and the words true/false', () => {
    expect(where('Enabled', '-eq', true)).toEqual(['smtp-eu', 'ldap']);
    expect(where('Enabled', '-eq', 'FALSE')).toEqual(['SMTP-us']);
    expect(where('Enabled', '-eq', 'true')).toEqual(['smtp-eu', 'ldap']);
    expect(where('Enabled', '-eq', '$false')).toEqual(['SMTP-us']);
    expect(where('Enabled', '-ne', 'True')).toEqual(['SMTP-us']);
    expect(where('Enabled', '-eq', 0)).toEqual(['SMTP-us']);
    expect(where('Enabled', '-eq', 'yes')).toEqual([]);
  });

  it('matches null only against null or a missing property', () => {
    const items = [{ Owner: null }, {}, { Owner: '' }, { Owner: 0 }];
    expect(whereObject(items, 'Owner', '-eq', null)).toEqual([{ Owner: null }, {}]);
    expect(whereObject(items, 'Owner', '-ne', null)).toEqual([{ Owner: '' }, { Owner: 0 }]);
  });
});

describe('whereObject ordering', () => {
  it('-gt / -ge / -lt / -le compare numbers numerically, not as text', () => {
    expect(where('Port', '-gt', '100')).toEqual(['SMTP-us', 'ldap']);
    expect(where('Port', '-ge', 389)).toEqual(['SMTP-us', 'ldap']);
    expect(where('Port', '-lt', 389)).toEqual(['smtp-eu']);
    expect(where('Port', '-le', '389')).toEqual(['smtp-eu', 'ldap']);
  });

  it('orders strings case-insensitively', () => {
    expect(where('Name', '-lt', 'M')).toEqual(['ldap']);
    expect(where('Name', '-gt', 'SMTP-EU')).toEqual(['SMTP-us']);
    expect(where('Name', '-ge', 'SMTP-EU')).toEqual(['smtp-eu', 'SMTP-us']);
    expect(where('Name', '-le', 'LDAP')).toEqual(['ldap']);
  });

  it('compares ISO dates as text, which orders them chronologically', () => {
    const events = [{ At: '2024-01-05T10:00:00Z' }, { At: '2023-12-31T23:59:59Z' }];
    expect(whereObject(events, 'At', '-ge', '2024-01-01')).toEqual([{ At: '2024-01-05T10:00:00Z' }]);
  });

  it('fails every ordering test when the value cannot be converted', () => {
    expect(where('Port', '-gt', 'abc')).toEqual([]);
    expect(where('Port', '-le', 'abc')).toEqual([]);
  });

  it('sorts a missing value before everything, as PowerShell does', () => {
    expect(where('Smtp.Port', '-lt', 100)).toEqual(['SMTP-us', 'ldap']);
    expect(where('Smtp.Port', '-gt', 100)).toEqual(['smtp-eu']);
  });
});

describe('whereObject wildcards and regular expressions', () => {
  it('-like / -notlike take * ? and [] wildcards, case-insensitively', () => {
    expect(where('Name', '-like', 'smtp*')).toEqual(['smtp-eu', 'SMTP-us']);
    expect(where('Name', '-like', 'SMTP-??')).toEqual(['smtp-eu', 'SMTP-us']);
    expect(where('Name', '-like', '[l]*')).toEqual(['ldap']);
    expect(where('Name', '-notlike', '*-*')).toEqual(['ldap']);
  });

  it('-clike / -cnotlike honour case', () => {
    expect(where('Name', '-clike', 'smtp*')).toEqual(['smtp-eu']);
    expect(where('Name', '-cnotlike', 'smtp*')).toEqual(['SMTP-us', 'ldap']);
  });

  it('-like matches the displayed form of numbers and booleans', () => {
    expect(where('Port', '-like', '5*')).toEqual(['SMTP-us']);
    expect(where('Enabled', '-like', 'f*')).toEqual(['SMTP-us']);
  });

  it('-match / -notmatch take unanchored, case-insensitive regular expressions', () => {
    expect(where('Name', '-match', '-(EU|us)$')).toEqual(['smtp-eu', 'SMTP-us']);
    expect(where('Name', '-notmatch', 'SMTP')).toEqual(['ldap']);
    expect(where('Name', '-cmatch', '^SMTP')).toEqual(['SMTP-us']);
  });

  it('reports an invalid regular expression', () => {
    expect(() => where('Name', '-match', '(')).toThrow(/Invalid regular expression '\('/);
  });
});

describe('whereObject collections', () => {
  it('-contains / -notcontains look inside an array property', () => {
    expect(where('Tags', '-contains', 'eu')).toEqual(['smtp-eu']);
    expect(where('Tags', '-ccontains', 'eu')).toEqual([]);
    expect(where('Tags', '-notcontains', 'mail')).toEqual(['ldap']);
  });

  it('-contains treats a single value as a one-item collection', () => {
    expect(where('Port', '-contains', '25')).toEqual(['smtp-eu']);
  });

  it('-in / -notin look for the property in the given list', () => {
    expect(where('Name', '-in', ['LDAP', 'smtp-us'])).toEqual(['SMTP-us', 'ldap']);
    expect(where('Port', '-in', ['25', '389'])).toEqual(['smtp-eu', 'ldap']);
    expect(where('Name', '-notin', ['ldap'])).toEqual(['smtp-eu', 'SMTP-us']);
    expect(where('Name', '-in', 'ldap')).toEqual(['ldap']);
    expect(where('Name', '-cin', ['LDAP'])).toEqual([]);
  });

  it('applies scalar operators to each element of an array property', () => {
    expect(where('Tags', '-eq', 'eu')).toEqual(['smtp-eu']);
    expect(where('Tags', '-like', 'm*')).toEqual(['smtp-eu', 'SMTP-us']);
    expect(where('Tags', '-ne', 'mail')).toEqual(['smtp-eu']);
  });
});

describe('whereObject property names', () => {
  it('are case-insensitive and may be dotted', () => {
    expect(where('name', '-eq', 'ldap')).toEqual(['ldap']);
    expect(where('Smtp.Port', '-eq', 587)).toEqual(['smtp-eu']);
    expect(where('smtp.host', '-ceq', 'relay.example')).toEqual(['SMTP-us']);
    expect(where('Tags.Count', '-eq', 0)).toEqual(['ldap']);
  });
});

describe('whereObject operators', () => {
  it('accepts operators in any case, with or without the dash', () => {
    expect(where('Name', 'EQ', 'ldap')).toEqual(['ldap']);
    expect(where('Name', '-IEQ', 'LDAP')).toEqual(['ldap']);
  });

  it('rejects an unknown operator, listing the valid ones, even on empty input', () => {
    expect(() => whereObject([], 'Name', '-equals', 'x')).toThrow(
      "Unknown comparison operator '-equals'. Valid operators: -eq, -ne, -gt, -ge, -lt, -le, -like, -notlike, " +
        '-match, -notmatch, -contains, -notcontains, -in, -notin; prefix any of them with c to compare ' +
        'case-sensitively (-ceq, -cne, -clike, -cnotlike, ...) or with i to say case-insensitive explicitly (-ieq, ...).',
    );
  });

  it('returns the original objects, leaving the input untouched', () => {
    const input = [...servers];
    const result = whereObject(input, 'Name', '-eq', 'ldap');
    expect(result[0]).toBe(servers[2]);
    expect(input).toEqual(servers);
  });

  it('is available as a predicate for streaming', () => {
    const enabled = createWherePredicate('enabled', '-eq', 'true');
    expect(servers.filter(enabled).length).toBe(2);
  });
});
