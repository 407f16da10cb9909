import { z } from 'zod';
import { freeText } from '../fields.js';
import { defineMethod } from '../method.js';
import { KIND_HELP, NOTIFICATION_KINDS, TAG_HELP, TEMPLATE_KINDS, tagText } from '../templates/kinds.js';
import { STORE_PARAMETER, storeParam } from './smtp-server.js';

export const NotificationTemplateView = z.object({
  identityStore: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  subject: z.string(),
  text: z.string(),
  html: z.string(),
  isDefault: z.boolean().describe('True when nothing of it was changed: the built-in template'),
  tags: z.array(z.string()).describe('The tags this kind\'s template may use'),
});
export type NotificationTemplateView = z.infer<typeof NotificationTemplateView>;

export const RenderedTemplate = z.object({
  identityStore: z.string(),
  kind: z.enum(NOTIFICATION_KINDS),
  subject: z.string(),
  text: z.string().nullable().describe('$null when -Format Html'),
  html: z.string().nullable().describe('$null when -Format Text'),
});
export type RenderedTemplate = z.infer<typeof RenderedTemplate>;

const kindParam = z.enum(NOTIFICATION_KINDS).describe('The notification kind, e.g. MemberAdded (Get-Help Get-NotificationTemplate lists them)');

// Bodies are multi-line by nature: line breaks and tabs are fine, other control characters are not.
// eslint-disable-next-line no-control-regex
const CONTROL_BUT_LINE_BREAKS = /[\u0000-\u0008\u000b\u000c\u000e-\u001f\u007f]/;
const body = (what: string, max: number) =>
  z
    .string()
    .max(max, `${what} must be at most ${max} characters`)
    .refine((text) => text.trim() !== '', `${what} must not be empty`)
    .refine((text) => !CONTROL_BUT_LINE_BREAKS.test(text), `${what} may hold line breaks and tabs, but no other control characters`);

const memberAddedTags = TEMPLATE_KINDS.MemberAdded.tags.map(tagText);
const welcome: NotificationTemplateView = {
  identityStore: 'Corp',
  kind: 'MemberAdded',
  subject: 'Welcome to %GROUP_DisplayName%, %MEMBER_DisplayName%',
  text: '%REQUESTER_DisplayName% added %MEMBER_DisplayName% to the members of the group %GROUP_DisplayName% on %CHANGE_Time%.\n\n-- \nSent by herald for the identity store %IDENTITYSTORE_Name%.\n',
  html: '<!DOCTYPE html>\n<html>\n…\n<p>%REQUESTER_DisplayName% added %MEMBER_DisplayName% to the members of the group %GROUP_DisplayName% on %CHANGE_Time%.</p>\n…\n</html>\n',
  isDefault: false,
  tags: memberAddedTags,
};

export const notificationTemplateGet = defineMethod({
  name: 'notificationTemplate.get',
  access: 'read',
  summary: 'Shows the mail templates of an identity store: subject, text and HTML body, and the tags each may use.',
  description: `A kind nobody changed shows the built-in template (IsDefault). The kinds: ${KIND_HELP}`,
  params: z.strictObject({
    identityStore: storeParam,
    kind: kindParam.optional().describe('Only this kind; every kind when left out'),
  }),
  result: z.array(NotificationTemplateView),
  errors: ['NotFound'],
  examples: [{ name: 'a changed subject', params: { identityStore: 'Corp', kind: 'MemberAdded' }, result: [welcome] }],
  cmdlet: {
    name: 'Get-NotificationTemplate',
    parameters: { identityStore: STORE_PARAMETER, kind: { position: 1 } },
    display: ['Kind', 'Subject', 'IsDefault'],
    examples: [
      { command: 'Get-NotificationTemplate Corp', description: 'Every kind of mail Corp sends, and which templates were changed.' },
      { command: 'Get-NotificationTemplate Corp MemberAdded | Format-List', description: 'The member-added template with its bodies and the tags it may use.' },
    ],
  },
});

