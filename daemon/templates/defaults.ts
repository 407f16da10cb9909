import { NOTIFICATION_KINDS, type NotificationKind } from '../../protocol/index.js';
import { escapeHtml, type MailTemplate } from './render.js';

/**
 * The built-in template of every kind. Each is written once, as a subject and paragraphs; the
 * text and HTML bodies are made from the same paragraphs so that they never say different things.
 * The wording is neutral (third person) because the same mail may reach the person concerned,
 * owners, managers and the store's fixed recipients; only the password warning, which goes to
 * the user alone, says "your".
 */
interface DefaultMail {
  subject: string;
  /** A `\n` inside a paragraph is a line break. */
  paragraphs: string[];
}

const MAILS: Record<NotificationKind, DefaultMail> = {
  MemberAdded: {
    subject: '%MEMBER_DisplayName% was added to %GROUP_DisplayName%',
    paragraphs: ['%REQUESTER_DisplayName% added %MEMBER_DisplayName% to the members of the group %GROUP_DisplayName% on %CHANGE_Time%.'],
  },
  MemberRemoved: {
    subject: '%MEMBER_DisplayName% was removed from %GROUP_DisplayName%',
    paragraphs: ['%REQUESTER_DisplayName% removed %MEMBER_DisplayName% from the members of the group %GROUP_DisplayName% on %CHANGE_Time%.'],
  },
  OwnerAdded: {
    subject: '%MEMBER_DisplayName% is now an owner of %GROUP_DisplayName%',
    paragraphs: ['%REQUESTER_DisplayName% added %MEMBER_DisplayName% as an additional owner of the group %GROUP_DisplayName% on %CHANGE_Time%.'],
  },
  OwnerRemoved: {
    subject: '%MEMBER_DisplayName% is no longer an owner of %GROUP_DisplayName%',
    paragraphs: ['%REQUESTER_DisplayName% removed %MEMBER_DisplayName% as an additional owner of the group %GROUP_DisplayName% on %CHANGE_Time%.'],
  },
  ManagerAdded: {
    subject: '%MEMBER_DisplayName% is now a manager of %TARGETOBJECT_DisplayName%',
    paragraphs: ['%REQUESTER_DisplayName% added %MEMBER_DisplayName% as an additional manager of %TARGETOBJECT_DisplayName% on %CHANGE_Time%.'],
  },
  ManagerRemoved: {
    subject: '%MEMBER_DisplayName% is no longer a manager of %TARGETOBJECT_DisplayName%',
    paragraphs: ['%REQUESTER_DisplayName% removed %MEMBER_DisplayName% as an additional manager of %TARGETOBJECT_DisplayName% on %CHANGE_Time%.'],
  },
  ObjectCreated: {
    subject: 'New %TARGETOBJECT_Type%: %TARGETOBJECT_DisplayName%',
    paragraphs: [
      '%REQUESTER_DisplayName% created %TARGETOBJECT_DisplayName% (%TARGETOBJECT_Type%, %TARGETOBJECT_Name%) on %CHANGE_Time%.',
      'Details:\n%CHANGE_Details%',
    ],
  },
  ObjectModified: {
    subject: '%TARGETOBJECT_DisplayName% was changed',
    paragraphs: [
      '%REQUESTER_DisplayName% changed %TARGETOBJECT_DisplayName% (%TARGETOBJECT_Type%, %TARGETOBJECT_Name%) on %CHANGE_Time%.',
      'Changes:\n%CHANGE_Details%',
    ],
  },
  ObjectDeleted: {
    subject: '%TARGETOBJECT_DisplayName% was deleted',
    paragraphs: ['%REQUESTER_DisplayName% deleted %TARGETOBJECT_DisplayName% (%TARGETOBJECT_Type%, %TARGETOBJECT_Name%) on %CHANGE_Time%.'],
  },
  MembershipJoined: {
    subject: '%MEMBER_DisplayName% joined %GROUP_DisplayName% until %END_DATE%',
    paragraphs: [
      'The membership life cycle added %MEMBER_DisplayName% to the members of the group %GROUP_DisplayName% on %CHANGE_Time%.',
      'This membership is temporary: it ends on %END_DATE%.',
    ],
  },
  MembershipLeft: {
    subject: '%MEMBER_DisplayName% left %GROUP_DisplayName%',
    paragraphs: ['The membership life cycle removed %MEMBER_DisplayName% from the members of the group %GROUP_DisplayName% on %CHANGE_Time%, as scheduled.'],
  },
  MembershipLeaveReminder: {
    subject: 'Membership of %GROUP_DisplayName% ends on %END_DATE%',
    paragraphs: [
      'The temporary membership of %MEMBER_DisplayName% in the group %GROUP_DisplayName% ends on %END_DATE%.',
      'To keep it, ask an owner of the group to extend it before then.',
    ],
  },
  ManagedByAdded: {
    subject: '%MEMBER_DisplayName% now co-manages %TARGETOBJECT_DisplayName% until %END_DATE%',
    paragraphs: [
      'The managed-by life cycle made %MEMBER_DisplayName% a temporary additional owner or manager of %TARGETOBJECT_DisplayName% (%TARGETOBJECT_Type%) on %CHANGE_Time%.',
      'This role ends on %END_DATE%.',
    ],
  },
  ManagedByRemoved: {
    subject: '%MEMBER_DisplayName% no longer co-manages %TARGETOBJECT_DisplayName%',
    paragraphs: ['The managed-by life cycle removed %MEMBER_DisplayName% as a temporary additional owner or manager of %TARGETOBJECT_DisplayName% (%TARGETOBJECT_Type%) on %CHANGE_Time%, as scheduled.'],
  },
  ManagedByRemovalReminder: {
    subject: 'Temporary management of %TARGETOBJECT_DisplayName% ends on %END_DATE%',
    paragraphs: [
      '%MEMBER_DisplayName% stops being a temporary additional owner or manager of %TARGETOBJECT_DisplayName% (%TARGETOBJECT_Type%) on %END_DATE%.',
      'To keep this role, ask the primary owner or manager to extend it before then.',
    ],
  },
  PasswordExpiryWarning: {
    subject: 'Your password expires on %PASSWORD_EXPIRES%',
    paragraphs: [
      'Hello %TARGETOBJECT_DisplayName%,',
      'The password of your account %TARGETOBJECT_Name% in %IDENTITYSTORE_Name% expires on %PASSWORD_EXPIRES%.',
      'Please change it before then in the portal:\n%PORTAL_URL%',
    ],
  },
  TestMessage: {
    subject: 'Test message from herald for %IDENTITYSTORE_Name%',
    paragraphs: [
      '%REQUESTER_DisplayName% sent this message on %CHANGE_Time% to test the SMTP settings of the identity store %IDENTITYSTORE_Name%.',
      'It arrived, so notifications from this store can reach you. No action is needed.',
    ],
  },
};

