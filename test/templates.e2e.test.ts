import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { ResultOf } from '../client/index.js';
import { NOTIFICATION_KINDS, TEMPLATE_KINDS } from '../protocol/index.js';
import { tempDir } from './helpers/daemon.js';
import { heraldJson, runHerald } from './helpers/shell.js';
import { failure, useDaemon } from './helpers/suite.js';

// Mail templates end to end: the typed client for the daemon's rules, the shell for files in and
// out. Every test works on identity stores of its own; files go to a temporary directory.

const suite = useDaemon();
const files = tempDir();
afterAll(() => files.cleanup());

let storeCount = 0;
async function newStore(prefix = 'Templates'): Promise<string> {
  const name = `${prefix}-${++storeCount}`;
  await suite.client.call('identityStore.create', { name, type: 'Builtin' });
  return name;
}

type Template = ResultOf<'notificationTemplate.get'>[number];
const templateOf = async (identityStore: string, kind: Template['kind']) => (await suite.client.call('notificationTemplate.get', { identityStore, kind }))[0];
const herald = (command: string) => runHerald(['-Command', command], { stateDir: suite.stateDir });

/** A tag left in a rendered mail: what must never reach a recipient. */
const LEFT_TAG = /%[A-Za-z]+(_[A-Za-z]+)?%/;

describe('the built-in templates', () => {
  it('exist for every kind, with the kind\'s tags, and render with no tag left', async () => {
    const store = await newStore();
    const templates = await suite.client.call('notificationTemplate.get', { identityStore: store });
    expect(templates.map((t) => t.kind)).toEqual([...NOTIFICATION_KINDS]);
    for (const template of templates) {
      expect(template).toMatchObject({ identityStore: store, isDefault: true });
      expect(template.tags).toEqual(TEMPLATE_KINDS[template.kind].tags.map((tag) => `%${tag}%`));
      const mail = await suite.client.call('notificationTemplate.render', { identityStore: store, kind: template.kind });
      for (const part of [mail.subject, mail.text, mail.html]) expect(part, template.kind).not.toMatch(LEFT_TAG);
      expect(mail.subject, template.kind).not.toMatch(/[\r\n]/);
      expect(mail.html, template.kind).toMatch(/^<!DOCTYPE html>/);
      // Every built-in template names the store, with its real name.
      expect(mail.text, template.kind).toContain(store);
    }
  });

  it('escape the sample values in HTML and only there', async () => {
    const store = await newStore();
    const mail = await suite.client.call('notificationTemplate.render', { identityStore: store, kind: 'MemberAdded' });
    expect(mail.subject).toContain('Sales & Marketing');
    expect(mail.text).toContain('Sales & Marketing');
    expect(mail.html).toContain('Sales &amp; Marketing');
    expect(mail.html).not.toContain('Sales & Marketing');
  });
});

