import { execFileSync } from 'node:child_process';
import { beforeAll, describe, expect, it } from 'vitest';
import { z } from 'zod';
import {
  addressList,
  httpsUrl,
  isHostName,
  isMailAddress,
  isOffice365Host,
  isServerAddress,
  mailAddress,
  mailbox,
  parseMailbox,
  pemCertificate,
  serverAddress,
  splitAddressList,
} from './addresses.js';

const messages = (result: { success: boolean; error?: z.ZodError }) => result.error?.issues.map((issue) => issue.message) ?? [];

// 254 in total: a local part of 64, '@', and 189 of domain in labels of at most 63.
const LONGEST_ADDRESS = `${'l'.repeat(64)}@${'d'.repeat(63)}.${'d'.repeat(63)}.${'d'.repeat(58)}.ex`;

describe('isMailAddress', () => {
  it.each([
    'admin@corp.example',
    'first.last+tag@sub.corp.example',
    'x@[192.0.2.1]',
    'x@[IPv6:2001:db8::1]',
    'x@[ipv6:2001:db8::1]',
    "!#$%&'*+/=?^_`{|}~-@x.example",
    'UPPER@CORP.EXAMPLE',
    'a@xn--bcher-kva.example',
    'a@x-y.example',
    'a@1x.example',
    'a@x.example1',
    '1@2.example',
    `${'l'.repeat(64)}@x.example`,
    LONGEST_ADDRESS,
  ])('accepts %s', (text) => {
    expect(isMailAddress(text)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['no at', 'admin.corp.example'],
    ['empty local part', '@x.example'],
    ['empty domain', 'a@'],
    ['two ats', 'a@b@x.example'],
    ['single-label domain', 'a@b'],
    ['localhost', 'a@localhost'],
    ['doubled dot in local part', 'a..b@x.example'],
    ['leading dot', '.a@x.example'],
    ['trailing dot in local part', 'a.@x.example'],
    ['hyphen-led label', 'a@-x.example'],
    ['hyphen-ended label', 'a@x-.example'],
    ['empty label', 'a@x..example'],
    ['leading dot in domain', 'a@.x.example'],
    ['trailing dot in domain', 'a@x.example.'],
    ['numeric TLD', 'a@x.123'],
    ['dotted quad without brackets', 'a@192.0.2.1'],
    ['underscore in domain', 'a@x_y.example'],
    ['space', 'a b@x.example'],
    ['leading space', ' a@x.example'],
    ['tab', 'a\t@x.example'],
    ['header injection', 'a@x.example\r\nBcc: evil@x.example'],
    ['bare LF', 'a@x.example\n'],
    ['NUL', 'a\u0000@x.example'],
    ['DEL', 'a\u007f@x.example'],
    ['angle brackets', '<a@x.example>'],
    ['closing bracket', 'a@x.example>'],
    ['quoted local part', '"a"@x.example'],
    ['comma', 'a,b@x.example'],
    ['semicolon', 'a;b@x.example'],
    ['parentheses (comment)', 'a(c)@x.example'],
    ['unicode local part', 'ä@x.example'],
    ['unicode domain', 'a@bücher.example'],
    ['label over 63', `a@${'d'.repeat(64)}.example`],
    ['local part of 65', `${'l'.repeat(65)}@x.example`],
    ['255 in total, by the domain', LONGEST_ADDRESS.replace('.ex', '.exa')],
    ['bad IPv4 literal', 'x@[192.0.2.256]'],
    ['IPv6 literal without tag', 'x@[2001:db8::1]'],
    ['IPv4 under IPv6 tag', 'x@[IPv6:192.0.2.1]'],
    ['IPv6 zone id', 'x@[IPv6:fe80::1%eth0]'],
    ['general literal', 'x@[tag:content]'],
    ['unclosed literal', 'x@[192.0.2.1'],
  ])('rejects %s', (_label, text) => {
    expect(isMailAddress(text)).toBe(false);
  });

  it('counts lengths as the test names say', () => {
    expect(LONGEST_ADDRESS).toHaveLength(254);
    expect(LONGEST_ADDRESS.replace('.ex', '.exa')).toHaveLength(255);
  });
});

describe('parseMailbox', () => {
  it.each([
    ['admin@corp.example', { address: 'admin@corp.example' }],
    ['  admin@corp.example  ', { address: 'admin@corp.example' }],
    ['Herald <herald@corp.example>', { name: 'Herald', address: 'herald@corp.example' }],
    ['Herald Notifications <herald@corp.example>', { name: 'Herald Notifications', address: 'herald@corp.example' }],
    ['Herald<herald@corp.example>', { name: 'Herald', address: 'herald@corp.example' }],
    ['"Last, First" <first.last@corp.example>', { name: 'Last, First', address: 'first.last@corp.example' }],
    ['"Last, First"<first.last@corp.example>', { name: 'Last, First', address: 'first.last@corp.example' }],
    ['"Say \\"hi\\"" <a@x.example>', { name: 'Say "hi"', address: 'a@x.example' }],
    ['"Back\\\\slash" <a@x.example>', { name: 'Back\\slash', address: 'a@x.example' }],
    ['"IT <Ops> @ HQ; desk" <a@x.example>', { name: 'IT <Ops> @ HQ; desk', address: 'a@x.example' }],
    ['Jürgen Müller <j.mueller@corp.example>', { name: 'Jürgen Müller', address: 'j.mueller@corp.example' }],
    ['IT (Service Desk) <a@x.example>', { name: 'IT (Service Desk)', address: 'a@x.example' }],
    ['Ops <x@[192.0.2.1]>', { name: 'Ops', address: 'x@[192.0.2.1]' }],
  ])('reads %s', (text, expected) => {
    expect(parseMailbox(text)).toEqual(expected);
  });

  it.each([
    ['empty', ''],
    ['invalid bare address', 'a@b'],
    ['bare angle address', '<a@x.example>'],
    ['empty quoted name', '"" <a@x.example>'],
    ['blank name', '   <a@x.example>'],
    ['text after the bracket', 'Name <a@x.example> more'],
    ['second address after the bracket', 'Name <a@x.example>, b@x.example'],
    ['doubled bracket', 'Name <a@x.example>>'],
    ['nested brackets', 'Name <<a@x.example>>'],
    ['missing closing bracket', 'Name <a@x.example'],
    ['missing opening bracket', 'Name a@x.example>'],
    ['invalid address inside', 'Name <a..b@x.example>'],
    ['spaces inside the brackets', 'Name < a@x.example >'],
    ['unquoted comma', 'Last, First <a@x.example>'],
    ['unquoted semicolon', 'A;B <a@x.example>'],
    ['unquoted at sign', 'a@x <a@x.example>'],
    ['stray quote in phrase', 'Bob "B" <a@x.example>'],
    ['text after the quoted name', '"Bob" Smith <a@x.example>'],
    ['unterminated quote', '"Bob <a@x.example>'],
    ['dangling escape', '"Bob\\'],
    ['CR/LF in the name', 'Evil\r\nBcc: x@x.example <a@x.example>'],
    ['CR/LF in a quoted name', '"Evil\r\nBcc: x@x.example" <a@x.example>'],
    ['trailing CR/LF', 'a@x.example\r\n'],
    ['tab in the name', 'A\tB <a@x.example>'],
    ['bidi override in the name', 'Bob \u202e <a@x.example>'],
    ['C1 control in the name', 'Bob \u0085 <a@x.example>'],
    ['unicode address', 'Name <ä@x.example>'],
  ])('rejects %s', (_label, text) => {
    expect(parseMailbox(text)).toBeUndefined();
  });
});

describe('isHostName', () => {
  it.each([
    'smtp.corp.example',
    'localhost',
    'mail',
    'smtp.corp.example.',
    'SMTP.Corp.Example',
    'a-b.example',
    'xn--bcher-kva.example',
    '1.example',
    `${'a'.repeat(63)}.example`,
    // 253, the longest: three labels of 63, one of 61, three dots.
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}`,
    `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(61)}.`,
  ])('accepts %s', (text) => {
    expect(isHostName(text)).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['only a dot', '.'],
    ['two trailing dots', 'smtp.corp.example..'],
    ['empty label', 'smtp..corp'],
    ['leading dot', '.smtp.corp'],
    ['hyphen-led', '-x.example'],
    ['hyphen-ended label', 'x-.example'],
    ['underscore', 'a_b.example'],
    ['port', 'smtp.corp.example:25'],
    ['space', 'smtp corp.example'],
    ['numeric TLD', 'smtp.123'],
    ['all digits', '1234'],
    ['IPv4 address', '192.0.2.10'],
    ['unicode', 'bücher.example'],
    ['label over 63', `${'a'.repeat(64)}.example`],
    ['254 long', `${'a'.repeat(63)}.${'b'.repeat(63)}.${'c'.repeat(63)}.${'d'.repeat(62)}`],
    ['trailing newline', 'smtp.corp.example\n'],
  ])('rejects %s', (_label, text) => {
    expect(isHostName(text)).toBe(false);
  });
});

describe('isServerAddress', () => {
  it.each([
    'smtp.corp.example',
    'localhost',
    'smtp.corp.example.',
    '192.0.2.10',
    '2001:db8::25',
    '[2001:db8::25]',
    '::1',
    '[::1]',
    '::ffff:192.0.2.10',
    '2001:DB8::25',
  ])('accepts %s', (text) => {
    expect(isServerAddress(text)).toBe(true);
  });

  it.each([
    '',
    'smtp..corp',
    '-x.example',
    'a_b.example',
    'smtp.corp.example:25',
    '192.0.2.10:25',
    '[2001:db8::25]:25',
    '[192.0.2.10]',
    '[smtp.corp.example]',
    '192.0.2.256',
    '192.0.2',
    '01.0.2.10',
    'fe80::1%eth0',
    '[fe80::1%eth0]',
    '2001:db8::25]',
    '[2001:db8::25',
    ' smtp.corp.example',
    'smtp://smtp.corp.example',
  ])('rejects %s', (text) => {
    expect(isServerAddress(text)).toBe(false);
  });
});

describe('splitAddressList', () => {
  it('splits a string on semicolons and commas, trimming and dropping empty entries', () => {
    expect(splitAddressList('a@x.example; b@x.example,c@x.example')).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
    expect(splitAddressList(' ;a@x.example;; ,b@x.example; ')).toEqual(['a@x.example', 'b@x.example']);
    expect(splitAddressList('')).toEqual([]);
    expect(splitAddressList('  ')).toEqual([]);
  });

  it('does not split inside double quotes', () => {
    expect(splitAddressList('"Last, First" <a@x.example>; b@x.example')).toEqual(['"Last, First" <a@x.example>', 'b@x.example']);
    expect(splitAddressList('"A; B" <a@x.example>,"C, D" <c@x.example>')).toEqual(['"A; B" <a@x.example>', '"C, D" <c@x.example>']);
  });

  it('honours escaped quotes inside quotes', () => {
    expect(splitAddressList('"Say \\"hi, there\\"" <a@x.example>, b@x.example')).toEqual([
      '"Say \\"hi, there\\"" <a@x.example>',
      'b@x.example',
    ]);
  });

  it('keeps the rest of the text together after an unterminated quote, for validation to refuse', () => {
    expect(splitAddressList('a@x.example, "b, c@x.example')).toEqual(['a@x.example', '"b, c@x.example']);
  });

  it('takes an array as already split, trimming each entry and keeping the positions', () => {
    expect(splitAddressList([' a@x.example ', 'b@x.example'])).toEqual(['a@x.example', 'b@x.example']);
    expect(splitAddressList(['a@x.example', ' ', 'b@x.example; c@x.example'])).toEqual(['a@x.example', '', 'b@x.example; c@x.example']);
    expect(splitAddressList([])).toEqual([]);
  });
});

describe('mailAddress schema', () => {
  const schema = mailAddress('from');

  it('trims and accepts a valid address', () => {
    expect(schema.parse('  admin@corp.example ')).toBe('admin@corp.example');
  });

  it('names the field and the value', () => {
    expect(messages(schema.safeParse('a@b'))).toEqual(["from 'a@b' is not a valid mail address (expected name@example.com)"]);
  });

  it('shows control characters escaped and cuts long values', () => {
    const [message] = messages(schema.safeParse('a@x.example\r\nBcc: evil@x.example'));
    expect(message).toBe("from 'a@x.example\\r\\nBcc: evil@x.example' is not a valid mail address (expected name@example.com)");
    const [long] = messages(schema.safeParse('x'.repeat(10_000)));
    expect(long.length).toBeLessThan(200);
  });

  it('refuses non-strings', () => {
    expect(schema.safeParse(42).success).toBe(false);
    expect(schema.safeParse(null).success).toBe(false);
  });
});

describe('mailbox schema', () => {
  const schema = mailbox('from');

  it.each([
    ['herald@corp.example', 'herald@corp.example'],
    [' Herald <herald@corp.example> ', 'Herald <herald@corp.example>'],
    ['"Last, First" <a@x.example>', '"Last, First" <a@x.example>'],
  ])('keeps %s as written, trimmed', (input, output) => {
    expect(schema.parse(input)).toBe(output);
  });

  it('mentions the display-name form', () => {
    const [message] = messages(schema.safeParse('Herald <herald>'));
    expect(message).toContain('from');
    expect(message).toContain('Name <name@example.com>');
  });

  it('bounds the length', () => {
    expect(schema.safeParse(`${'N'.repeat(500)} <a@x.example>`).success).toBe(false);
  });
});

describe('addressList schema', () => {
  const schema = addressList('to');

  it('accepts a string in either separator, or an array', () => {
    expect(schema.parse('a@x.example; b@x.example,c@x.example')).toEqual(['a@x.example', 'b@x.example', 'c@x.example']);
    expect(schema.parse([' a@x.example', 'b@x.example '])).toEqual(['a@x.example', 'b@x.example']);
    expect(schema.parse('')).toEqual([]);
    expect(schema.parse([])).toEqual([]);
  });

  it('puts the index of a bad element in the issue path and names it in the message', () => {
    const result = schema.safeParse(['ok@x.example', 'bad']);
    expect(result.success).toBe(false);
    expect(result.error!.issues[0].path).toEqual([1]);
    expect(result.error!.issues[0].message).toBe("to: 'bad' is not a valid mail address");
  });

  it('reports every bad element, under the field name when nested', () => {
    const result = z.object({ to: schema }).safeParse({ to: 'bad1; ok@x.example; bad2' });
    expect(result.error!.issues.map((issue) => issue.path)).toEqual([
      ['to', 0],
      ['to', 2],
    ]);
  });

  it('keeps array positions, so an empty element is reported where the caller put it', () => {
    const result = schema.safeParse(['ok@x.example', '', 'ok2@x.example']);
    expect(result.error!.issues[0].path).toEqual([1]);
  });

  it('refuses display names: the list holds plain addresses', () => {
    const result = schema.safeParse('"Last, First" <a@x.example>');
    expect(result.error!.issues[0].message).toBe(`to: '"Last, First" <a@x.example>' is not a valid mail address`);
  });

  it('drops case-insensitive duplicates, keeping the first spelling', () => {
    expect(schema.parse('Admin@Corp.example; b@x.example; admin@corp.example; ADMIN@CORP.EXAMPLE; B@X.example')).toEqual([
      'Admin@Corp.example',
      'b@x.example',
    ]);
  });

  it('allows at most max distinct entries', () => {
    const small = addressList('cc', 2);
    expect(small.parse('a@x.example; b@x.example; A@x.example')).toEqual(['a@x.example', 'b@x.example']);
    expect(messages(small.safeParse('a@x.example; b@x.example; c@x.example'))).toEqual(['cc may list at most 2 addresses']);
    const hundred = Array.from({ length: 100 }, (_, i) => `u${i}@x.example`);
    expect(schema.parse(hundred)).toHaveLength(100);
    expect(schema.safeParse([...hundred, 'u100@x.example']).success).toBe(false);
  });

  it('refuses other types with a message naming the field', () => {
    expect(messages(schema.safeParse(42))).toEqual(['to must be a string or an array of strings']);
    expect(schema.safeParse([1, 2]).success).toBe(false);
    expect(schema.safeParse(null).success).toBe(false);
  });

  it('describes its input as string or string[] in JSON Schema', () => {
    const input = z.toJSONSchema(schema, { io: 'input', unrepresentable: 'any' });
    expect(input.anyOf).toEqual([{ type: 'string' }, { type: 'array', items: { type: 'string' } }]);
    const output = z.toJSONSchema(schema, { io: 'output', unrepresentable: 'any' });
    expect(output).toMatchObject({ type: 'array', items: { type: 'string' }, maxItems: 100 });
  });
});

describe('serverAddress schema', () => {
  const schema = serverAddress('server');

  it.each([
    ['smtp.corp.example', 'smtp.corp.example'],
    ['  SMTP.Corp.Example ', 'smtp.corp.example'],
    ['192.0.2.10', '192.0.2.10'],
    ['2001:DB8::25', '2001:db8::25'],
    ['[2001:db8::25]', '[2001:db8::25]'],
    ['localhost', 'localhost'],
  ])('accepts %s as %s', (input, output) => {
    expect(schema.parse(input)).toBe(output);
  });

  it.each(['smtp..corp', '-x.example', 'a_b.example', 'smtp.corp.example:25', '', 'smtp.corp.example\r\n.evil'])('rejects %s', (text) => {
    const result = schema.safeParse(text);
    expect(result.success).toBe(false);
    expect(messages(result)[0]).toMatch(/^server '.*' is not a valid server address/);
  });
});

describe('pemCertificate schema', () => {
  const schema = pemCertificate('caCertificate');
  const certificate = () =>
    execFileSync('openssl', ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-subj', '/CN=test', '-days', '1', '-keyout', '/dev/null', '-out', '-'], {
      encoding: 'utf8',
      stdio: ['ignore', 'pipe', 'ignore'],
    });
  let first: string;
  let second: string;

  beforeAll(() => {
    first = certificate();
    second = certificate();
  });

  it('accepts a certificate generated by openssl', () => {
    expect(first).toContain('-----BEGIN CERTIFICATE-----');
    expect(schema.parse(first)).toBe(first.trim());
  });

  it('accepts a bundle, with CRLF line ends and explanatory text', () => {
    expect(schema.safeParse(`${first}\n${second}`).success).toBe(true);
    expect(schema.safeParse(first.replace(/\n/g, '\r\n')).success).toBe(true);
    expect(schema.safeParse(`subject=CN = test\nissuer=CN = test\n${first}`).success).toBe(true);
  });

  it.each([
    ['empty', ''],
    ['garbage', 'not a certificate'],
    ['DER as base64 without armour', 'MIIBszCCAVmgAwIBAgIUJ'],
  ])('rejects %s, saying it must be PEM', (_label, text) => {
    const [message] = messages(schema.safeParse(text));
    expect(message).toContain('caCertificate must be one or more PEM certificates');
  });

  it('rejects a block whose body does not parse', () => {
    const broken = first.replace(/(-----BEGIN CERTIFICATE-----\n)(.{20})/, '$1AAAAAAAAAAAAAAAAAAAA');
    expect(broken).not.toBe(first);
    expect(messages(schema.safeParse(broken))[0]).toContain('does not parse');
    expect(schema.safeParse('-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----').success).toBe(false);
    expect(messages(schema.safeParse(`${first}\n-----BEGIN CERTIFICATE-----\nZ2FyYmFnZQ==\n-----END CERTIFICATE-----`))[0]).toContain(
      'certificate 2 of 2',
    );
  });

  it('rejects a truncated bundle and blocks of other kinds', () => {
    const truncated = `${first}\n${second.slice(0, second.indexOf('-----END'))}`;
    expect(schema.safeParse(truncated).success).toBe(false);
    expect(schema.safeParse(`${first}\n-----BEGIN PUBLIC KEY-----\nAAAA\n-----END PUBLIC KEY-----`).success).toBe(false);
  });

  it('refuses a private key with its own message', () => {
    const key = '-----BEGIN PRIVATE KEY-----\nMIIEvQIBADANBgkqhkiG9w0BAQEFAASC\n-----END PRIVATE KEY-----\n';
    expect(messages(schema.safeParse(`${key}${first}`))).toEqual(['caCertificate must contain certificates only, not a private key']);
    expect(messages(schema.safeParse('-----BEGIN RSA PRIVATE KEY-----\nAAAA\n-----END RSA PRIVATE KEY-----'))).toEqual([
      'caCertificate must contain certificates only, not a private key',
    ]);
  });

  it('bounds the length', () => {
    expect(schema.safeParse(first.repeat(600)).success).toBe(false);
  });
});

describe('httpsUrl schema', () => {
  const schema = httpsUrl('tokenEndpoint');

  it.each([
    'https://login.microsoftonline.com/contoso.onmicrosoft.com/oauth2/v2.0/token',
    'https://graph.microsoft.com',
    'https://192.0.2.10:8443/token?x=1',
    'https://[2001:db8::1]/token',
    'HTTPS://idp.corp.example/token',
  ])('accepts %s', (text) => {
    expect(schema.parse(`  ${text} `)).toBe(text);
  });

  it.each([
    'http://idp.corp.example/token',
    'ftp://idp.corp.example/',
    'idp.corp.example/token',
    '/oauth2/token',
    'https:idp.corp.example',
    'https:/idp.corp.example',
    'https://',
    'https://idp.corp.example/to ken',
    'https://idp.corp.\nexample/token',
    'https://idp.corp.example\t/token',
    '',
  ])('rejects %s, saying https is required', (text) => {
    expect(messages(schema.safeParse(text))).toEqual(['tokenEndpoint must be an absolute https:// URL (https is required)']);
  });

  it.each(['https://user:pw@idp.corp.example/token', 'https://user@idp.corp.example/token', 'https://:pw@idp.corp.example/token'])(
    'rejects credentials in %s',
    (text) => {
      expect(messages(schema.safeParse(text))).toEqual([
        'tokenEndpoint must not contain a user name or password: secrets do not belong in URLs',
      ]);
    },
  );

  it('bounds the length', () => {
    expect(schema.safeParse(`https://x.example/${'a'.repeat(2048)}`).success).toBe(false);
  });
});

describe('isOffice365Host', () => {
  it.each([
    'smtp.office365.com',
    'outlook.office365.com',
    'smtp-mail.outlook.com',
    'smtp.outlook.com',
    'contoso-com.mail.protection.outlook.com',
    'SMTP.Office365.com',
    'smtp.office365.com.',
    'Contoso-Com.Mail.Protection.Outlook.Com.',
    'eur.smtp.office365.com',
  ])('recognises %s', (host) => {
    expect(isOffice365Host(host)).toBe(true);
  });

  it.each([
    'smtp.corp.example',
    'smtp.gmail.com',
    'office365.com.evil.example',
    'smtp.office365.com.evil.example',
    'evil-office365.com',
    'notoffice365.com',
    'outlook.com',
    'mail.protection.outlook.com.evil.example',
    'smtp.outlook.com.evil.example',
    '192.0.2.10',
    '',
  ])('does not take %s for Office 365', (host) => {
    expect(isOffice365Host(host)).toBe(false);
  });
});
