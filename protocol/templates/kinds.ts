/**
 * The notification kinds, the tags their templates may use, and the sample values previews
 * are rendered with. Tags follow the reference product's style, `%PREFIX_Attribute%`; what a
 * tag stands for is written here once and shown by Get-Help and Get-NotificationTemplate.
 */

export const TEMPLATE_TAGS = {
  TARGETOBJECT_DisplayName: 'Display name of the object the notification is about: the group, user or contact',
  TARGETOBJECT_Name: 'Directory name of that object',
  TARGETOBJECT_mail: 'Mail address of that object (empty when it has none)',
  TARGETOBJECT_Type: 'What that object is: User, Group or Contact',
  REQUESTER_DisplayName: 'Display name of who made the change',
  REQUESTER_mail: 'Mail address of who made the change',
  MEMBER_DisplayName: 'Display name of the object added or removed: the member, owner or manager',
  MEMBER_mail: 'Mail address of the object added or removed',
  GROUP_DisplayName: 'Display name of the group concerned',
  IDENTITYSTORE_Name: 'Name of the identity store',
  CHANGE_Time: 'When it happened (UTC)',
  CHANGE_Details: 'What changed, one attribute a line, old and new values',
  PORTAL_URL: 'The password-expiry portal of the store, else its first linked portal',
  DAYS: 'Days left until the date the notification announces',
  END_DATE: 'When a temporary membership, ownership or management ends',
  PASSWORD_EXPIRES: 'When the password expires (UTC)',
} as const;

export type TagName = keyof typeof TEMPLATE_TAGS;
export const TAG_NAMES = Object.keys(TEMPLATE_TAGS) as TagName[];

/** `DAYS` -> `%DAYS%`: how a tag is written in a template. */
export const tagText = (name: TagName): string => `%${name}%`;

const STORE = ['IDENTITYSTORE_Name', 'PORTAL_URL'] as const;
const REQUEST = ['REQUESTER_DisplayName', 'REQUESTER_mail', 'CHANGE_Time'] as const;
const TARGET = ['TARGETOBJECT_DisplayName', 'TARGETOBJECT_Name', 'TARGETOBJECT_mail', 'TARGETOBJECT_Type'] as const;
const MEMBER = ['MEMBER_DisplayName', 'MEMBER_mail'] as const;

interface KindInfo {
  description: string;
  tags: readonly TagName[];
  /** Sample values that differ from SAMPLE_VALUES for this kind (a user rather than a group). */
  samples?: Partial<Record<TagName, string>>;
}

/** Sample values for kinds whose object is a user rather than a group. */
const USER_TARGET = {
  TARGETOBJECT_DisplayName: 'Jane Doe', TARGETOBJECT_Name: 'jdoe', TARGETOBJECT_mail: 'jane.doe@corp.example', TARGETOBJECT_Type: 'User',
} as const;
const MANAGER = { ...USER_TARGET, TARGETOBJECT_DisplayName: 'John Smith', TARGETOBJECT_Name: 'jsmith', TARGETOBJECT_mail: 'john.smith@corp.example' } as const;

export const NOTIFICATION_KINDS = [
  'MemberAdded', 'MemberRemoved', 'OwnerAdded', 'OwnerRemoved', 'ManagerAdded', 'ManagerRemoved',
  'ObjectCreated', 'ObjectModified', 'ObjectDeleted',
  'MembershipJoined', 'MembershipLeft', 'MembershipLeaveReminder',
  'ManagedByAdded', 'ManagedByRemoved', 'ManagedByRemovalReminder',
  'PasswordExpiryWarning', 'TestMessage',
] as const;
export type NotificationKind = (typeof NOTIFICATION_KINDS)[number];

