import { describe, expect, it } from 'vitest';
import { NOTIFICATION_KINDS, TEMPLATE_KINDS, sampleValues } from '../../protocol/index.js';
import { DEFAULT_TEMPLATES } from './defaults.js';
import { checkTemplate, escapeHtml, renderTemplate, unknownTags } from './render.js';

const template = (text: string) => ({ subject: text, text, html: text });

describe('renderTemplate', () => {
  it('puts values in plain in the text body and escaped in the HTML body', () => {
    const mail = renderTemplate(template('Hi %MEMBER_DisplayName%!'), { MEMBER_DisplayName: '<script>alert("x")</script> & \'co\'' });
    expect(mail.text).toBe('Hi <script>alert("x")</script> & \'co\'!');
    expect(mail.html).toBe('Hi &lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;co&#39;!');
    expect(mail.html).not.toContain('<script>');
  });

  it('keeps the HTML of the template itself, and is safe inside attributes', () => {
    const mail = renderTemplate({ subject: 's', text: 't', html: '<a href="%PORTAL_URL%">go</a>' }, { PORTAL_URL: 'https://x.example/?a=1&b="><img src=x>' });
    expect(mail.html).toBe('<a href="https://x.example/?a=1&amp;b=&quot;&gt;&lt;img src=x&gt;">go</a>');
  });

  it('keeps the subject on one line, whatever the values hold', () => {
    const mail = renderTemplate(template('About %TARGETOBJECT_DisplayName%: done'), { TARGETOBJECT_DisplayName: 'Sales\r\nBcc: victim@example.com\n' });
    expect(mail.subject).toBe('About Sales Bcc: victim@example.com: done');
    expect(mail.subject).not.toMatch(/[\r\n]/);
    // Line breaks stay in the bodies: as they are in text, as <br> in HTML.
    expect(mail.text).toContain('Sales\r\nBcc');
    expect(mail.html).toContain('Sales<br>\nBcc');
  });

  it('matches tags ignoring case', () => {
    const mail = renderTemplate(template('%member_displayname% / %MEMBER_displayName% / %Days%'), { MEMBER_DisplayName: 'Jane', DAYS: '3' });
    expect(mail.text).toBe('Jane / Jane / 3');
  });

  it('writes %% as one %, and leaves percent signs that open no tag alone', () => {
    const mail = renderTemplate(template('%%DAYS%% is %DAYS%; 50% off; 100%%; %C3%A9cole%20; 5%DAYS%'), { DAYS: '3' });
    expect(mail.text).toBe('%DAYS% is 3; 50% off; 100%; %C3%A9cole%20; 53');
  });

  it('never scans a value for tags', () => {
    expect(renderTemplate(template('%MEMBER_DisplayName%'), { MEMBER_DisplayName: '%DAYS%', DAYS: '3' }).text).toBe('%DAYS%');
  });

  it('leaves a tag without a value empty', () => {
    expect(renderTemplate(template('[%MEMBER_mail%]'), {}).text).toBe('[]');
  });

  it('escapes the five HTML specials', () => {
    expect(escapeHtml('<>&"\'')).toBe('&lt;&gt;&amp;&quot;&#39;');
  });
});

describe('checkTemplate', () => {
  it('refuses tags the kind does not have, listing the ones it has', () => {
    const [problem, ...rest] = checkTemplate('MemberAdded', { html: '<p>%FOO_Bar% %DAYS% %MEMBER_DisplayName%</p>' });
    expect(rest).toEqual([]);
    expect(problem.field).toBe('html');
    expect(problem.message).toContain('%FOO_Bar%, %DAYS%');
    for (const tag of TEMPLATE_KINDS.MemberAdded.tags) expect(problem.message).toContain(`%${tag}%`);
  });

  it('checks only the parts given, each under its own name', () => {
    expect(checkTemplate('TestMessage', { subject: '%GROUP_DisplayName%', text: '%PORTAL_URL%' }).map((p) => p.field)).toEqual(['subject', 'text']);
    expect(checkTemplate('TestMessage', {})).toEqual([]);
  });

  it('treats capitalised and known prefixes as tags, other percent text as text', () => {
    expect(unknownTags('%NOPE% %member_name% %Foo_Bar% %foo% 50% %C3%A9 %E2%80%99 %%NOPE%%', [])).toEqual(['%NOPE%', '%member_name%']);
  });
});

describe('the default templates', () => {
  it('use only the tags of their kind', () => {
    for (const kind of NOTIFICATION_KINDS) expect(checkTemplate(kind, DEFAULT_TEMPLATES[kind]), kind).toEqual([]);
  });

  it('render with sample data leaving no tag, with a one-line subject and both bodies', () => {
    for (const kind of NOTIFICATION_KINDS) {
      const mail = renderTemplate(DEFAULT_TEMPLATES[kind], sampleValues(kind));
      for (const part of [mail.subject, mail.text, mail.html]) expect(part, kind).not.toMatch(/%[A-Za-z_]+%/);
      expect(mail.subject, kind).not.toMatch(/[\r\n]/);
      expect(mail.text.trim(), kind).not.toBe('');
      expect(mail.html, kind).toMatch(/^<!DOCTYPE html>/);
    }
  });

  it('escape the sample group name in HTML only', () => {
    const mail = renderTemplate(DEFAULT_TEMPLATES.MemberAdded, sampleValues('MemberAdded'));
    expect(mail.text).toContain('Sales & Marketing');
    expect(mail.html).toContain('Sales &amp; Marketing');
    expect(mail.subject).toContain('Sales & Marketing');
  });
});