describe('changing a template', () => {
  it('changes only the parts given: a new subject keeps the built-in bodies', async () => {
    const store = await newStore();
    const builtIn = await templateOf(store, 'MemberAdded');
    const set = await suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'MemberAdded', subject: 'Welcome to %GROUP_DisplayName%, %MEMBER_DisplayName%' });
    expect(set).toEqual({ ...builtIn, subject: 'Welcome to %GROUP_DisplayName%, %MEMBER_DisplayName%', isDefault: false });
    expect(await templateOf(store, 'MemberAdded')).toEqual(set);
    // A later change of the text keeps the subject.
    const text = await suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'MemberAdded', text: 'Hello %MEMBER_DisplayName%.' });
    expect(text).toMatchObject({ subject: set.subject, text: 'Hello %MEMBER_DisplayName%.', html: builtIn.html });
    const mail = await suite.client.call('notificationTemplate.render', { identityStore: store, kind: 'MemberAdded' });
    expect(mail).toMatchObject({ subject: 'Welcome to Sales & Marketing, Jane Doe', text: 'Hello Jane Doe.' });
    // The other kinds are untouched.
    expect((await templateOf(store, 'MemberRemoved')).isDefault).toBe(true);
  });

  it('counts a part set back to the built-in text as default', async () => {
    const store = await newStore();
    const builtIn = await templateOf(store, 'ObjectModified');
    await suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'ObjectModified', subject: 'Changed: %TARGETOBJECT_DisplayName%' });
    expect(await suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'ObjectModified', subject: builtIn.subject })).toEqual(builtIn);
  });

  it('refuses a tag the kind does not have, naming the tags it has, and changes nothing', async () => {
    const store = await newStore();
    await suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'MemberAdded', subject: 'Kept: %MEMBER_DisplayName%' });
    const before = await templateOf(store, 'MemberAdded');
    const error = await failure(suite.client.call('notificationTemplate.set', {
      identityStore: store, kind: 'MemberAdded', subject: 'New subject', html: '<p>%FOO_Bar% and %MEMBER_DisplayName%</p>',
    }));
    expect({ code: error.code, field: error.data?.field }).toEqual({ code: -32004, field: 'html' });
    expect(error.message).toContain('%FOO_Bar%');
    for (const tag of before.tags) expect(error.message).toContain(tag);
    expect(error.data?.allowedTags).toEqual(before.tags);
    // A tag of another kind is refused the same way, in the part that uses it.
    const days = await failure(suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'MemberAdded', subject: 'In %DAYS% days' }));
    expect({ code: days.code, field: days.data?.field }).toEqual({ code: -32004, field: 'subject' });
    expect(await templateOf(store, 'MemberAdded')).toEqual(before);
  });

  it('takes tags in any case, %% for a literal %, and keeps other percent signs', async () => {
    const store = await newStore();
    await suite.client.call('notificationTemplate.set', {
      identityStore: store, kind: 'MembershipLeaveReminder', subject: '%member_displayname% leaves in %Days% days (100%% sure)', text: '50% of %C3%A9quipe',
    });
    const mail = await suite.client.call('notificationTemplate.render', { identityStore: store, kind: 'MembershipLeaveReminder' });
    expect(mail).toMatchObject({ subject: 'Jane Doe leaves in 3 days (100% sure)', text: '50% of %C3%A9quipe' });
  });

  it('refuses a subject on several lines and empty bodies at the boundary', async () => {
    const store = await newStore();
    for (const [params, field] of [[{ subject: 'two\nlines' }, 'subject'], [{ text: '  ' }, 'text'], [{ html: '' }, 'html']] as const) {
      const error = await failure(suite.client.callUntyped('notificationTemplate.set', { identityStore: store, kind: 'TestMessage', ...params }));
      expect({ code: error.code, field: error.data?.field }).toEqual({ code: -32602, field });
    }
  });

  it('restores the built-in template with reset, which takes no other part', async () => {
    const store = await newStore();
    const builtIn = await templateOf(store, 'OwnerAdded');
    await suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'OwnerAdded', subject: 'Owner: %MEMBER_DisplayName%', html: '<b>%GROUP_DisplayName%</b>' });
    const refused = await failure(suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'OwnerAdded', reset: true, subject: 'x' }));
    expect({ code: refused.code, field: refused.data?.field }).toEqual({ code: -32602, field: 'reset' });
    expect((await templateOf(store, 'OwnerAdded')).isDefault).toBe(false);
    expect(await suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'OwnerAdded', reset: true })).toEqual(builtIn);
    expect(await templateOf(store, 'OwnerAdded')).toEqual(builtIn);
  });

  it('keeps each store\'s templates to itself', async () => {
    const [a, b] = [await newStore(), await newStore()];
    await suite.client.call('notificationTemplate.set', { identityStore: a, kind: 'TestMessage', subject: 'Test for %IDENTITYSTORE_Name%' });
    expect((await templateOf(a, 'TestMessage')).isDefault).toBe(false);
    expect((await suite.client.call('notificationTemplate.get', { identityStore: b })).every((t) => t.isDefault)).toBe(true);
    expect((await suite.client.call('notificationTemplate.render', { identityStore: a, kind: 'TestMessage' })).subject).toBe(`Test for ${a}`);
    expect((await suite.client.call('notificationTemplate.render', { identityStore: b, kind: 'TestMessage' })).subject).not.toContain('Test for');
  });

  it('removes a store\'s templates with the store', async () => {
    const store = await newStore();
    await suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'MemberRemoved', subject: 'Gone: %MEMBER_DisplayName%' });
    await suite.client.call('identityStore.remove', { identity: store });
    const missing = await failure(suite.client.call('notificationTemplate.get', { identityStore: store }));
    expect({ code: missing.code, field: missing.data?.field }).toEqual({ code: -32000, field: 'identityStore' });
    // A new store of the same name (which may even get the same row id) starts from the defaults.
    await suite.client.call('identityStore.create', { name: store, type: 'Builtin' });
    expect((await suite.client.call('notificationTemplate.get', { identityStore: store })).every((t) => t.isDefault)).toBe(true);
  });
});