const FOOTER = 'Sent by herald for the identity store %IDENTITYSTORE_Name%.';

function textBody({ paragraphs }: DefaultMail): string {
  // "-- " on a line of its own is the signature separator mail clients recognise.
  return `${paragraphs.join('\n\n')}\n\n-- \n${FOOTER}\n`;
}

function htmlParagraph(paragraph: string, style = ''): string {
  // Tags survive escaping (they hold only letters, '_' and '%'); the portal becomes a link.
  const html = escapeHtml(paragraph).replaceAll('%PORTAL_URL%', '<a href="%PORTAL_URL%">%PORTAL_URL%</a>');
  return `<p${style ? ` style="${style}"` : ''}>${html}</p>`;
}

function htmlBody({ paragraphs }: DefaultMail): string {
  return [
    '<!DOCTYPE html>',
    '<html>',
    '<head><meta charset="utf-8"></head>',
    '<body style="font-family: \'Segoe UI\', Arial, sans-serif; font-size: 14px; line-height: 1.5; color: #1f1f1f;">',
    ...paragraphs.map((p) => htmlParagraph(p)),
    htmlParagraph(FOOTER, 'margin-top: 24px; font-size: 12px; color: #6b6b6b;'),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

export const DEFAULT_TEMPLATES: Record<NotificationKind, MailTemplate> = Object.fromEntries(
  NOTIFICATION_KINDS.map((kind) => [kind, { subject: MAILS[kind].subject, text: textBody(MAILS[kind]), html: htmlBody(MAILS[kind]) }]),
) as Record<NotificationKind, MailTemplate>;