export const notificationTemplateSet = defineMethod({
  name: 'notificationTemplate.set',
  access: 'write',
  summary: 'Changes the subject, text or HTML body of a mail template, or restores the built-in one.',
  description: [
    'Only the parts given change. When a mail is built, each tag is replaced by its value: as it is in the subject (on one line) and the text body,',
    'HTML-escaped in the HTML body. Tags are matched ignoring case; a tag the kind does not have is refused, with the list of those it has. %% writes one %.',
    `-Reset restores the built-in template. The tags: ${TAG_HELP}.`,
  ].join(' '),
  params: z.strictObject({
    identityStore: storeParam,
    kind: kindParam,
    subject: freeText('subject', 998).trim().min(1, 'subject must not be empty').optional().describe('One line; tags allowed'),
    text: body('text', 100_000).optional().describe('The plain-text body; tags allowed'),
    html: body('html', 200_000).optional().describe('The HTML body; tags allowed, their values HTML-escaped'),
    reset: z.boolean().optional().describe('Restore the built-in template (alone: not with -Subject, -Text or -Html)'),
  }).refine((p) => !p.reset || (p.subject === undefined && p.text === undefined && p.html === undefined), {
    message: '-Reset restores the whole built-in template: give it without -Subject, -Text or -Html',
    path: ['reset'],
  }),
  result: NotificationTemplateView,
  errors: ['NotFound', 'ValidationFailed'],
  examples: [{ name: 'a friendlier subject', params: { identityStore: 'Corp', kind: 'MemberAdded', subject: welcome.subject }, result: welcome }],
  cmdlet: {
    name: 'Set-NotificationTemplate',
    parameters: {
      identityStore: STORE_PARAMETER,
      kind: { position: 1, fromPipeline: true },
      text: { fileVariant: 'TextFile' },
      html: { fileVariant: 'HtmlFile' },
    },
    target: 'kind',
    output: 'passThru',
    display: ['Kind', 'Subject', 'IsDefault'],
    examples: [
      { command: "Set-NotificationTemplate Corp MemberAdded -Subject 'Welcome to %GROUP_DisplayName%, %MEMBER_DisplayName%'", description: 'A new subject; the text and HTML bodies stay as they were.' },
      { command: 'Set-NotificationTemplate Corp PasswordExpiryWarning -HtmlFile password-warning.html -TextFile password-warning.txt', description: 'Both bodies from files (the shell reads them and sends their text).' },
      { command: 'Set-NotificationTemplate Corp MemberAdded -Reset', description: 'Back to the built-in template.' },
      { command: 'Get-NotificationTemplate Corp | Where-Object IsDefault -eq $false | Set-NotificationTemplate -Reset', description: 'Every changed template of Corp back to the built-in one.' },
    ],
  },
});

export const notificationTemplateRender = defineMethod({
  name: 'notificationTemplate.render',
  access: 'read',
  summary: 'Shows a mail template filled in with sample data, as a mail of that kind would read.',
  description: 'The store\'s own name and portal URL are used when it has them; the other tags take sample values. -Path writes the HTML body to a file to open in a browser.',
  params: z.strictObject({
    identityStore: storeParam,
    kind: kindParam,
    format: z.enum(['Text', 'Html']).optional().describe('Only this body (the other is $null); both when left out'),
  }),
  result: RenderedTemplate,
  errors: ['NotFound'],
  examples: [{
    name: 'the text of a member-added mail',
    params: { identityStore: 'Corp', kind: 'MemberAdded', format: 'Text' },
    result: {
      identityStore: 'Corp',
      kind: 'MemberAdded',
      subject: 'Welcome to Sales & Marketing, Jane Doe',
      text: 'Morgan Lee added Jane Doe to the members of the group Sales & Marketing on 2026-11-26 09:00 UTC.\n\n-- \nSent by herald for the identity store Corp.\n',
      html: null,
    },
  }],
  cmdlet: {
    name: 'Show-NotificationTemplate',
    parameters: { identityStore: STORE_PARAMETER, kind: { position: 1, fromPipeline: true } },
    saveResultTo: 'Path',
    saveResultProperty: 'html',
    examples: [
      { command: 'Show-NotificationTemplate Corp MemberAdded -Format Text', description: 'The subject and text of a member-added mail of Corp, with sample data.' },
      { command: 'Show-NotificationTemplate Corp PasswordExpiryWarning -Path preview.html', description: 'Writes the HTML body to preview.html, to open in a browser.' },
    ],
  },
});