export const TEMPLATE_KINDS: Record<NotificationKind, KindInfo> = {
  MemberAdded: { description: 'An object was added to the members of a group.', tags: [...TARGET, ...MEMBER, 'GROUP_DisplayName', ...REQUEST, ...STORE] },
  MemberRemoved: { description: 'An object was removed from the members of a group.', tags: [...TARGET, ...MEMBER, 'GROUP_DisplayName', ...REQUEST, ...STORE] },
  OwnerAdded: { description: 'An additional owner was added to a group.', tags: [...TARGET, ...MEMBER, 'GROUP_DisplayName', ...REQUEST, ...STORE] },
  OwnerRemoved: { description: 'An additional owner was removed from a group.', tags: [...TARGET, ...MEMBER, 'GROUP_DisplayName', ...REQUEST, ...STORE] },
  ManagerAdded: { description: 'An additional manager was added to a user.', tags: [...TARGET, ...MEMBER, ...REQUEST, ...STORE], samples: MANAGER },
  ManagerRemoved: { description: 'An additional manager was removed from a user.', tags: [...TARGET, ...MEMBER, ...REQUEST, ...STORE], samples: MANAGER },
  ObjectCreated: { description: 'A group, user or contact was created.', tags: [...TARGET, ...REQUEST, 'CHANGE_Details', ...STORE] },
  ObjectModified: { description: 'A group, user or contact was changed.', tags: [...TARGET, ...REQUEST, 'CHANGE_Details', ...STORE] },
  ObjectDeleted: { description: 'A group, user or contact was deleted.', tags: [...TARGET, ...REQUEST, 'CHANGE_Details', ...STORE] },
  MembershipJoined: { description: 'The membership life cycle added a temporary member to a group.', tags: [...TARGET, ...MEMBER, 'GROUP_DisplayName', 'CHANGE_Time', 'END_DATE', ...STORE] },
  MembershipLeft: { description: 'The membership life cycle removed a temporary member from a group.', tags: [...TARGET, ...MEMBER, 'GROUP_DisplayName', 'CHANGE_Time', ...STORE] },
  MembershipLeaveReminder: { description: 'A temporary member leaves a group in a few days.', tags: [...TARGET, ...MEMBER, 'GROUP_DisplayName', 'DAYS', 'END_DATE', ...STORE] },
  ManagedByAdded: { description: 'The managed-by life cycle made an object a temporary additional owner or manager.', tags: [...TARGET, ...MEMBER, 'CHANGE_Time', 'END_DATE', ...STORE] },
  ManagedByRemoved: { description: 'The managed-by life cycle removed a temporary additional owner or manager.', tags: [...TARGET, ...MEMBER, 'CHANGE_Time', ...STORE] },
  ManagedByRemovalReminder: { description: 'A temporary additional owner or manager is removed in a few days.', tags: [...TARGET, ...MEMBER, 'DAYS', 'END_DATE', ...STORE] },
  PasswordExpiryWarning: { description: 'A user\'s password expires soon (members of password-expiry groups).', tags: [...TARGET, 'DAYS', 'PASSWORD_EXPIRES', ...STORE], samples: USER_TARGET },
  TestMessage: { description: 'The test mail that checks a store\'s SMTP settings.', tags: ['IDENTITYSTORE_Name', 'REQUESTER_DisplayName', 'CHANGE_Time'] },
};

/**
 * What previews show for each tag. A group name with '&' makes HTML escaping visible in every
 * preview; the store's name and portal are replaced by the real ones when a store has them.
 */
export const SAMPLE_VALUES: Record<TagName, string> = {
  TARGETOBJECT_DisplayName: 'Sales & Marketing',
  TARGETOBJECT_Name: 'sales-marketing',
  TARGETOBJECT_mail: 'sales@corp.example',
  TARGETOBJECT_Type: 'Group',
  REQUESTER_DisplayName: 'Morgan Lee',
  REQUESTER_mail: 'morgan.lee@corp.example',
  MEMBER_DisplayName: 'Jane Doe',
  MEMBER_mail: 'jane.doe@corp.example',
  GROUP_DisplayName: 'Sales & Marketing',
  IDENTITYSTORE_Name: 'Corp',
  CHANGE_Time: '2026-11-26 09:00 UTC',
  CHANGE_Details: 'description: Sales team -> Sales and marketing team\ntelephoneNumber: (none) -> +1 555 0100',
  PORTAL_URL: 'https://portal.corp.example/selfservice',
  DAYS: '3',
  END_DATE: '2026-12-31',
  PASSWORD_EXPIRES: '2026-11-29 09:00 UTC',
};

/** The sample value of every tag the kind may use. */
export function sampleValues(kind: NotificationKind): Partial<Record<TagName, string>> {
  const info = TEMPLATE_KINDS[kind];
  return Object.fromEntries(info.tags.map((tag) => [tag, info.samples?.[tag] ?? SAMPLE_VALUES[tag]]));
}

/** Help text: every tag with what it stands for. */
export const TAG_HELP = TAG_NAMES.map((name) => `${tagText(name)}: ${TEMPLATE_TAGS[name]}`).join('; ');
/** Help text: every kind with when it is sent. */
export const KIND_HELP = NOTIFICATION_KINDS.map((kind) => `${kind}: ${TEMPLATE_KINDS[kind].description}`).join(' ');