describe('rendering', () => {
  it('uses the store\'s own portal, HTML-escaped in the HTML body', async () => {
    const store = await newStore();
    const portal = 'https://portal.corp.example/reset?next=<script>alert(1)</script>&x=1';
    await suite.client.call('identityStorePortal.add', { identityStore: store, name: 'SelfService', url: portal });
    await suite.client.call('notificationTemplate.set', { identityStore: store, kind: 'PasswordExpiryWarning', text: 'Go to %PORTAL_URL%', html: '<p><a href="%PORTAL_URL%">%PORTAL_URL%</a></p>' });
    const mail = await suite.client.call('notificationTemplate.render', { identityStore: store, kind: 'PasswordExpiryWarning' });
    expect(mail.text).toBe(`Go to ${portal}`);
    const escaped = 'https://portal.corp.example/reset?next=&lt;script&gt;alert(1)&lt;/script&gt;&amp;x=1';
    expect(mail.html).toBe(`<p><a href="${escaped}">${escaped}</a></p>`);
    expect(mail.html).not.toContain('<script>');
  });

  it('gives only the body -Format asks for', async () => {
    const store = await newStore();
    const text = await suite.client.call('notificationTemplate.render', { identityStore: store, kind: 'ObjectCreated', format: 'Text' });
    expect(text.html).toBeNull();
    expect(text.text).toContain('Sales & Marketing');
    const html = await suite.client.call('notificationTemplate.render', { identityStore: store, kind: 'ObjectCreated', format: 'Html' });
    expect(html.text).toBeNull();
    expect(html.html).toContain('Sales &amp; Marketing');
  });
});

describe('the shell', () => {
  it('Show-NotificationTemplate -Path writes the rendered HTML to the file and outputs nothing', async () => {
    const store = await newStore();
    const path = join(files.dir, 'preview.html');
    const run = await heraldJson(`Show-NotificationTemplate ${store} PasswordExpiryWarning -Path '${path}'`, suite.stateDir);
    expect(run).toMatchObject({ code: 0, objects: [] });
    const rendered = await suite.client.call('notificationTemplate.render', { identityStore: store, kind: 'PasswordExpiryWarning' });
    expect(readFileSync(path, 'utf8')).toBe(rendered.html);
    // Without -Path, the rendered mail is the output.
    const shown = await heraldJson(`Show-NotificationTemplate ${store} PasswordExpiryWarning -Format Text`, suite.stateDir);
    expect(shown.objects).toEqual([{ IdentityStore: store, Kind: 'PasswordExpiryWarning', Subject: rendered.subject, Text: rendered.text, Html: null }]);
    // A text-only rendering has no HTML to write, and says so.
    const textOnly = await herald(`Show-NotificationTemplate ${store} PasswordExpiryWarning -Format Text -Path '${join(files.dir, 'none.html')}'`);
    expect(textOnly.code).toBe(1);
    expect(textOnly.stderr).toContain('no Html to write');
  });

  it('Set-NotificationTemplate takes bodies from -HtmlFile and -TextFile, but not with -Html or -Text too', async () => {
    const store = await newStore();
    const htmlPath = join(files.dir, 'welcome.html');
    const textPath = join(files.dir, 'welcome.txt');
    writeFileSync(htmlPath, '<h1>Welcome, %MEMBER_DisplayName%</h1>\n');
    writeFileSync(textPath, 'Welcome, %MEMBER_DisplayName%.\n');
    const run = await herald(`Set-NotificationTemplate ${store} MemberAdded -HtmlFile '${htmlPath}' -TextFile '${textPath}'`);
    expect(run.code, run.stderr).toBe(0);
    expect(await templateOf(store, 'MemberAdded')).toMatchObject({ html: '<h1>Welcome, %MEMBER_DisplayName%</h1>\n', text: 'Welcome, %MEMBER_DisplayName%.\n', isDefault: false });
    const both = await herald(`Set-NotificationTemplate ${store} MemberAdded -Html '<p>x</p>' -HtmlFile '${htmlPath}'`);
    expect(both.code).toBe(1);
    expect(both.stderr).toContain('-Html or -HtmlFile');
  });

  it('resets every changed template of a store through the pipeline', async () => {
    const store = await newStore();
    for (const kind of ['MemberAdded', 'OwnerRemoved'] as const) {
      await suite.client.call('notificationTemplate.set', { identityStore: store, kind, subject: 'Changed %GROUP_DisplayName%' });
    }
    const run = await herald(`Get-NotificationTemplate ${store} | Where-Object IsDefault -eq $false | Set-NotificationTemplate -Reset`);
    expect(run.code, run.stderr).toBe(0);
    expect((await suite.client.call('notificationTemplate.get', { identityStore: store })).every((t) => t.isDefault)).toBe(true);
  });

  it('shows the unknown-tag refusal with the allowed tags', async () => {
    const store = await newStore();
    const run = await herald(`Set-NotificationTemplate ${store} TestMessage -Subject 'Hi %MEMBER_DisplayName%'`);
    expect(run.code).toBe(1);
    expect(run.stderr).toContain('%MEMBER_DisplayName%');
    expect(run.stderr).toContain('%IDENTITYSTORE_Name%, %REQUESTER_DisplayName%, %CHANGE_Time%');
  });
});
