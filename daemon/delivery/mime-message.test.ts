import { describe, expect, it } from 'vitest';
import { parseMailbox, type Mailbox } from '../../protocol/addresses.js';
import type { OutgoingMessage } from './mail-transport.js';
import { MimeMessages } from './mime-message.js';

const mailbox = (text: string): Mailbox => parseMailbox(text)!;

function message(overrides: Partial<OutgoingMessage> = {}): OutgoingMessage {
  return {
    messageId: '<1@example.test>',
    from: 'Herald <herald@example.test>',
    to: [],
    cc: [],
    subject: 'Gruppe geändert: Vertrieb',
    text: 'Jürgen wurde hinzugefügt.\n',
    html: '<p>J&uuml;rgen wurde hinzugef&uuml;gt.</p>',
    headers: { 'X-Herald-Kind': 'MemberAdded' },
    date: new Date('2026-11-26T10:00:00Z'),
    contentKey: '7',
    ...overrides,
  };
}

/** Header fields of a built message, unfolded, by lower-case name (each name once here). */
function headersOf(raw: Buffer): Map<string, string> {
  const text = raw.toString('latin1');
  const block = text.slice(0, text.indexOf('\r\n\r\n')).replace(/\r\n[ \t]+/g, ' ');
  return new Map(block.split('\r\n').map((line) => {
    const colon = line.indexOf(':');
    return [line.slice(0, colon).toLowerCase(), line.slice(colon + 1).trim()] as [string, string];
  }));
}

const bodyOf = (raw: Buffer) => raw.toString('latin1').slice(raw.toString('latin1').indexOf('\r\n\r\n') + 4);

describe('MimeMessages', () => {
  it('gives each mail of one content its own Message-ID, To and Cc around the same body', async () => {
    const mime = new MimeMessages();
    const from = mailbox('Herald <herald@example.test>');
    const first = await mime.build(message(), from, [mailbox('Jürgen Müller <jm@example.test>')], []);
    const second = await mime.build(message({ messageId: '<2@example.test>' }), from, [mailbox('ann@example.test')], [mailbox('bob@example.test')]);

    const one = headersOf(first);
    const two = headersOf(second);
    expect(one.get('message-id')).toBe('<1@example.test>');
    expect(two.get('message-id')).toBe('<2@example.test>');
    expect(one.get('to')).toBe('=?UTF-8?Q?J=C3=BCrgen_M=C3=BCller?= <jm@example.test>');
    expect(one.has('cc')).toBe(false);
    expect(two.get('to')).toBe('ann@example.test');
    expect(two.get('cc')).toBe('bob@example.test');
    for (const headers of [one, two]) {
      expect(headers.get('from')).toBe('Herald <herald@example.test>');
      expect(headers.get('subject')).toMatch(/^=\?UTF-8\?Q\?Gruppe_ge=C3=A4ndert/);
      expect(headers.get('date')).toBe('Thu, 26 Nov 2026 10:00:00 +0000');
      expect(headers.get('x-herald-kind')).toBe('MemberAdded');
      expect(headers.get('mime-version')).toBe('1.0');
      expect(headers.get('content-type')).toMatch(/^multipart\/alternative; boundary=/);
    }
    // The same encoded body (and boundary) in both: it was built once.
    expect(bodyOf(second)).toBe(bodyOf(first));
    expect(bodyOf(first)).toContain('text/html');
    // Exactly one Message-ID field: the shared part's placeholder is gone.
    expect(first.toString('latin1').match(/^message-id:/gim)).toHaveLength(1);
  });

  it('builds anew when the sender, the date or the content differs', async () => {
    const mime = new MimeMessages();
    const from = mailbox('herald@example.test');
    const to = [mailbox('ann@example.test')];
    const base = await mime.build(message(), from, to, []);
    const otherSender = await mime.build(message(), mailbox('other@example.test'), to, []);
    const otherDate = await mime.build(message({ date: new Date('2026-11-27T10:00:00Z') }), from, to, []);
    const otherContent = await mime.build(message({ contentKey: '8', subject: 'Another' }), from, to, []);
    expect(headersOf(otherSender).get('from')).toBe('other@example.test');
    expect(headersOf(otherDate).get('date')).toBe('Fri, 27 Nov 2026 10:00:00 +0000');
    expect(headersOf(otherContent).get('subject')).toBe('Another');
    expect(headersOf(base).get('subject')).not.toBe('Another');
  });

  it('builds a message without a content key every time (test mails)', async () => {
    const mime = new MimeMessages();
    const from = mailbox('herald@example.test');
    const to = [mailbox('ann@example.test')];
    const plain = await mime.build(message({ contentKey: undefined, html: undefined, text: 'first' }), from, to, []);
    const again = await mime.build(message({ contentKey: undefined, html: undefined, text: 'second' }), from, to, []);
    expect(headersOf(plain).get('content-type')).toMatch(/^text\/plain/);
    expect(bodyOf(plain)).toContain('first');
    expect(bodyOf(again)).toContain('second');
  });
});
